// `mxdesk analyze FILE|- [--json] [--dns HOST[:PORT]]`: the message analyser in a terminal (issue 10). Reads a
// message, its headers or a bounce from a file or stdin (at most 16 MiB; more is cut and said), prints the hop
// timeline, authentication results, DKIM verified again now, and the bounce read out.
// Exit codes: 0 analysed, nothing failing; 1 analysed, and a bounce reports a failed or delayed recipient, or a
// DKIM signature or the ARC chain does not verify now; 2 bad input (no such file, empty input, unknown flag).
import { open } from 'node:fs/promises';
import { formatDuration } from '../../shared/analyse/mail-date';
import type { MessageAnalysis } from '../../shared/analyse/types';
import { ANALYSE_LIMITS } from '../../shared/analyse/types';
import { parseResolverSpec } from '../../shared/mx';
import { analyseMessage } from '../engine/analyse/analyse-message';
import { EXIT, type CliIo } from './io';
import { terminalSafe as safe } from './transcript';

export const ANALYZE_USAGE = `usage: mxdesk analyze FILE|- [--json] [--dns HOST[:PORT]]
  Reads a message (.eml), its headers or a bounce (FILE, or - for stdin; the first 16 MiB) and prints the
  Received: hops with delays and TLS, Authentication-Results and ARC explained, DKIM signatures verified again
  now (keys asked through --dns), and a bounce read as RFC 3464 or a known MTA format.
  Exit codes: 0 analysed, nothing failing; 1 a bounce reports a failed or delayed recipient, or a DKIM
  signature or the ARC chain does not verify now; 2 bad input (no such file, empty input, unknown flag).`;

interface AnalyzeArgs {
  source: string;
  json: boolean;
  dns?: string;
}

function parseArgs(argv: string[]): AnalyzeArgs | string {
  let source: string | undefined;
  let json = false;
  let dns: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--dns') {
      const v = argv[++i];
      if (v === undefined) return '--dns needs HOST[:PORT].';
      const spec = parseResolverSpec(v);
      if (!spec.ok) return `--dns: ${spec.error.message}`;
      dns = v;
    } else if (a === '-' || !a.startsWith('-')) {
      if (source !== undefined) return 'give one FILE (or - for stdin).';
      source = a;
    } else return `unknown flag ${a}.`;
  }
  if (source === undefined) return 'give the FILE to analyse, or - to read stdin.';
  return { source, json, dns };
}

/** At most the cap (+ a little, to know it was more), and the full size. */
async function readInput(source: string, io: CliIo): Promise<{ text: string; size: number }> {
  const cap = ANALYSE_LIMITS.maxInputChars;
  if (source === '-') {
    const all = await io.readStdin();
    return { text: all.subarray(0, cap).toString('utf8'), size: all.length };
  }
  const file = await open(source, 'r');
  try {
    const { size } = await file.stat();
    const buffer = Buffer.alloc(Math.min(size, cap));
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    return { text: buffer.subarray(0, bytesRead).toString('utf8'), size };
  } finally {
    await file.close();
  }
}

function failing(a: MessageAnalysis): boolean {
  const bounced = a.bounce?.recipients.some((r) => r.action === 'failed' || r.action === 'delayed' || (r.action === undefined && r.status !== undefined && !r.status.startsWith('2.'))) ?? false;
  const badDkim = a.dkim.checks.some((c) => c.result !== 'pass');
  const badArc = a.arc.verified !== undefined && a.arc.verified.result !== 'pass';
  return bounced || badDkim || badArc;
}

