import { safeStorage } from 'electron';
import type { SecretStore } from './secrets';
import { createOsSecretStore } from './os-secrets';

/**
 * The one store file that imports electron. Call after `app.whenReady()`: on Linux safeStorage picks its
 * backend only then. `secretsFile` is `dataPaths(app.getPath('userData')).secrets`.
 */
export function createSafeStorageSecretStore(secretsFile: string): SecretStore {
  return createOsSecretStore(secretsFile, safeStorage);
}
