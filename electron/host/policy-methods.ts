import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import type { RequestApi } from '../../shared/api';
import { parseDomainQuery } from '../../shared/mx';
import { ok } from '../../shared/result';
import { checkPolicy } from '../engine/policy/policy-report';
import { presentedFromProbes } from '../engine/policy/presented';
import { stsOptionsFromEnv } from '../engine/policy/sts-env';
import { probeDomain } from '../engine/probe/probe-domain';
import { createResolver } from '../engine/resolver';
import type { ProbeMemory } from './policy-probe-memory';

export interface PolicyMethodsDeps {
  defaultResolver?: string;
  /** Extra trusted CAs for the STARTTLS probe (tests); default from `MXDESK_PROBE_CA_FILE`. */
  ca?: string[];
  env?: Record<string, string | undefined>;
  /** What recent health checks saw (policy-probe-memory.ts): used instead of connecting again. */
  memory?: ProbeMemory;
}

const DEFAULT_TIMEOUT_MS = 5000;

function readCa(file: string | undefined): string[] | undefined {
  if (!file) return undefined;
  try {
    return [readFileSync(file, 'utf8')];
  } catch {
    return undefined;
  }
}

/**
 * `checkPolicy`: DANE, MTA-STS and TLS-RPT per MX host of a domain (electron/engine/policy/policy-report.ts).
 * The certificates come from the last "Check all hosts" of the same domain, port and resolver when there is
 * one (no new connection), else from one probe pass of the same engine (connect, EHLO, STARTTLS, QUIT; no
 * mail, no PTR). A request with the id of one still running supersedes it.
 */
export function createPolicyMethods(deps: PolicyMethodsDeps = {}): Pick<RequestApi, 'checkPolicy'> {
  const running = new Map<string, AbortController>();
  const env = deps.env ?? process.env;
  const ca = deps.ca ?? readCa(env.MXDESK_PROBE_CA_FILE);
  return {
    async checkPolicy(req) {
      running.get(req.probeId)?.abort();
      const controller = new AbortController();
      setMaxListeners(0, controller.signal);
      running.set(req.probeId, controller);
      try {
        const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        const sts = { ...stsOptionsFromEnv(env), timeoutMs };
        const resolver = (): ReturnType<typeof createResolver> => createResolver(req.resolver ?? deps.defaultResolver, timeoutMs);
        // The health check of the same domain, port and resolver a moment ago saw the certificates already.
        const remembered = deps.memory?.recall(req);
        const q = parseDomainQuery(req.query);
        if (remembered && q.ok) {
          const report = await checkPolicy(resolver(), q.value.ascii, { ...remembered.presented, sts, probedPort: remembered.port, signal: controller.signal });
          return ok({ ...report, certificatesFrom: 'health-check' });
        }
        const probe = await probeDomain({ ...req, probeId: `policy-${req.probeId}` }, { signal: controller.signal, defaultResolver: deps.defaultResolver, ca, noPtr: true });
        if (!probe.ok) return probe;
        const seen = presentedFromProbes(probe.value.probes);
        const report = await checkPolicy(resolver(), probe.value.domain, { ...seen, sts, probedPort: probe.value.port, signal: controller.signal });
        return ok({ ...report, certificatesFrom: 'own-probe' });
      } finally {
        if (running.get(req.probeId) === controller) running.delete(req.probeId);
      }
    },
  };
}
