// Checks every address of every MX host of a domain live, in parallel with bounded concurrency (at most a
// few connections per host), and folds the findings into the health matrix, the verdict and the egress
// diagnosis. Each address is its own event stream, like a session, so the log and exports work on it.
import type { SessionEvent, SessionEventBody } from '../../../shared/events';
import type { MxLookupRequest, MxReport } from '../../../shared/model';
import { markDifferences, matrixRow } from '../../../shared/probe/cells';
import type { AddressProbe, ProbeMxRequest, ProbeReport } from '../../../shared/probe/types';
import { MAX_ADDRESSES_PER_HOST, MAX_PROBED_HOSTS } from '../../../shared/probe/types';
import { diagnoseEgress, domainVerdict } from '../../../shared/probe/verdict';
import type { Result } from '../../../shared/result';
import { ok } from '../../../shared/result';
import type { Connector } from '../connector';
import { lookupMx, type MxLookupDeps } from '../mx-lookup';
import { createLimiter, type Limiter } from './limiter';
import { probeAddress, probeTimeouts } from './probe-address';
import { createReverseDns, lookupPtr, type ReverseDns } from './probe-dns';

export interface ProbeDeps {
  signal?: AbortSignal;
  /** Stamped events of every stream (`probe:ID` for DNS, `probe:ID:N` per address). */
  emit?: (e: SessionEvent) => void;
  limiter?: Limiter;
  defaultResolver?: string;
  createResolver?: MxLookupDeps['createResolver'];
  createReverseDns?: (server: string | undefined, timeoutMs: number) => ReverseDns;
  /** Extra trusted CAs (tests). */
  ca?: string[];
  connector?: Connector;
  /** Skip PTR lookups (batch mode can turn them off). */
  noPtr?: boolean;
}

export const DEFAULT_TOTAL_CONCURRENCY = 16;
export const PER_HOST_CONCURRENCY = 3;

export interface ProbeTarget {
  host: string;
  preference?: number;
  address: string;
  family: 4 | 6;
}

/** The addresses to probe, within the caps; what the caps leave out is named. */
export function probeTargets(mx: MxReport, family: 4 | 6 | undefined): { targets: ProbeTarget[]; skipped: string[] } {
  const targets: ProbeTarget[] = [];
  const skipped: string[] = [];
  // The lookup resolves at most MAX_RESOLVED_HOSTS hosts in preference order; a probe takes the same ones.
  if (mx.hosts.length > MAX_PROBED_HOSTS) skipped.push(`${mx.hosts.length - MAX_PROBED_HOSTS} more MX hosts (of ${mx.hosts.length}) were not probed: at most ${MAX_PROBED_HOSTS}, in preference order.`);
  for (const h of mx.hosts.slice(0, MAX_PROBED_HOSTS)) {
    if (h.addresses.length === 0) {
      skipped.push(`${h.exchange}: no address to probe.`);
      continue;
    }
    const addrs = h.addresses.filter((a) => family === undefined || a.family === family);
    if (addrs.length > MAX_ADDRESSES_PER_HOST) skipped.push(`${h.exchange}: ${addrs.length - MAX_ADDRESSES_PER_HOST} of ${addrs.length} addresses were not probed (at most ${MAX_ADDRESSES_PER_HOST} per host).`);
    for (const a of addrs.slice(0, MAX_ADDRESSES_PER_HOST)) targets.push({ host: h.exchange, preference: h.implicit ? undefined : h.preference, address: a.address, family: a.family });
  }
  return { targets, skipped };
}

export interface StreamStamp {
  (body: SessionEventBody): void;
}

/** Stamps bodies of one stream with id, sequence and time since `t0`. */
export function stampStream(id: string, t0: number, emit: ((e: SessionEvent) => void) | undefined): StreamStamp {
  let seq = 0;
  return (body) => {
    if (!emit) return;
    try {
      emit({ ...body, sessionId: id, seq: seq++, at: Math.round((performance.now() - t0) * 1000) / 1000 } as SessionEvent);
    } catch {
      // A listener's failure must not break the probe.
    }
  };
}

export async function probeTargetList(
  probeId: string,
  targets: ProbeTarget[],
  opts: { port: number; tlsMode: (port: number) => 'starttls' | 'implicit'; timeoutMs?: number; resolver?: string },
  deps: ProbeDeps,
): Promise<AddressProbe[]> {
  const timeouts = probeTimeouts(opts.timeoutMs);
  const signal = deps.signal ?? new AbortController().signal;
  const limiter = deps.limiter ?? createLimiter(DEFAULT_TOTAL_CONCURRENCY, PER_HOST_CONCURRENCY);
  const rdns = deps.noPtr ? undefined : (deps.createReverseDns ?? createReverseDns)(opts.resolver, Math.min(timeouts.connectMs, 5000));
  try {
    return await Promise.all(
      targets.map((t, i) =>
        limiter.run(
          t.host,
          async () => {
            const t0 = performance.now();
            return probeAddress({
              host: t.host,
              address: t.address,
              family: t.family,
              port: opts.port,
              tlsMode: opts.tlsMode(opts.port),
              timeouts,
              signal,
              emit: stampStream(`probe:${probeId}:${i}`, t0, deps.emit),
              clock: () => performance.now() - t0,
              ca: deps.ca,
              connector: deps.connector,
              ptr: rdns && !signal.aborted ? lookupPtr(rdns, t.address, t.family) : undefined,
            });
          },
          signal,
        ),
      ),
    );
  } finally {
    rdns?.cancel();
  }
}

export const tlsModeForPort = (port: number): 'starttls' | 'implicit' => (port === 465 ? 'implicit' : 'starttls');

/** Never throws: bad input is a failed Result, everything else is in the report. */
export async function probeDomain(req: ProbeMxRequest, deps: ProbeDeps = {}): Promise<Result<ProbeReport>> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const port = req.port ?? 25;
  const dnsStream = stampStream(`probe:${req.probeId}`, started, deps.emit);
  const lookupReq: MxLookupRequest = { query: req.query, resolver: req.resolver };
  const mx = await lookupMx(lookupReq, {
    signal: deps.signal,
    defaultResolver: deps.defaultResolver,
    createResolver: deps.createResolver,
    onQuery: (q) => dnsStream({ kind: 'dns', query: q }),
  });
  if (!mx.ok) return mx;
  const report = mx.value;
  dnsStream({ kind: 'mx_plan', domain: report.domain, report });
  const { targets, skipped } = report.verdict === 'mx' || report.verdict === 'implicit_mx' ? probeTargets(report, req.family) : { targets: [], skipped: [] };
  const resolver = req.resolver?.trim() || deps.defaultResolver;
  const probes = await probeTargetList(req.probeId, targets, { port, tlsMode: tlsModeForPort, timeoutMs: req.timeoutMs, resolver }, deps);
  const rows = markDifferences(probes.map((p, i) => matrixRow(p, targets[i].preference)));
  const cancelled = deps.signal?.aborted === true;
  const v = cancelled ? { verdict: 'cancelled' as const, summary: `The check of ${report.domain} was cancelled.` } : domainVerdict(report.domain, report, rows, port);
  return ok({
    probeId: req.probeId,
    domain: report.domain,
    port,
    mx: report,
    probes,
    rows,
    verdict: v.verdict,
    summary: v.summary,
    egress: diagnoseEgress(probes, port),
    skipped,
    startedAt,
    elapsedMs: Math.round((performance.now() - started) * 10) / 10,
  });
}
