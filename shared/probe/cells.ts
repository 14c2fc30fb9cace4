/**
 * One probe → one row of the health matrix: a verdict, a short text and a detail per check. Pure, so the
 * inspector, `mxdesk check` and the tests compute the same cells.
 */
import type { AddressProbe, CellVerdict, CheckId, MatrixCell, MatrixRow } from './types';
import { CHECK_IDS } from './types';

/** Certificates closer than this to expiry get a warning. */
export const EXPIRY_WARN_DAYS = 14;

const RANK: Record<CellVerdict, number> = { pass: 0, skip: 1, warn: 2, fail: 3 };

export function worst(verdicts: CellVerdict[]): CellVerdict {
  return verdicts.reduce<CellVerdict>((w, v) => (RANK[v] > RANK[w] ? v : w), 'pass');
}

const skip = (text = 'not reached', detail?: string): MatrixCell => ({ verdict: 'skip', text, detail });

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function fmtSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}

const CONNECT_TEXT: Record<string, string> = {
  refused: 'refused',
  filtered: 'filtered (no answer)',
  unreachable: 'unreachable',
  reset: 'reset after connect',
  error: 'failed',
};

export function connectCell(p: AddressProbe): MatrixCell {
  if (p.cancelled && !p.connect.ok) return skip('cancelled');
  const c = p.connect;
  if (c.failure) return { verdict: 'fail', text: CONNECT_TEXT[c.failure], detail: c.error };
  if (!c.ok) return { verdict: 'fail', text: 'failed', detail: c.error };
  return { verdict: 'pass', text: fmtMs(c.ms), detail: `TCP connection to ${p.address} port ${p.port} in ${fmtMs(c.ms)}` };
}

export function bannerCell(p: AddressProbe): MatrixCell {
  const b = p.banner;
  if (!b) return p.connect.ok && !p.connect.failure && p.stoppedAt === 'greeting' ? { verdict: 'fail', text: 'no greeting', detail: p.error } : skip();
  const detail = `${b.code} ${b.text} (after ${fmtMs(b.ms)})`;
  if (b.code !== 220) return { verdict: 'fail', text: `${b.code} no service`, detail };
  if (!b.name) return { verdict: 'warn', text: `220, no name · ${fmtMs(b.ms)}`, detail };
  return { verdict: 'pass', text: `${b.name} · ${fmtMs(b.ms)}`, detail };
}

export function ehloCell(p: AddressProbe): MatrixCell {
  const e = p.ehloTls ?? p.ehlo;
  if (!e) return p.stoppedAt === 'ehlo' ? { verdict: 'fail', text: 'refused', detail: p.error } : skip();
  const parts: string[] = [];
  if (e.size) parts.push(`SIZE ${fmtSize(e.size)}`);
  if (e.pipelining) parts.push('PIPELINING');
  if (e.chunking) parts.push('CHUNKING');
  if (e.eightBitMime) parts.push('8BITMIME');
  if (e.smtputf8) parts.push('SMTPUTF8');
  if (e.dsn) parts.push('DSN');
  if (e.requiretls) parts.push('REQUIRETLS');
  if (p.ehlo?.starttls) parts.push('STARTTLS');
  const detail = `Capabilities: ${e.keywords.join(' ') || 'none'}`;
  // RFC 4954 §4 / RFC 8314: AUTH on port 25 before TLS invites password guessing and plaintext passwords.
  if (p.port === 25 && (p.ehlo?.auth.length ?? 0) > 0) return { verdict: 'warn', text: `AUTH on port 25 (${p.ehlo!.auth.join(' ')})`, detail };
  if (e.heloOnly) return { verdict: 'warn', text: 'HELO only (no ESMTP)', detail };
  return { verdict: 'pass', text: parts.slice(0, 4).join(' · ') || 'no extensions', detail };
}

