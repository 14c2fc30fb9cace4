/** Validates the DKIM part of a session or preview request (RFC 6376 §3.1, §3.4, §3.5). */
import { validateMailbox } from '../validate/address';
import { isRecord } from '../validate/shape';
import { DKIM_ALGORITHMS, DKIM_CANONICALIZATIONS, type DkimAlgorithm, type DkimCanonicalization, type DkimRequest } from './dkim-types';

/** A PEM key of 16 KiB holds an RSA-8192 key with room to spare. */
export const MAX_DKIM_KEY_CHARS = 16384;
const MAX_HEADERS = 40;

export type DkimRead = { ok: true; value?: DkimRequest } | { ok: false; field: string; message: string };

function bad(field: string, message: string): DkimRead {
  return { ok: false, field: `dkim.${field}`, message };
}

export function readDkimRequest(input: unknown): DkimRead {
  if (input === undefined || input === null) return { ok: true };
  if (!isRecord(input)) return bad('domain', 'dkim must be an object.');
  const domainText = typeof input.domain === 'string' ? input.domain.trim() : '';
  const d = validateMailbox(`x@${domainText}`, { label: 'The DKIM domain' });
  if (!domainText || !d.ok) return bad('domain', d.ok ? 'The DKIM domain (d=) is empty.' : d.message);
  const selector = typeof input.selector === 'string' ? input.selector.trim() : '';
  // RFC 6376 §3.1: a selector is one or more dot-separated sub-domain labels.
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(selector) || selector.length > 200) {
    return bad('selector', 'The DKIM selector (s=) must be letters, digits, hyphens and dots, like "mail2026" (RFC 6376 §3.1).');
  }
  const req: DkimRequest = { domain: d.value.domainAscii.toLowerCase(), selector };
  if (input.algorithm !== undefined && input.algorithm !== '') {
    if (!(DKIM_ALGORITHMS as readonly unknown[]).includes(input.algorithm)) return bad('algorithm', 'The DKIM algorithm must be rsa-sha256 or ed25519-sha256 (RFC 6376 §3.3, RFC 8463).');
    req.algorithm = input.algorithm as DkimAlgorithm;
  }
  if (input.canonicalization !== undefined && input.canonicalization !== '') {
    if (!(DKIM_CANONICALIZATIONS as readonly unknown[]).includes(input.canonicalization)) return bad('canonicalization', 'Canonicalization must be relaxed/relaxed, relaxed/simple, simple/relaxed or simple/simple (RFC 6376 §3.4).');
    req.canonicalization = input.canonicalization as DkimCanonicalization;
  }
  if (input.headers !== undefined) {
    const list = Array.isArray(input.headers) ? input.headers : undefined;
    if (!list || list.length > MAX_HEADERS || !list.every((h) => typeof h === 'string' && /^[\x21-\x39\x3b-\x7e]{1,100}$/.test(h))) {
      return bad('headers', `The signed header list must be up to ${MAX_HEADERS} header names (printable, no colon).`);
    }
    if (list.length > 0) req.headers = list as string[];
  }
  if (input.privateKey !== undefined && input.privateKey !== '') {
    if (typeof input.privateKey !== 'string' || input.privateKey.length > MAX_DKIM_KEY_CHARS) return bad('privateKey', `The DKIM private key must be PEM text of at most ${MAX_DKIM_KEY_CHARS} characters.`);
    if (!/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(input.privateKey)) return bad('privateKey', 'The DKIM private key must be PEM ("-----BEGIN PRIVATE KEY-----").');
    req.privateKey = input.privateKey;
  }
  return { ok: true, value: req };
}
