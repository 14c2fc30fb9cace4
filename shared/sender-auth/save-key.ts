/** Saving a DKIM private key (main keeps it like a password; the answer never holds it). */
import type { Result } from '../result';
import { fail, ok } from '../result';
import { readDkimRequest } from './dkim-validate';

export interface SaveDkimKeyRequest {
  domain: string;
  selector: string;
  privateKey: string;
}

export interface SaveDkimKeyResult {
  kept: 'os' | 'session';
  recordName: string;
  /** The public key record to publish in DNS. */
  recordText: string;
  notice?: string;
}

export function parseSaveDkimKeyRequest(input: unknown): Result<SaveDkimKeyRequest> {
  const r = readDkimRequest(input);
  if (!r.ok) return fail('invalid_input', r.message, { field: r.field });
  if (!r.value?.privateKey) return fail('invalid_input', 'Paste or choose the DKIM private key (PEM).', { field: 'dkim.privateKey' });
  return ok({ domain: r.value.domain, selector: r.value.selector, privateKey: r.value.privateKey });
}