function formatAnalysis(a: MessageAnalysis): string[] {
  const out: string[] = [];
  const s = a.summary;
  out.push(`=== ${a.kind}: ${[s.from && `From ${s.from}`, s.subject && `Subject ${s.subject}`, s.date && `Date ${s.date}`].filter(Boolean).join(' | ') || '(no From, Subject or Date)'}`);
  const t = a.timeline;
  out.push(`=== Hops: ${t.totalReceived} Received header(s)${t.transitMs !== undefined ? `, transit ${formatDuration(t.transitMs)}` : ''}`);
  for (const h of t.hops) {
    const tls = h.tls.state === 'tls' ? `TLS${h.tls.version ? ` ${h.tls.version}` : ''}${h.tls.cipher ? ` ${h.tls.cipher}` : ''}` : h.tls.state;
    const delay = h.delayMs !== undefined ? (h.delayMs >= 0 ? `+${formatDuration(h.delayMs)}` : formatDuration(h.delayMs)) : '';
    const flags = h.flags.length > 0 ? `  [${h.flags.join(', ')}]` : '';
    out.push(`  ${String(h.index).padStart(3)}  ${h.by ?? '?'}  ← ${h.from ?? '?'}  with ${h.with ?? '?'}  ${tls}  ${delay}  ${h.time ?? h.dateText ?? 'no date'}${flags}`);
  }
  for (const n of t.notes) out.push(`  note: ${n}`);
  for (const ar of a.authResults) {
    out.push(`=== ${ar.source} by ${ar.authservId || '?'}${ar.problem ? ` (${ar.problem})` : ''}`);
    for (const r of ar.results) out.push(`  ${r.method}=${r.result}  ${r.explanation}`);
  }
  out.push(`=== ARC: ${a.arc.claimed}: ${a.arc.explanation}`);
  if (a.arc.verified) out.push(`  verified now: ${a.arc.verified.result}  ${a.arc.verified.explanation}`);
  out.push(`=== DKIM verified now via ${a.dkim.resolver}${a.dkim.note ? `: ${a.dkim.note}` : ''}`);
  for (const c of a.dkim.checks) out.push(`  ${c.domain} (s=${c.selector}): ${c.result}${c.reason ? ` (${c.reason})` : ''}  ${c.explanation}`);
  const b = a.bounce;
  if (b) {
    out.push(`<** Bounce (${b.format}${b.reportingMta ? `, reported by ${b.reportingMta}` : ''}): ${b.summary}`);
    for (const r of b.recipients) {
      out.push(`  ${r.recipient}: ${r.action ?? 'failed'}${r.status ? ` ${r.status}` : ''} at ${r.stage}${r.remoteMta ? ` by ${r.remoteMta}` : ''}`);
      if (r.statusExplanation) out.push(`    ${r.statusExplanation}`);
      if (r.diagnostic) out.push(`    server said: ${r.diagnostic}`);
      out.push(`    what to do: ${r.whatToDo}`);
    }
    if (b.originalHeaders?.length) out.push(`  original message: ${b.originalHeaders.filter((h) => /^(from|to|subject|date|message-id)$/i.test(h.name)).map((h) => `${h.name}: ${h.value}`).join(' | ')}`);
  }
  for (const c of a.cut) out.push(`cut: ${c}`);
  for (const w of a.warnings) out.push(`warning: ${w}`);
  return out.map(safe);
}

export async function runAnalyzeCommand(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(ANALYZE_USAGE);
    return EXIT.delivered;
  }
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.err(`mxdesk analyze: ${args}`);
    io.err(ANALYZE_USAGE);
    return EXIT.badInput;
  }
  let input: { text: string; size: number };
  try {
    input = await readInput(args.source, io);
  } catch (e) {
    io.err(`mxdesk analyze: cannot read ${safe(args.source)}: ${safe((e as Error).message)}`);
    return EXIT.badInput;
  }
  if (input.text.trim() === '') {
    io.err('mxdesk analyze: the input is empty: give a message, its headers or a bounce.');
    return EXIT.badInput;
  }
  const analysis = await analyseMessage({ text: input.text, resolver: args.dns, originalChars: input.size > ANALYSE_LIMITS.maxInputChars ? input.size : undefined });
  if (args.json) io.out(JSON.stringify({ kind: 'message_analysis', analysis }));
  else for (const line of formatAnalysis(analysis)) io.out(line);
  return failing(analysis) ? EXIT.notDelivered : EXIT.delivered;
}
