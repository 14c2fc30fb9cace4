/**
 * MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) record and policy parsing, pure and strict. Input is hostile
 * (it comes from DNS and HTTPS): sizes are capped and every refusal names the cause.
 */
import { fail, ok, type Result } from './result';

/** RFC 8461 §3.2 leaves size open; a policy is a few lines, 64 KiB is plenty. */
export const MAX_POLICY_BYTES = 64 * 1024;
/** RFC 8461 §3.2: max_age is at most 31557600 seconds (about one year). */
export const MAX_POLICY_AGE = 31557600;

export type StsMode = 'enforce' | 'testing' | 'none';

export interface StsRecord {
  id: string;
}

export interface StsPolicy {
  mode: StsMode;
  mx: string[];
  maxAge: number;
}

export interface TlsRptRecord {
  rua: string[];
}

function fields(text: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  for (const part of text.split(';')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0) return undefined;
    out.set(item.slice(0, eq).trim(), item.slice(eq + 1).trim());
  }
  return out;
}

/** RFC 8461 §3.1: exactly one TXT record starting with v=STSv1 and an id of 1–32 alphanumerics. */
export function parseStsRecord(txts: string[]): Result<StsRecord> {
  const sts = txts.filter((t) => /^v=STSv1\s*(;|$)/.test(t));
  if (sts.length === 0) return fail('mta_sts_absent', 'MTA-STS: no TXT record starting with v=STSv1 at _mta-sts (RFC 8461 §3.1).', { stage: 'mta-sts record' });
  if (sts.length > 1) return fail('mta_sts_invalid', 'MTA-STS: more than one v=STSv1 TXT record, so none is used (RFC 8461 §3.1).', { stage: 'mta-sts record' });
  const f = fields(sts[0]);
  const id = f?.get('id');
  if (!f || id === undefined || !/^[A-Za-z0-9]{1,32}$/.test(id)) {
    return fail('mta_sts_invalid', 'MTA-STS: the TXT record needs an id of 1 to 32 letters and digits (RFC 8461 §3.1).', { stage: 'mta-sts record' });
  }
  return ok({ id });
}

/**
 * RFC 8461 §3.2: lines of key: value, CRLF or LF endings. Required: version STSv1, mode, max_age;
 * mx required unless mode is none. Bare CR, NUL, control characters and unknown junk are refused.
 */
