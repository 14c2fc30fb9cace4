import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import type { RequestApi } from '../../shared/api';
import { failedCheckResult, mxCheckResult, relayCheckResult, type CheckKind, type CheckResult } from '../../shared/probe/check-record';
import { ok, type Result } from '../../shared/result';
import { probeDomain, type ProbeDeps } from '../engine/probe/probe-domain';
import { probeRelay } from '../engine/probe/probe-relay';
import { startCheckRun, type KeyedEmit } from './check-journal';

export interface ProbeMethodsDeps {
  defaultResolver?: string;
  /** Every probe event, with the key of its check's journal (journaled, then pushed like a session's). */
  emit?: KeyedEmit;
  /** Extra trusted CAs (tests). */
  ca?: string[];
}

/** `MXDESK_PROBE_CA_FILE`: a PEM file of extra CAs that probes trust (a private CA, or the tests'). */
function extraCas(file: string | undefined): string[] | undefined {
  if (!file) return undefined;
  try {
    return [readFileSync(file, 'utf8')];
  } catch {
    return undefined;
  }
}

type ProbeMethods = Pick<RequestApi, 'probeMx' | 'probeRelay' | 'cancelProbe'>;

/**
 * MX health probes. A probe with the id of one still running supersedes it (the old one is cancelled and
 * reports `cancelled`), and cancelProbe stops one by id, as for MX lookups.
 */
export function createProbeMethods(deps: ProbeMethodsDeps): ProbeMethods {
  const running = new Map<string, AbortController>();
  const ca = deps.ca ?? extraCas(process.env.MXDESK_PROBE_CA_FILE);
  async function track<T>(
    id: string,
    start: { check: CheckKind; target: string; port?: number },
    work: (d: ProbeDeps) => Promise<Result<T>>,
    resultOf: (value: T, cancelled: boolean) => CheckResult,
  ): Promise<Result<T>> {
    running.get(id)?.abort();
    const controller = new AbortController();
    setMaxListeners(0, controller.signal); // one listener per address probe
    running.set(id, controller);
    // One History entry per check: opened here, closed with the verdict (or the error) when it ends.
    const run = startCheckRun(deps.emit, id, start);
    const t0 = performance.now();
    let result: CheckResult | undefined;
    try {
      const r = await work({ signal: controller.signal, defaultResolver: deps.defaultResolver, emit: run.emit, ca });
      const cancelled = controller.signal.aborted;
      result = r.ok ? resultOf(r.value, cancelled) : failedCheckResult(start.check, start.target, r.error.message, performance.now() - t0, cancelled);
      return r;
    } finally {
      run.end(result ?? failedCheckResult(start.check, start.target, 'The check stopped on an internal error.', performance.now() - t0, controller.signal.aborted));
      if (running.get(id) === controller) running.delete(id);
    }
  }
  return {
    probeMx: (req) => track(req.probeId, { check: 'mx', target: req.query.trim(), port: req.port ?? 25 }, (d) => probeDomain(req, d), (v) => mxCheckResult(v)),
    probeRelay: (req) => track(req.probeId, { check: 'relay', target: req.host }, (d) => probeRelay(req, d), relayCheckResult),
    async cancelProbe(req) {
      running.get(req.probeId)?.abort();
      running.delete(req.probeId);
      return ok(null);
    },
  };
}
