// Small pieces the store tests share: a Result's value (or a failed assertion saying why there was none)
// and a secret store that lives in memory only, as an OS keychain would for one session.
import assert from 'node:assert/strict';
import { createMemorySecretStore, type SecretStore } from '../../electron/store/secrets';
import type { Result } from '../../shared/result';

export function value<T>(r: Result<T>): T {
  if (!r.ok) assert.fail(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

export function memorySecrets(): SecretStore {
  return createMemorySecretStore({ kind: 'session', reason: 'test' });
}
