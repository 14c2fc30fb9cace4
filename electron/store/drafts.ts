import type { Draft } from '../../shared/model';
import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';
import type { DraftLoad } from '../../shared/store-model';
import { parseDraftShape } from '../../shared/validate/store-requests';
import { readJsonStore, writeFileAtomic } from './atomic-file';

/** The compose form's draft: one file, rewritten atomically on every autosave, one generation kept. */

interface DraftFile {
  savedAt: string;
  draft: Draft;
}

const FORMAT = 'mxdesk-draft';

function parseDraftFile(raw: unknown): Result<DraftFile> {
  const r = raw as Record<string, unknown> | null;
  if (typeof r !== 'object' || r === null || r.format !== FORMAT || r.version !== 1 || typeof r.savedAt !== 'string') return fail('corrupt', 'not a draft file');
  const d = parseDraftShape(r.draft);
  return d.ok ? ok({ savedAt: r.savedAt, draft: d.value }) : fail('corrupt', d.error.message);
}

export function serialiseDraft(draft: Draft, savedAt: string): string {
  return JSON.stringify({ format: FORMAT, version: 1, savedAt, draft });
}

export interface DraftStore {
  load(): Promise<DraftLoad>;
  save(draft: Draft): Promise<{ savedAt: string }>;
}

export function createDraftStore(file: string, now: () => Date = () => new Date()): DraftStore {
  return {
    async load() {
      const read = await readJsonStore<DraftFile | null>(file, parseDraftFile, () => null, 'draft');
      return { draft: read.value?.draft ?? null, savedAt: read.value?.savedAt ?? null, recovery: read.recovery };
    },
    async save(draft) {
      const savedAt = now().toISOString();
      await writeFileAtomic(file, serialiseDraft(draft, savedAt));
      return { savedAt };
    },
  };
}
