import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';
import type { SecretStorageStatus } from '../../shared/store-model';

/**
 * Where profile passwords live. Main-process only: the renderer learns "saved: yes/no", never a secret.
 * Implementations: the OS keychain through Electron safeStorage (os-secrets.ts, wired by
 * safe-storage-secrets.ts), memory for this session only, and nothing at all (web mode).
 */
export interface SecretStore {
  status(): SecretStorageStatus;
  /** Fails (with the status reason) when this store keeps nothing. */
  set(id: string, secret: string): Promise<Result<{ kind: 'os' | 'session' }>>;
  get(id: string): Promise<string | undefined>;
  has(id: string): Promise<boolean>;
  delete(id: string): Promise<void>;
}

export const WEB_MODE_REASON = 'In web mode, passwords are never stored: type the password for each send.';

/** Kept in this process's memory only (status kind `session`), or not kept at all (kind `none`). */
export function createMemorySecretStore(status: SecretStorageStatus): SecretStore {
  const map = new Map<string, string>();
  return {
    status: () => status,
    async set(id, secret) {
      if (status.kind !== 'session') return fail('secret_not_stored', status.reason);
      map.set(id, secret);
      return ok({ kind: 'session' });
    },
    get: async (id) => map.get(id),
    has: async (id) => map.has(id),
    delete: async (id) => void map.delete(id),
  };
}

export function createWebSecretStore(): SecretStore {
  return createMemorySecretStore({ kind: 'none', reason: WEB_MODE_REASON });
}