export function starttlsCell(p: AddressProbe): MatrixCell {
  const s = p.starttls;
  if (!s) return skip();
  if (!s.offered) return { verdict: 'fail', text: 'not offered', detail: 'The server does not offer STARTTLS: mail to it travels unencrypted.' };
  if (!s.tls) return { verdict: 'fail', text: s.code !== undefined && s.code !== 220 ? `refused (${s.code})` : 'handshake failed', detail: s.error };
  const t = s.tls;
  const text = [t.protocol, t.group].filter(Boolean).join(' · ') || 'TLS';
  const detail = `${t.protocol ?? '?'} ${t.cipher ?? ''}${t.group ? `, key exchange ${t.group}` : ''}`;
  if (t.protocol && /^(SSLv|TLSv1(\.[01])?$)/.test(t.protocol)) return { verdict: 'warn', text: `${t.protocol} (obsolete)`, detail };
  return { verdict: 'pass', text, detail };
}

export function certificateCell(p: AddressProbe): MatrixCell {
  const t = p.starttls?.tls;
  if (!t) return skip();
  const leaf = t.chain[0];
  const days = t.daysToExpiry;
  const detail = leaf
    ? `${leaf.subject}; SANs ${leaf.subjectAltNames.join(', ') || 'none'}; issuer ${leaf.issuer}; valid to ${leaf.validTo}; ${leaf.keyType ?? ''} ${leaf.keyBits ?? ''}; SHA-256 ${leaf.fingerprint256}${t.verifyError ? `; ${t.verifyError}` : ''}`
    : t.verifyError;
  if (!t.verified) {
    const name = t.failure ?? 'not valid';
    const text = name === 'expired' && days !== undefined ? `expired ${-days} day${-days === 1 ? '' : 's'} ago` : name;
    return { verdict: 'fail', text, detail };
  }
  if (days !== undefined && days < EXPIRY_WARN_DAYS) return { verdict: 'warn', text: `expires in ${days} day${days === 1 ? '' : 's'}`, detail };
  return { verdict: 'pass', text: days !== undefined ? `valid · ${days} days` : 'valid', detail };
}

export function ptrCell(p: AddressProbe): MatrixCell {
  const r = p.ptr;
  if (!r || r.status === 'skipped') return skip();
  if (r.status === 'error') return { verdict: 'warn', text: 'lookup failed', detail: r.error };
  if (r.status === 'none') return { verdict: 'warn', text: 'no PTR', detail: `${p.address} has no reverse DNS name; some receivers distrust such senders, and it suggests the address is not a managed mail host.` };
  const detail = `PTR ${r.names.join(', ')}; ${r.forwardConfirmed ? 'forward-confirmed' : 'does not resolve back to the address'}${r.matchesBanner === false ? `; banner names ${p.banner?.name}` : ''}`;
  if (!r.forwardConfirmed) return { verdict: 'warn', text: `${r.names[0]} (not confirmed)`, detail };
  if (r.matchesBanner === false) return { verdict: 'warn', text: `${r.names[0]} ≠ banner`, detail };
  return { verdict: 'pass', text: r.names[0], detail };
}

const CELL: Record<CheckId, (p: AddressProbe) => MatrixCell> = {
  connect: connectCell,
  banner: bannerCell,
  ehlo: ehloCell,
  starttls: starttlsCell,
  certificate: certificateCell,
  ptr: ptrCell,
};

export function matrixRow(p: AddressProbe, preference?: number): MatrixRow {
  const cells = Object.fromEntries(CHECK_IDS.map((id) => [id, CELL[id](p)])) as Record<CheckId, MatrixCell>;
  return { host: p.host, preference, address: p.address, family: p.family, port: p.port, cells, verdict: worst(CHECK_IDS.map((id) => cells[id].verdict)) };
}

/**
 * Marks the cells where the hosts of one domain disagree: per check, among the rows that got that far (skips
 * are consequences, not differences), the cells whose verdict is not the most common one. On a tie, the
 * worse verdicts are the odd ones out.
 */
export function markDifferences(rows: MatrixRow[]): MatrixRow[] {
  for (const id of CHECK_IDS) {
    const counted = rows.map((r) => r.cells[id]).filter((c) => c.verdict !== 'skip');
    const counts = new Map<CellVerdict, number>();
    for (const c of counted) counts.set(c.verdict, (counts.get(c.verdict) ?? 0) + 1);
    if (counts.size < 2) continue;
    const usual = [...counts.entries()].sort((a, b) => b[1] - a[1] || RANK[a[0]] - RANK[b[0]])[0][0];
    for (const c of counted) if (c.verdict !== usual) c.differs = true;
  }
  return rows;
}
