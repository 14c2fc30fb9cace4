import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';
import type { SecretStorageStatus } from '../../shared/store-model';
import { readJsonStore, writeFileAtomic } from './atomic-file';
import type { SecretStore } from './secrets';
import { createMemorySecretStore } from './secrets';

/**
 * Passwords encrypted by the OS keychain (Electron safeStorage) and stored as ciphertext in
 * `secrets.json`. Plain Node: the safeStorage object is passed in, so tests use a fake and only
 * safe-storage-secrets.ts imports electron. When the OS offers no real encryption (Linux `basic_text`,
 * which only obfuscates with a fixed key), passwords stay in memory for this session only.
 */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  /** Linux only; `basic_text` means no keyring was found. */
  getSelectedStorageBackend?(): string;
  encryptString(plain: string): Uint8Array;
  decryptString(encrypted: Buffer): string;
}

export function secretStorageStatus(ss: SafeStorageLike): SecretStorageStatus {
  if (!ss.isEncryptionAvailable())
    return { kind: 'session', reason: 'This system offers no encryption for saved passwords, so a password is kept only until MX Desk quits.' };
  const backend = typeof ss.getSelectedStorageBackend === 'function' ? ss.getSelectedStorageBackend() : 'os';
  if (backend === 'basic_text' || backend === 'unknown')
    return {
      kind: 'session',
      reason: 'No system keyring was found (Electron safeStorage fell back to "basic_text", which does not really encrypt), so a password is kept only until MX Desk quits.',
    };
  return { kind: 'os', reason: `Passwords are encrypted by the system keychain (${backend === 'os' ? 'safeStorage' : backend}).` };
}

const FORMAT = 'mxdesk-secrets';
type Entries = Record<string, string>;

function parseSecretsFile(raw: unknown): Result<Entries> {
  const r = raw as Record<string, unknown> | null;
  if (typeof r !== 'object' || r === null || r.format !== FORMAT || r.version !== 1 || typeof r.entries !== 'object' || r.entries === null) return fail('corrupt', 'not a secrets file');
  const entries: Entries = {};
  for (const [k, v] of Object.entries(r.entries)) if (typeof v === 'string') entries[k] = v;
  return ok(entries);
}

export function createOsSecretStore(file: string, ss: SafeStorageLike): SecretStore {
  const status = secretStorageStatus(ss);
  if (status.kind !== 'os') return createMemorySecretStore(status);
  let cache: Entries | undefined;
  const entries = async (): Promise<Entries> => (cache ??= (await readJsonStore(file, parseSecretsFile, () => ({}), 'saved passwords')).value);
  // Only ciphertext (base64 of safeStorage's output) ever reaches the disk.
  const persist = (e: Entries) => writeFileAtomic(file, JSON.stringify({ format: FORMAT, version: 1, entries: e }));
  return {
    status: () => status,
    async set(id, secret) {
      const e = await entries();
      e[id] = Buffer.from(ss.encryptString(secret)).toString('base64');
      await persist(e);
      return ok({ kind: 'os' });
    },
    async get(id) {
      const enc = (await entries())[id];
      if (enc === undefined) return undefined;
      try {
        return ss.decryptString(Buffer.from(enc, 'base64'));
      } catch {
        return undefined; // keychain changed or entry damaged: treat as not saved
      }
    },
    has: async (id) => (await entries())[id] !== undefined,
    async delete(id) {
      const e = await entries();
      if (e[id] === undefined) return;
      delete e[id];
      await persist(e);
    },
  };
}
