/** The DKIM fields of the Send panel, and the request part they make. Pure; the key itself is not here. */
import type { DkimAlgorithm, DkimCanonicalization, DkimRequest } from '../../shared/sender-auth/dkim-types';

export interface DkimFormState {
  enabled: boolean;
  domain: string;
  selector: string;
  algorithm: '' | DkimAlgorithm;
  canonicalization: DkimCanonicalization;
  /** Header names separated by colons or commas; empty means MX Desk's default list. */
  headers: string;
  /** Main holds a key saved for this domain and selector (the page does not). */
  savedFor?: string;
}

export const EMPTY_DKIM: DkimFormState = { enabled: false, domain: '', selector: '', algorithm: '', canonicalization: 'relaxed/relaxed', headers: '' };

export function savedKeyId(s: Pick<DkimFormState, 'domain' | 'selector'>): string {
  return `${s.selector.trim().toLowerCase()}._domainkey.${s.domain.trim().toLowerCase()}`;
}

export function dkimErrors(s: DkimFormState, typedKey: string): Record<string, string> {
  if (!s.enabled) return {};
  const out: Record<string, string> = {};
  if (!/^[A-Za-z0-9.-]+\.[A-Za-z0-9-]+$/.test(s.domain.trim())) out['dkim.domain'] = 'Enter the signing domain (d=), like example.com.';
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(s.selector.trim())) out['dkim.selector'] = 'Enter the selector (s=), like mail2026.';
  if (typedKey.trim() === '' && s.savedFor !== savedKeyId(s)) out['dkim.privateKey'] = 'Paste or choose the private key, or save one for this domain and selector.';
  return out;
}

/** The request's dkim part: a typed key goes with this send only; otherwise main uses the saved one. */
export function dkimRequest(s: DkimFormState, typedKey: string): DkimRequest | undefined {
  if (!s.enabled) return undefined;
  const headers = s.headers
    .split(/[:,\s]+/)
    .map((h) => h.trim())
    .filter((h) => h !== '');
  return {
    domain: s.domain.trim(),
    selector: s.selector.trim(),
    canonicalization: s.canonicalization,
    ...(s.algorithm ? { algorithm: s.algorithm } : {}),
    ...(headers.length > 0 ? { headers } : {}),
    ...(typedKey.trim() !== '' ? { privateKey: typedKey } : {}),
  };
}

/** For the preview: the signing request when the fields are complete, else none (an unsigned preview). */
export function previewDkim(s: DkimFormState, typedKey: string): DkimRequest | undefined {
  return Object.keys(dkimErrors(s, typedKey)).length === 0 ? dkimRequest(s, typedKey) : undefined;
}
