// `mxdesk check`: the MX health matrix in a terminal, for one domain, a file of domains (batch) or a relay.
// Exit codes: 0 every host passes, 1 some fail (or the domain takes no mail / DNS failed), 2 bad input,
// 4 cancelled (Ctrl-C).
import { setMaxListeners } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { RelayReport } from '../../shared/probe/types';
import { probeDomain } from '../engine/probe/probe-domain';
import { probeRelay, relayRowWorks } from '../engine/probe/probe-relay';
import { parseCheckArgs, type CheckArgs } from './check-args';
import { runCheckBatch } from './check-batch';
import { formatProbeReport, formatRelayReport, reportPasses } from './check-format';
import { CHECK_SECTIONS } from './check-sections';
import { EXIT, type CliIo } from './io';
import { terminalSafe as safe } from './transcript';

export interface CheckTerminal {
  /** Set when stderr is a terminal: the batch mode then keeps a progress line there. */
  progress?: (line: string) => void;
}

async function loadCas(files: string[], io: CliIo): Promise<string[] | undefined> {
  const out: string[] = [];
  for (const f of files) {
    try {
      out.push(await readFile(f, 'utf8'));
    } catch (e) {
      io.err(`mxdesk: --ca-file: cannot read ${safe(f)}: ${(e as Error).message}`);
      return undefined;
    }
  }
  return out;
}

async function checkOne(args: CheckArgs & { domain: string }, io: CliIo, signal: AbortSignal, ca: string[]): Promise<number> {
  const r = await probeDomain({ probeId: 'cli', query: args.domain, resolver: args.dns, port: args.port, timeoutMs: args.timeoutMs, family: args.family }, { signal, ca, noPtr: args.noPtr });
  if (!r.ok) {
    io.err(`mxdesk: ${r.error.field ? `${r.error.field}: ` : ''}${safe(r.error.message)}`);
    return r.error.code === 'invalid_input' ? EXIT.badInput : EXIT.notDelivered;
  }
  const report = r.value;
  let failed = !reportPasses(report);
  const sections: Record<string, unknown> = {};
  const lines = formatProbeReport(report);
  // One place prints every section after the matrix (policies, sender domain …).
  for (const section of CHECK_SECTIONS) {
    const out = await section.run({ report, args, signal });
    if (!out) continue;
    sections[section.id] = out.json;
    lines.push(...out.lines);
    if (out.failed) failed = true;
  }
  if (args.json) io.out(JSON.stringify({ kind: 'check_report', report, sections }));
  else for (const l of lines) io.out(l);
  if (report.verdict === 'cancelled') return EXIT.cancelled;
  return failed ? EXIT.notDelivered : EXIT.delivered;
}

async function checkRelay(args: CheckArgs & { relay: NonNullable<CheckArgs['relay']> }, io: CliIo, signal: AbortSignal, ca: string[]): Promise<number> {
  const r = await probeRelay({ probeId: 'cli-relay', host: args.relay.host, ports: args.relay.ports, resolver: args.dns, timeoutMs: args.timeoutMs }, { signal, ca });
  if (!r.ok) {
    io.err(`mxdesk: ${safe(r.error.message)}`);
    return EXIT.badInput;
  }
  const report: RelayReport = r.value;
  if (args.json) io.out(JSON.stringify({ kind: 'relay_report', report }));
  else for (const l of formatRelayReport(report)) io.out(l);
  if (signal.aborted) return EXIT.cancelled;
  return report.rows.some(relayRowWorks) ? EXIT.delivered : EXIT.notDelivered;
}

export async function runCheckCommand(argv: string[], io: CliIo, terminal: CheckTerminal = {}): Promise<number> {
  const parsed = parseCheckArgs(argv);
  if (!parsed.ok) {
    io.err(`mxdesk: ${parsed.field}: ${parsed.message}`);
    return EXIT.badInput;
  }
  const args = parsed.args;
  const ca = await loadCas(args.caFiles, io);
  if (!ca) return EXIT.badInput;
  const controller = new AbortController();
  // Every probe of a batch listens on this one signal.
  setMaxListeners(0, controller.signal);
  const stop = (): void => controller.abort();
  io.onInterrupt(stop);
  try {
    if (args.relay) return await checkRelay({ ...args, relay: args.relay }, io, controller.signal, ca);
    if (args.file !== undefined) return await runCheckBatch({ ...args, file: args.file }, io, controller.signal, ca, terminal.progress);
    return await checkOne({ ...args, domain: args.domain ?? '' }, io, controller.signal, ca);
  } finally {
    io.offInterrupt(stop);
  }
}