export function parseStsPolicy(body: string): Result<StsPolicy> {
  const stage = 'mta-sts policy';
  if (body.length > MAX_POLICY_BYTES) return fail('mta_sts_too_large', `MTA-STS: the policy is larger than ${MAX_POLICY_BYTES} bytes and was refused.`, { stage });
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(body)) return fail('mta_sts_invalid', 'MTA-STS: the policy contains control characters and was refused.', { stage });
  if (/\r(?!\n)/.test(body)) return fail('mta_sts_invalid', 'MTA-STS: the policy contains a bare CR, which is not a line ending (RFC 8461 §3.2).', { stage });
  const lines = body.split(/\r?\n/);
  let version: string | undefined;
  let mode: string | undefined;
  let maxAge: string | undefined;
  const mx: string[] = [];
  for (const [i, raw] of lines.entries()) {
    const line = raw.replace(/[ \t]+$/, '');
    if (line === '') continue;
    const m = /^([A-Za-z0-9_]+):[ \t]*(.*)$/.exec(line);
    if (!m) return fail('mta_sts_invalid', `MTA-STS: line ${i + 1} is not "key: value" and was refused.`, { stage });
    const [, key, value] = m;
    if (key === 'version') { if (version !== undefined) return fail('mta_sts_invalid', 'MTA-STS: version appears twice.', { stage }); version = value; }
    else if (key === 'mode') { if (mode !== undefined) return fail('mta_sts_invalid', 'MTA-STS: mode appears twice.', { stage }); mode = value; }
    else if (key === 'max_age') { if (maxAge !== undefined) return fail('mta_sts_invalid', 'MTA-STS: max_age appears twice.', { stage }); maxAge = value; }
    else if (key === 'mx') {
      if (!/^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?$/.test(value)) return fail('mta_sts_invalid', `MTA-STS: mx pattern ${JSON.stringify(value.slice(0, 80))} is not a host name or *.suffix (RFC 8461 §4.1).`, { stage });
      mx.push(value.toLowerCase().replace(/\.$/, ''));
    }
    // RFC 8461 §3.2: other well-formed keys are extensions and are ignored.
  }
  if (version !== 'STSv1') return fail('mta_sts_invalid', 'MTA-STS: the policy must start with version: STSv1 (RFC 8461 §3.2).', { stage });
  if (mode !== 'enforce' && mode !== 'testing' && mode !== 'none') return fail('mta_sts_invalid', 'MTA-STS: mode must be enforce, testing or none (RFC 8461 §3.2).', { stage });
  if (maxAge === undefined || !/^[0-9]{1,10}$/.test(maxAge) || Number(maxAge) > MAX_POLICY_AGE) {
    return fail('mta_sts_invalid', `MTA-STS: max_age must be a whole number of seconds up to ${MAX_POLICY_AGE} (RFC 8461 §3.2).`, { stage });
  }
  if (mode !== 'none' && mx.length === 0) return fail('mta_sts_invalid', 'MTA-STS: a policy in enforce or testing mode needs at least one mx line (RFC 8461 §3.2).', { stage });
  return ok({ mode, mx, maxAge: Number(maxAge) });
}

/** RFC 8461 §4.1: exact match, or "*.suffix" matching exactly one leftmost label. */
export function mxMatchesPattern(mxHost: string, pattern: string): boolean {
  const host = mxHost.toLowerCase().replace(/\.$/, '');
  const p = pattern.toLowerCase().replace(/\.$/, '');
  if (p.startsWith('*.')) {
    const suffix = p.slice(1);
    if (!host.endsWith(suffix)) return false;
    const label = host.slice(0, host.length - suffix.length);
    return label.length > 0 && !label.includes('.');
  }
  return host === p;
}

export function mxInPolicy(mxHost: string, policy: StsPolicy): boolean {
  return policy.mx.some((p) => mxMatchesPattern(mxHost, p));
}

/** RFC 8460 §3: one TXT record v=TLSRPTv1 with rua=mailto: or https: URIs, comma separated. */
export function parseTlsRptRecord(txts: string[]): Result<TlsRptRecord> {
  const stage = 'tls-rpt record';
  const recs = txts.filter((t) => /^v=TLSRPTv1\s*(;|$)/.test(t));
  if (recs.length === 0) return fail('tls_rpt_absent', 'TLS-RPT: no TXT record starting with v=TLSRPTv1 at _smtp._tls (RFC 8460 §3).', { stage });
  if (recs.length > 1) return fail('tls_rpt_invalid', 'TLS-RPT: more than one v=TLSRPTv1 record, so none is used (RFC 8460 §3).', { stage });
  const rua = fields(recs[0])?.get('rua');
  if (!rua) return fail('tls_rpt_invalid', 'TLS-RPT: the record has no rua= field (RFC 8460 §3).', { stage });
  const uris = rua.split(',').map((u) => u.trim()).filter((u) => u !== '');
  for (const u of uris) {
    if (!/^(mailto:[^\s;,]+@[^\s;,]+|https:\/\/[^\s;,]+)$/i.test(u)) return fail('tls_rpt_invalid', `TLS-RPT: rua ${JSON.stringify(u.slice(0, 80))} is neither mailto: nor https: (RFC 8460 §3).`, { stage });
  }
  if (uris.length === 0) return fail('tls_rpt_invalid', 'TLS-RPT: rua= is empty (RFC 8460 §3).', { stage });
  return ok({ rua: uris });
}
