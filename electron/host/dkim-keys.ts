/**
 * Saved DKIM private keys, kept like passwords: in the SecretStore (Electron safeStorage with an OS backend,
 * or memory for this session), and in web mode in this process's memory only. Main side only: the renderer
 * learns "saved" and the public key record to publish, never the key.
 */
import { createPublicKey } from 'node:crypto';
import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';
import type { DkimRequest } from '../../shared/sender-auth/dkim-types';
import { readDkimKey } from '../engine/dkim-sign';
import type { SecretStore } from '../store/secrets';

export interface SavedDkimKey {
  kept: 'os' | 'session';
  /** The TXT record to publish at `selector._domainkey.domain` (RFC 6376 §3.6.1, RFC 8463 §4.2). */
  recordName: string;
  recordText: string;
  notice?: string;
}

export interface DkimKeyStore {
  save(domain: string, selector: string, privateKey: string): Promise<Result<SavedDkimKey>>;
  get(dkim: DkimRequest): Promise<string | undefined>;
}

const idOf = (domain: string, selector: string): string => `dkim:${domain.toLowerCase()}:${selector.toLowerCase()}`;

export function publicKeyRecord(privateKey: string): Result<string> {
  const read = readDkimKey(privateKey);
  if (!read.ok) return read;
  const pub = createPublicKey(read.value.key);
  const der = pub.export({ type: 'spki', format: 'der' });
  return read.value.algorithm === 'rsa-sha256' ? ok(`v=DKIM1; k=rsa; p=${der.toString('base64')}`) : ok(`v=DKIM1; k=ed25519; p=${der.subarray(-32).toString('base64')}`);
}

export function createDkimKeyStore(secrets: SecretStore): DkimKeyStore {
  const memory = new Map<string, string>();
  const useMemory = secrets.status().kind === 'none';
  return {
    async save(domain, selector, privateKey) {
      const record = publicKeyRecord(privateKey);
      if (!record.ok) return record;
      const id = idOf(domain, selector);
      const base = { recordName: `${selector}._domainkey.${domain}`, recordText: record.value };
      if (useMemory) {
        memory.set(id, privateKey);
        return ok({ ...base, kept: 'session', notice: 'Web mode keeps the DKIM key in memory only, until MX Desk stops.' });
      }
      const kept = await secrets.set(id, privateKey);
      if (!kept.ok) return fail('secret_not_stored', `The DKIM key was not saved: ${kept.error.message}`);
      return ok({ ...base, kept: kept.value.kind, ...(kept.value.kind === 'session' ? { notice: secrets.status().reason } : {}) });
    },
    async get(dkim) {
      const id = idOf(dkim.domain, dkim.selector);
      return useMemory ? memory.get(id) : secrets.get(id);
    },
  };
}
