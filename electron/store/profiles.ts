import { randomUUID } from 'node:crypto';
import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';
import type { ProfileFields, StoreRecovery } from '../../shared/store-model';
import { HISTORY_ID, parseProfileFields } from '../../shared/validate/store-requests';
import { readJsonStore, writeFileAtomic } from './atomic-file';

/**
 * Saved targets and relays. The file holds host, port, TLS mode and AUTH user, and never a password:
 * those go to the SecretStore under the profile's id, and "saved: yes/no" is asked of it each time.
 */
export interface StoredProfile extends ProfileFields {
  id: string;
  updatedAt: string;
}

const FORMAT = 'mxdesk-profiles';

function parseProfilesFile(raw: unknown): Result<StoredProfile[]> {
  const r = raw as Record<string, unknown> | null;
  if (typeof r !== 'object' || r === null || r.format !== FORMAT || r.version !== 1 || !Array.isArray(r.profiles)) return fail('corrupt', 'not a profiles file');
  const out: StoredProfile[] = [];
  for (const p of r.profiles as Record<string, unknown>[]) {
    const fields = parseProfileFields(p);
    if (!fields.ok) return fields;
    if (typeof p.id !== 'string' || !HISTORY_ID.test(p.id) || typeof p.updatedAt !== 'string') return fail('corrupt', 'a profile has no id');
    out.push({ ...fields.value, id: p.id, updatedAt: p.updatedAt });
  }
  return ok(out);
}

export interface ProfileStore {
  list(): Promise<{ profiles: StoredProfile[]; recovery: StoreRecovery | null }>;
  get(id: string): Promise<StoredProfile | undefined>;
  /** Creates when `id` is absent; an unknown id is an error. */
  save(fields: ProfileFields & { id?: string }): Promise<Result<StoredProfile>>;
  delete(id: string): Promise<boolean>;
}

export function createProfileStore(file: string, now: () => Date = () => new Date()): ProfileStore {
  const read = () => readJsonStore(file, parseProfilesFile, () => [], 'profiles');
  // Only the fields listed here are written: a stray `password` on the input can never reach the disk.
  const write = (profiles: StoredProfile[]) =>
    writeFileAtomic(
      file,
      JSON.stringify(
        {
          format: FORMAT,
          version: 1,
          profiles: profiles.map((p) => ({ id: p.id, name: p.name, host: p.host, port: p.port, tls: p.tls, authUser: p.authUser, authMechanism: p.authMechanism, updatedAt: p.updatedAt })),
        },
        null,
        2,
      ),
    );
  // Read-modify-write runs one at a time, so two quick saves cannot drop each other's change.
  let chain: Promise<unknown> = Promise.resolve();
  const locked = <T>(job: () => Promise<T>): Promise<T> => {
    const run = chain.then(job, job);
    chain = run.catch(() => undefined);
    return run;
  };
  return {
    async list() {
      const r = await read();
      return { profiles: r.value, recovery: r.recovery };
    },
    async get(id) {
      return (await read()).value.find((p) => p.id === id);
    },
    save: (fields) => locked(async () => {
      const profiles = (await read()).value;
      const { id, ...rest } = fields;
      const stored: StoredProfile = { ...rest, id: id ?? randomUUID(), updatedAt: now().toISOString() };
      const at = profiles.findIndex((p) => p.id === stored.id);
      if (id !== undefined && at < 0) return fail('not_found', 'That profile no longer exists.');
      if (at >= 0) profiles[at] = stored;
      else profiles.push(stored);
      await write(profiles);
      return ok(stored);
    }),
    delete: (id) => locked(async () => {
      const profiles = (await read()).value;
      const kept = profiles.filter((p) => p.id !== id);
      if (kept.length === profiles.length) return false;
      await write(kept);
      return true;
    }),
  };
}
