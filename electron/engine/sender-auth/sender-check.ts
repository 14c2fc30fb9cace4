/**
 * "Will it pass?": SPF of the MAIL FROM domain for this machine's outgoing address, then DMARC of the From
 * domain with the SPF and DKIM domains aligned against it. Every DNS question goes through the resolver the
 * user chose and is reported through onQuery. Never throws: bad input and failed routes are Results.
 */
import { isIP } from 'node:net';
import type { DnsQueryStat } from '../../../shared/model';
import type { Result } from '../../../shared/result';
import { fail, ok } from '../../../shared/result';
import type { SenderCheckReport, SenderCheckRequest } from '../../../shared/sender-auth/types';
import { senderVerdict } from '../../../shared/sender-auth/verdict';
import { createResolver } from '../resolver';
import type { DnsResolver } from '../resolver';
import { checkDkimKey } from './dkim-key-check';
import { checkDmarc } from './dmarc-check';
import { outgoingAddressTo } from './outgoing-address';
import { checkSpf } from './spf-check';

export interface SenderCheckDeps {
  defaultResolver?: string;
  /** A resolver to use instead of creating one (tests). */
  resolver?: DnsResolver;
  onQuery?: (q: DnsQueryStat) => void;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 3000;

function domainOf(address: string): string {
  return (address.split('@').pop() ?? '').toLowerCase();
}

/** The first address of a target name: its own A/AAAA, else its best MX host's (RFC 5321 §5.1). */
async function addressOfTarget(resolver: DnsResolver, target: string): Promise<Result<string>> {
  if (isIP(target)) return ok(target);
  const first = async (name: string): Promise<string | undefined> => {
    for (const type of ['A', 'AAAA'] as const) {
      try {
        const a = await resolver.query(name, type);
        if (a.records[0]) return a.records[0].address;
      } catch {
        // try the other family, then the MX
      }
    }
    return undefined;
  };
  const own = await first(target);
  if (own) return ok(own);
  try {
    const mx = await resolver.query(target, 'MX');
    const best = [...mx.records].sort((a, b) => a.priority - b.priority)[0];
    const viaMx = best ? await first(best.exchange) : undefined;
    if (viaMx) return ok(viaMx);
  } catch {
    // reported below
  }
  return fail('route_failed', `The target ${target} has no address (A, AAAA or MX), so the outgoing address towards it is unknown; type the address instead.`, { field: 'target', stage: 'route' });
}

export async function checkSender(req: SenderCheckRequest, deps: SenderCheckDeps = {}): Promise<Result<SenderCheckReport>> {
  const started = performance.now();
  let resolver: DnsResolver;
  try {
    resolver = deps.resolver ?? createResolver(req.resolver ?? deps.defaultResolver, req.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  } catch (e) {
    return fail('invalid_input', `The resolver cannot be used: ${(e as Error).message}`, { field: 'resolver' });
  }
  const onAbort = (): void => resolver.cancel();
  deps.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let ip = req.ip;
    let ipSource: 'typed' | 'route' = 'typed';
    if (!ip) {
      const target = await addressOfTarget(resolver, req.target ?? '');
      if (!target.ok) return target;
      const local = await outgoingAddressTo(target.value);
      if (!local.ok) return local;
      ip = local.value;
      ipSource = 'route';
    }
    const spf = await checkSpf(resolver, { sender: req.mailFrom, ip, ipSource, helo: req.helo, onQuery: deps.onQuery });
    const key = req.dkimDomain && req.dkimSelector ? await checkDkimKey(resolver, req.dkimDomain, req.dkimSelector, deps.onQuery) : undefined;
    const dmarc = await checkDmarc(resolver, {
      fromDomain: domainOf(req.from ?? req.mailFrom),
      spfDomain: spf.domain,
      spfResult: spf.result,
      dkimDomain: req.dkimDomain,
      // Without a selector the signature is taken as planned; with one, it counts only if its key is published.
      dkimVerifiable: key ? key.check.found : undefined,
      onQuery: deps.onQuery,
    });
    const { verdict, passes } = senderVerdict(spf, dmarc);
    const report: SenderCheckReport = { spf, dmarc, verdict, passes, resolver: resolver.label, elapsedMs: Math.round(performance.now() - started) };
    if (key) {
      report.dkimKey = key.check;
      dmarc.queries.unshift(...key.queries);
    }
    return ok(report);
  } finally {
    deps.signal?.removeEventListener('abort', onAbort);
  }
}
