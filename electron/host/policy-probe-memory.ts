/**
 * What the last MX health checks saw of each host's TLS, kept a few minutes so that "Check policies" can match
 * certificates without connecting again: the service wraps probeMx with `rememberingProbes`, and
 * createPolicyMethods asks `recall` first. Only certificates and TLS outcomes are kept (no transcript), for
 * at most MAX_ENTRIES checks.
 */
import type { RequestApi } from '../../shared/api';
import { parseDomainQuery } from '../../shared/mx';
import type { ProbeMxRequest } from '../../shared/probe/types';
import { presentedFromProbes, type PresentedTls } from '../engine/policy/presented';

export const PROBE_MEMORY_MS = 5 * 60_000;
const MAX_ENTRIES = 32;

export interface RememberedProbe {
  presented: PresentedTls;
  port: number;
  at: number;
}

export interface ProbeMemory {
  remember(req: ProbeMxRequest, domain: string, port: number, presented: PresentedTls): void;
  recall(req: ProbeMxRequest, defaultResolver?: string): RememberedProbe | undefined;
}

function key(domain: string, port: number, resolver: string | undefined, family: number | undefined): string {
  return JSON.stringify([domain.toLowerCase(), port, resolver?.trim() ?? '', family ?? 0]);
}

export function createProbeMemory(now: () => number = Date.now, defaultResolver?: string): ProbeMemory {
  const entries = new Map<string, RememberedProbe>();
  return {
    remember(req, domain, port, presented) {
      const k = key(domain, port, req.resolver ?? defaultResolver, req.family);
      entries.delete(k);
      entries.set(k, { presented, port, at: now() });
      while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
    },
    recall(req, fallbackResolver) {
      const q = parseDomainQuery(req.query);
      if (!q.ok) return undefined;
      const k = key(q.value.ascii, req.port ?? 25, req.resolver ?? fallbackResolver ?? defaultResolver, req.family);
      const e = entries.get(k);
      if (!e || now() - e.at > PROBE_MEMORY_MS) return undefined;
      return e;
    },
  };
}

/** probeMx as before, remembering what each finished (not cancelled) check saw of TLS. */
export function rememberingProbes<T extends Pick<RequestApi, 'probeMx'>>(methods: T, memory: ProbeMemory): T {
  return {
    ...methods,
    async probeMx(req: ProbeMxRequest) {
      const r = await methods.probeMx(req);
      if (r.ok && r.value.verdict !== 'cancelled') memory.remember(req, r.value.domain, r.value.port, presentedFromProbes(r.value.probes));
      return r;
    },
  };
}
