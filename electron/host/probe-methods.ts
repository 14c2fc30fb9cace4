import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import type { RequestApi } from '../../shared/api';
import type { SessionEvent } from '../../shared/events';
import { ok, type Result } from '../../shared/result';
import { probeDomain, type ProbeDeps } from '../engine/probe/probe-domain';
import { probeRelay } from '../engine/probe/probe-relay';

export interface ProbeMethodsDeps {
  defaultResolver?: string;
  /** Every probe event (journaled and pushed like a session's). */
  emit?: (e: SessionEvent) => void;
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
  async function track<T>(id: string, work: (d: ProbeDeps) => Promise<Result<T>>): Promise<Result<T>> {
    running.get(id)?.abort();
    const controller = new AbortController();
    setMaxListeners(0, controller.signal); // one listener per address probe
    running.set(id, controller);
    try {
      return await work({ signal: controller.signal, defaultResolver: deps.defaultResolver, emit: deps.emit, ca });
    } finally {
      if (running.get(id) === controller) running.delete(id);
    }
  }
  return {
    probeMx: (req) => track(req.probeId, (d) => probeDomain(req, d)),
    probeRelay: (req) => track(req.probeId, (d) => probeRelay(req, d)),
    async cancelProbe(req) {
      running.get(req.probeId)?.abort();
      running.delete(req.probeId);
      return ok(null);
    },
  };
}
