import type { Result } from '../../shared/result';
import { fail } from '../../shared/result';
import type { Settings, SettingsLoad } from '../../shared/store-model';
import { DEFAULT_SETTINGS } from '../../shared/store-model';
import { parseSettings } from '../../shared/validate/store-requests';
import { readJsonStore, writeFileAtomic } from './atomic-file';

/** Default resolver, timeouts preset ('rfc' | 'quick', see RFC_TIMEOUTS), HELO name and theme. */

const FORMAT = 'mxdesk-settings';

function parseSettingsFile(raw: unknown): Result<Settings> {
  const r = raw as Record<string, unknown> | null;
  if (typeof r !== 'object' || r === null || r.format !== FORMAT || r.version !== 1) return fail('corrupt', 'not a settings file');
  return parseSettings(r.settings);
}

export interface SettingsStore {
  load(): Promise<SettingsLoad>;
  save(settings: Settings): Promise<Settings>;
}

export function createSettingsStore(file: string): SettingsStore {
  return {
    async load() {
      const read = await readJsonStore(file, parseSettingsFile, () => ({ ...DEFAULT_SETTINGS }), 'settings');
      return { settings: read.value, recovery: read.recovery };
    },
    async save(settings) {
      await writeFileAtomic(file, JSON.stringify({ format: FORMAT, version: 1, settings }, null, 2));
      return settings;
    },
  };
}
