/**
 * Is the public key for the planned DKIM signature published? A verifier fetches the TXT record at
 * `selector._domainkey.domain` (RFC 6376 §3.6.2.1); without one (or with an empty p=, a revoked key, §3.6.1)
 * the signature cannot pass, so DMARC cannot count it. Asked through the same resolver adapter as mailauth.
 */
import type { DnsQueryStat } from '../../../shared/model';
import type { DkimKeyCheck } from '../../../shared/sender-auth/types';
import { createMailauthResolver } from '../mailauth-resolver';
import type { DnsResolver } from '../resolver';

function tags(record: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of record.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).replace(/\s+/g, ''));
  }
  return out;
}

export async function checkDkimKey(resolver: DnsResolver, domain: string, selector: string, onQuery?: (q: DnsQueryStat) => void): Promise<{ check: DkimKeyCheck; queries: DnsQueryStat[] }> {
  const name = `${selector}._domainkey.${domain}`.toLowerCase();
  const ask = createMailauthResolver(resolver, { onQuery: (q) => onQuery?.(q.stat) });
  const queries = (): DnsQueryStat[] => ask.queries.map((q) => q.stat);
  let rows: unknown[];
  try {
    rows = await ask(name, 'TXT');
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    const missing = code === 'ENOTFOUND' || code === 'ENODATA';
    const explanation = missing
      ? `No key is published at ${name}: verifiers will fail the signature (RFC 6376 §6.1.2), so DKIM cannot count for DMARC.`
      : `The key lookup at ${name} failed (${code || 'error'}): verifiers would give temperror (RFC 6376 §6.1.2).`;
    return { check: { name, found: false, explanation }, queries: queries() };
  }
  const texts = rows.map((r) => (Array.isArray(r) ? r.join('') : String(r)));
  const record = texts.find((t) => /(^|;)\s*p=/i.test(t));
  if (!record) return { check: { name, found: false, explanation: `${name} has TXT data but no DKIM key (no p= tag, RFC 6376 §3.6.1).` }, queries: queries() };
  const t = tags(record);
  const keyType = (t.get('k') ?? 'rsa').toLowerCase();
  if ((t.get('p') ?? '') === '') return { check: { name, found: false, record, keyType, explanation: `The key at ${name} is revoked (empty p=, RFC 6376 §3.6.1).` }, queries: queries() };
  return { check: { name, found: true, record, keyType, explanation: `A ${keyType} key is published at ${name} (RFC 6376 §3.6.1); a signature with it can verify.` }, queries: queries() };
}
