/**
 * The SPF evaluation tree and DMARC table as plain text lines (CLI, transcript-style exports). Pure; the
 * caller makes each line terminal-safe.
 */
import type { SenderCheckReport, SpfNode, SpfTerm } from './types';

const MARK: Record<SpfTerm['outcome'], string> = { match: 'MATCH', 'no-match': 'no   ', 'not-reached': '--   ', error: 'ERROR' };
const MAX_LINES = 400;

export function spfTreeLines(node: SpfNode, indent = ''): string[] {
  const head = `${indent}${node.domain}: ${node.record ?? '(no SPF record)'}${node.loop ? '  ← LOOP: already evaluated higher up' : ''}${node.problem ? `  (${node.problem})` : ''}`;
  const out = [head];
  for (const t of node.terms) {
    const lookups = t.lookups.filter((l) => l.query.type !== 'TXT');
    const asked = lookups.map((l) => `${l.query.type} ${l.query.name} → ${l.void ? 'void' : l.query.status === 'ok' ? l.values.join(', ') || '(none)' : l.query.status}`).join('; ');
    const cost = t.countsLookup ? ' [1 lookup]' : '';
    out.push(`${indent}  ${MARK[t.outcome]} ${t.text}${cost}${asked ? `  (${asked})` : ''}`);
    if (t.child) out.push(...spfTreeLines(t.child, `${indent}      `));
    if (out.length > MAX_LINES) break;
  }
  return out.slice(0, MAX_LINES);
}

export function senderReportLines(r: SenderCheckReport): string[] {
  const s = r.spf;
  const d = r.dmarc;
  const lines = [`=== Sender ${s.sender}${r.resolver ? ` via ${r.resolver}` : ''}`, `    ${r.passes ? 'ok  ' : 'FAIL'} ${r.verdict}`];
  lines.push(`--- SPF ${s.result} for ${s.ip} (${s.ipSource === 'route' ? 'this machine\'s outgoing address' : 'as given'}): ${s.explanation}`);
  lines.push(`    lookups ${s.lookupCount}/${s.lookupLimit}, void ${s.voidCount}/${s.voidLimit}${s.subLookups ? `, ${s.subLookups} address lookups under mx/ptr` : ''}`);
  if (s.tree) lines.push(...spfTreeLines(s.tree, '    '));
  lines.push(`    ${s.receivedSpf}`);
  lines.push(`--- DMARC ${d.result} for ${d.fromDomain} (organizational domain ${d.organizationalDomain}): ${d.explanation}`);
  if (d.record) {
    const rec = d.record;
    lines.push(`    ${rec.foundAt}: ${rec.raw}`);
    lines.push(`    p=${rec.p ?? '-'} sp=${rec.sp ?? '-'} adkim=${rec.adkim} aspf=${rec.aspf} pct=${rec.pct} rua=${rec.rua.join(',') || '-'} ruf=${rec.ruf.join(',') || '-'}`);
    for (const p of rec.problems) lines.push(`    WARN ${p}`);
  }
  for (const a of d.alignment) lines.push(`    ${a.aligned && a.authenticated ? 'ok  ' : 'no  '} ${a.mechanism.toUpperCase()} ${a.domain ?? '(none)'} ${a.mode}: ${a.explanation}`);
  if (r.dkimKey) lines.push(`    ${r.dkimKey.found ? 'ok  ' : 'FAIL'} DKIM key ${r.dkimKey.name}: ${r.dkimKey.explanation}`);
  lines.push(`    ${d.disposition}`);
  return lines;
}
