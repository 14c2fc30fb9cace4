// `mxdesk check --file DOMAINS.txt`: many domains, read as a stream, checked N at a time, one result line per
// domain as it finishes, and a summary. Memory stays flat: the file is never held whole and each report is
// dropped once its line is printed. Connections share one limiter, so a host that is the MX of many domains
// gets at most a few connections at once.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { DomainVerdictKind } from '../../shared/probe/types';
import { createLimiter } from '../engine/probe/limiter';
import { probeDomain, PER_HOST_CONCURRENCY } from '../engine/probe/probe-domain';
import type { CheckArgs } from './check-args';
import { batchRecord, reportPasses } from './check-format';
import { EXIT, type CliIo } from './io';
import { terminalSafe as safe } from './transcript';

const MAX_LINE = 1024;
const ORDER: (DomainVerdictKind | 'invalid')[] = ['deliverable', 'degraded', 'undeliverable', 'no_mail', 'dns_failure', 'invalid', 'cancelled'];

export async function runCheckBatch(args: CheckArgs & { file: string }, io: CliIo, signal: AbortSignal, ca: string[], progress?: (line: string) => void): Promise<number> {
  const stream = createReadStream(args.file, { encoding: 'utf8', highWaterMark: 16 * 1024 });
  const opened = await new Promise<Error | undefined>((resolve) => {
    stream.once('open', () => resolve(undefined));
    stream.once('error', (e) => resolve(e));
  });
  if (opened) {
    io.err(`mxdesk: --file: cannot read ${safe(args.file)}: ${opened.message}`);
    return EXIT.badInput;
  }
  const limiter = createLimiter(Math.max(args.concurrency * 2, 4), PER_HOST_CONCURRENCY);
  const counts: Partial<Record<DomainVerdictKind | 'invalid', number>> = {};
  let done = 0;
  let allPass = true;
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  const showProgress = !args.json && progress ? progress : undefined;
  const tick = (): void => {
    if (!showProgress) return;
    const s = (performance.now() - started) / 1000;
    showProgress(`checked ${done} domain(s), ${inFlight.size} running, ${(done / Math.max(s, 0.001)).toFixed(1)}/s`);
  };

  const checkOne = async (domain: string): Promise<void> => {
    const r = await probeDomain({ probeId: `batch`, query: domain, resolver: args.dns, port: args.port, timeoutMs: args.timeoutMs, family: args.family }, { signal, ca, limiter, noPtr: args.noPtr });
    done++;
    if (!r.ok) {
      counts.invalid = (counts.invalid ?? 0) + 1;
      allPass = false;
      if (args.json) io.out(JSON.stringify({ kind: 'domain', domain: safe(domain.slice(0, 300)), verdict: 'invalid', summary: r.error.message }));
      else io.out(`FAIL ${safe(domain.slice(0, 300))}: ${safe(r.error.message)}`);
      return;
    }
    const rep = r.value;
    counts[rep.verdict] = (counts[rep.verdict] ?? 0) + 1;
    const pass = reportPasses(rep);
    if (!pass) allPass = false;
    if (args.json) io.out(JSON.stringify(batchRecord(rep)));
    else io.out(`${pass ? 'ok  ' : 'FAIL'} ${safe(rep.domain)}: ${safe(rep.summary)}`);
    tick();
  };

  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const raw of lines) {
    if (signal.aborted) break;
    const line = raw.slice(0, MAX_LINE).trim();
    if (line === '' || line.startsWith('#')) continue;
    const p = checkOne(line.split(/\s+/)[0]).finally(() => inFlight.delete(p));
    inFlight.add(p);
    // Bounded: read the next domain only when a slot is free (the stream is paused meanwhile).
    while (inFlight.size >= args.concurrency) await Promise.race(inFlight);
  }
  lines.close();
  stream.destroy();
  await Promise.all(inFlight);
  const secs = (performance.now() - started) / 1000;
  const summary = { kind: 'summary', domains: done, counts, seconds: Math.round(secs * 100) / 100, perSecond: Math.round((done / Math.max(secs, 0.001)) * 10) / 10 };
  if (showProgress) showProgress('');
  if (args.json) io.out(JSON.stringify(summary));
  else io.out(`=== ${done} domain(s) in ${summary.seconds} s (${summary.perSecond}/s): ${ORDER.filter((k) => counts[k]).map((k) => `${counts[k]} ${k}`).join(', ') || 'none'}`);
  if (signal.aborted) return EXIT.cancelled;
  return allPass ? EXIT.delivered : EXIT.notDelivered;
}
