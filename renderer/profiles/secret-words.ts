/**
 * Plain words for where a profile's password goes (RELIABILITY "AUTH and secrets"). Pure. The host's own
 * reason is shown too when it adds something (e.g. which keyring backend was found).
 */
import type { SecretStorageStatus } from '../../shared/store-model';

export interface SecretWords {
  headline: string;
  detail: string;
  /** False in web mode: there is nowhere to keep a password, so the field is not offered. */
  canKeep: boolean;
  tone: 'ok' | 'warn' | 'info';
}

export function secretWords(status: Pick<SecretStorageStatus, 'kind'>): SecretWords {
  switch (status.kind) {
    case 'os':
      return {
        headline: 'Passwords are kept by the system keychain',
        detail: 'They are encrypted with Electron’s safeStorage. MX Desk shows only whether one is saved, never the password itself.',
        canKeep: true,
        tone: 'ok',
      };
    case 'session':
      return {
        headline: 'Passwords are kept for this session only',
        detail:
          'This system offers no keychain to MX Desk (on Linux, Electron fell back to its “basic_text” store, which is not real encryption), so a password is held in memory until MX Desk quits and is never written to disk. Type it again after a restart.',
        canKeep: true,
        tone: 'warn',
      };
    default:
      return {
        headline: 'Passwords are never stored in web mode',
        detail: 'Web mode has no keychain to keep them safely. Profiles keep the server, port, TLS mode and user; type the password on the Send panel for each send.',
        canKeep: false,
        tone: 'info',
      };
  }
}
