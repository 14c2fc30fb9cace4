import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { SessionRequest } from '../../shared/model';
import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';
import type { HistoryDetail, HistoryEntry } from '../../shared/store-model';
import { HISTORY_ID } from '../../shared/validate/store-requests';
import { dataPaths } from './data-dir';
import { historyEntry, journalFacts, parseJournalText, type JournalFacts, type ParsedJournal } from './journal-reader';

/** The history list over the journals; "live" asks the journal sink which sessions are still running. */
export interface HistoryStore {
  list(): Promise<HistoryEntry[]>;
  get(id: string): Promise<Result<HistoryDetail>>;
  delete(id: string): Promise<Result<null>>;
}

const JOURNAL_EXT = '.jsonl';
const REQUEST_EXT = '.request.json';

export function createHistoryStore(dataDir: string, isLive: (id: string) => boolean = () => false): HistoryStore {
  const dir = dataPaths(dataDir).history;
  const journalPath = (id: string) => join(dir, `${id}${JOURNAL_EXT}`);
  const requestPath = (id: string) => join(dir, `${id}${REQUEST_EXT}`);
  // Only the small facts are cached (never the events: main-process memory stays flat however long the
  // history grows), and reused while the file's size and mtime are unchanged.
  const cache = new Map<string, { size: number; mtimeMs: number; facts: JournalFacts }>();

  async function read(id: string): Promise<{ parsed: ParsedJournal; size: number; mtimeMs: number } | undefined> {
    try {
      const st = await fs.stat(journalPath(id));
      return { parsed: parseJournalText(await fs.readFile(journalPath(id), 'utf8')), size: st.size, mtimeMs: st.mtimeMs };
    } catch {
      cache.delete(id);
      return undefined;
    }
  }

  async function facts(id: string): Promise<{ facts: JournalFacts; size: number } | undefined> {
    const st = await fs.stat(journalPath(id)).catch(() => undefined);
    const hit = cache.get(id);
    if (st && hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return { facts: hit.facts, size: st.size };
    const j = await read(id);
    if (!j) return undefined;
    const f = journalFacts(j.parsed);
    cache.set(id, { size: j.size, mtimeMs: j.mtimeMs, facts: f });
    return { facts: f, size: j.size };
  }

  async function readRequest(id: string): Promise<SessionRequest | null> {
    try {
      const raw = JSON.parse(await fs.readFile(requestPath(id), 'utf8')) as SessionRequest;
      return typeof raw === 'object' && raw !== null && typeof raw.draft === 'object' && typeof raw.target === 'object' ? raw : null;
    } catch {
      return null;
    }
  }

  async function hasRequest(id: string): Promise<boolean> {
    return fs.access(requestPath(id)).then(
      () => true,
      () => false,
    );
  }

  return {
    async list() {
      let names: string[];
      try {
        names = await fs.readdir(dir);
      } catch {
        return [];
      }
      const ids = names.filter((n) => n.endsWith(JOURNAL_EXT)).map((n) => n.slice(0, -JOURNAL_EXT.length)).filter((id) => HISTORY_ID.test(id));
      const entries: HistoryEntry[] = [];
      for (const id of ids) {
        const f = await facts(id);
        if (f) entries.push(historyEntry(id, f.facts, { sizeBytes: f.size, live: isLive(id), canRunAgain: await hasRequest(id) }));
      }
      return entries.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
    },
    async get(id) {
      const j = await read(id);
      if (!j) return fail('not_found', 'That session is no longer in the history.');
      const request = await readRequest(id);
      const entry = historyEntry(id, journalFacts(j.parsed), { sizeBytes: j.size, live: isLive(id), canRunAgain: request !== null });
      return ok({ entry, events: j.parsed.events, truncatedAfterSeq: j.parsed.truncatedAfterSeq, request });
    },
    async delete(id) {
      if (isLive(id)) return fail('busy', 'That session is still running; cancel it first.');
      cache.delete(id);
      try {
        await fs.rm(journalPath(id));
      } catch {
        return fail('not_found', 'That session is no longer in the history.');
      }
      await fs.rm(requestPath(id), { force: true });
      await fs.rm(`${requestPath(id)}.tmp`, { force: true });
      return ok(null);
    },
  };
}
