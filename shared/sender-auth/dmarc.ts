/** DMARC (RFC 7489) as plain data: the record's tags, identifier alignment and what the policy would do. */
import type { AlignmentRow, DmarcPolicy, DmarcRecord } from './types';

const POLICIES: readonly DmarcPolicy[] = ['none', 'quarantine', 'reject'];

function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
}

function uris(v: unknown): string[] {
  // RFC 7489 §6.4: rua/ruf are comma-separated URIs.
  return (text(v) ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u.length > 0)
    .slice(0, 20);
}

/** The tags of a record (as mailauth splits them), checked against RFC 7489 §6.3. */
export function dmarcRecordOf(tags: Record<string, unknown>, raw: string, foundAt: string): DmarcRecord {
  const problems: string[] = [];
  const policy = (name: 'p' | 'sp'): string | undefined => {
    const v = text(tags[name])?.toLowerCase();
    if (v !== undefined && !(POLICIES as readonly string[]).includes(v)) problems.push(`${name}=${v} is not none, quarantine or reject (RFC 7489 §6.3).`);
    return v;
  };
  const mode = (name: 'adkim' | 'aspf'): 'r' | 's' => {
    const v = text(tags[name])?.toLowerCase();
    if (v !== undefined && v !== 'r' && v !== 's') problems.push(`${name}=${v} is not r or s; relaxed is used (RFC 7489 §6.3).`);
    return v === 's' ? 's' : 'r';
  };
  const p = policy('p');
  if (p === undefined) problems.push('The record has no p= tag; receivers may ignore it (RFC 7489 §6.3, §6.6.3).');
  const pctText = text(tags.pct);
  let pct = 100;
  if (pctText !== undefined) {
    const n = Number(pctText);
    if (Number.isInteger(n) && n >= 0 && n <= 100) pct = n;
    else problems.push(`pct=${pctText} is not 0–100; 100 is used (RFC 7489 §6.3).`);
  }
  const r: DmarcRecord = { raw, foundAt, adkim: mode('adkim'), aspf: mode('aspf'), pct, rua: uris(tags.rua), ruf: uris(tags.ruf), problems };
  if (p !== undefined) r.p = p;
  const sp = policy('sp');
  if (sp !== undefined) r.sp = sp;
  return r;
}

/**
 * RFC 7489 §3.1: strict alignment wants the same domain; relaxed wants the same organizational domain.
 * `orgOf` gives the organizational domain (§3.2, from the public suffix list).
 */
export function alignmentRow(
  mechanism: 'spf' | 'dkim',
  domain: string | undefined,
  fromDomain: string,
  mode: 'r' | 's',
  authenticated: boolean,
  orgOf: (d: string) => string,
): AlignmentRow {
  const section = mechanism === 'spf' ? '§3.1.2' : '§3.1.1';
  const label = mechanism === 'spf' ? 'The envelope (MAIL FROM) domain' : 'The DKIM d= domain';
  const modeName = mode === 's' ? 'strict' : 'relaxed';
  if (!domain) {
    const why = mechanism === 'spf' ? 'The envelope sender is empty, so SPF gives DMARC nothing' : 'No DKIM signature is planned, so DKIM gives DMARC nothing';
    return { mechanism, mode: modeName, authenticated: false, aligned: false, explanation: `${why} (RFC 7489 ${section}).` };
  }
  const d = domain.toLowerCase();
  const f = fromDomain.toLowerCase();
  const aligned = mode === 's' ? d === f : orgOf(d) === orgOf(f);
  const how = mode === 's' ? 'must equal' : 'must share the organizational domain of';
  const auth = authenticated ? '' : mechanism === 'spf' ? ' but SPF does not pass, so it does not count' : ' but the signature is not verified, so it does not count';
  const explanation = aligned
    ? `${label} ${d} aligns with From ${f} (${modeName}: it ${how} the From domain)${auth} (RFC 7489 ${section}).`
    : `${label} ${d} does not align with From ${f} (${modeName}: it ${how} the From domain) (RFC 7489 ${section}).`;
  return { mechanism, domain: d, mode: modeName, authenticated, aligned, explanation };
}

/** The policy for this From domain: sp= for a subdomain when the record came from the org domain (§6.3). */
export function applicablePolicy(rec: DmarcRecord, fromIsOrgDomain: boolean): DmarcPolicy | undefined {
  const chosen = !fromIsOrgDomain && rec.sp ? rec.sp : rec.p;
  return (POLICIES as readonly string[]).includes(chosen ?? '') ? (chosen as DmarcPolicy) : undefined;
}

/** What a receiver honouring the policy would do to a failing or passing message (§6.6.4, §6.7). */
export function dispositionOf(pass: boolean, policy: DmarcPolicy | undefined, pct: number): string {
  if (pass) return 'Delivered as usual: DMARC passes, the policy does not apply (RFC 7489 §6.6.2).';
  if (!policy) return 'No usable policy: receivers apply their own rules (RFC 7489 §6.6.3).';
  if (policy === 'none') return 'p=none: receivers only report the failure; the message is delivered (RFC 7489 §6.3).';
  const action = policy === 'reject' ? 'refused during the SMTP session' : 'put in spam or quarantine';
  if (pct >= 100) return `Likely ${action} (p=${policy}, RFC 7489 §6.3, §6.6.4).`;
  const lower = policy === 'reject' ? 'quarantine' : 'none';
  return `${pct}% chance of being ${action}; otherwise treated as p=${lower} (pct=${pct}, RFC 7489 §6.6.4).`;
}
