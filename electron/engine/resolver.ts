import { promises as dns } from 'node:dns';
import type { DnsStatus } from '../../shared/model';
import { parseResolverSpec } from '../../shared/mx';

/** The DNS questions the MX inspector and the SMTP engine ask. One instance serves one lookup. */
export interface DnsResolver {
  resolveMx(name: string): Promise<{ exchange: string; priority: number }[]>;
  resolve4(name: string): Promise<{ address: string; ttl: number }[]>;
  resolve6(name: string): Promise<{ address: string; ttl: number }[]>;
  /** Abandons every query still in flight; each rejects with code ECANCELLED. */
  cancel(): void;
  /** Which resolver answers: `127.0.0.1:5353`, `[::1]:53`, or `system (…)`. */
  readonly label: string;
}

/**
 * Each query gets two tries from c-ares, the first with a third of the budget and the retransmission with
 * the rest (c-ares doubles the wait on each try: t + 2t = budget). One lost UDP datagram then costs a retry
 * instead of a failed lookup, while a dead resolver still fails within the budget. Node's default (4 tries,
 * backoff from 5 s) would wait over a minute. Measured here: c-ares stretches very short per-try waits
 * (100 ms became ~300 ms), so the budget is also enforced by our own absolute deadline per query.
 */
export const DNS_TRIES = 2;

function codedError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** Rejects with ETIMEOUT when `promise` has not settled `ms` after the call: an absolute deadline. */
function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(codedError('ETIMEOUT', `${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * A resolver backed by node:dns (c-ares). `server` is `host[:port]` with an IP address as host; undefined
 * means the system's resolvers (/etc/resolv.conf). Throws when `server` cannot be parsed: callers validate
 * first, so that is a programming error.
 */
export function createNodeResolver(server: string | undefined, timeoutMs: number): DnsResolver {
  const perTry = Math.max(1, Math.floor(timeoutMs / (2 ** DNS_TRIES - 1)));
  const r = new dns.Resolver({ timeout: perTry, tries: DNS_TRIES });
  let label: string;
  if (server !== undefined && server.trim() !== '') {
    const spec = parseResolverSpec(server);
    if (!spec.ok) throw new Error(spec.error.message);
    r.setServers([spec.value.server]);
    label = spec.value.server;
  } else {
    label = `system (${r.getServers().join(', ') || 'none configured'})`;
  }
  return {
    label,
    resolveMx: (name) => withDeadline(r.resolveMx(name), timeoutMs, `MX ${name}`),
    resolve4: (name) => withDeadline(r.resolve4(name, { ttl: true }), timeoutMs, `A ${name}`),
    resolve6: (name) => withDeadline(r.resolve6(name, { ttl: true }), timeoutMs, `AAAA ${name}`),
    cancel: () => r.cancel(),
  };
}

/** Maps a node:dns error code to the status shown for the query. */
export function dnsStatusOf(error: unknown): DnsStatus {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  switch (code) {
    case 'ENODATA':
      return 'nodata';
    case 'ENOTFOUND':
      return 'nxdomain'; // c-ares reports NXDOMAIN as ENOTFOUND
    case 'ESERVFAIL':
      return 'servfail';
    case 'ETIMEOUT':
      return 'timeout';
    case 'EREFUSED':
      return 'refused';
    case 'ECANCELLED':
      return 'cancelled';
    default:
      return 'error';
  }
}

/** `ETIMEOUT: MX example.test: no answer within 300 ms`, for the query's detail line. */
export function dnsErrorDetail(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
