/**
 * STABLE INTERFACE (engineer A, issue 9). Others code against `DnsResolver`, `createResolver`,
 * `reverseName`, `dnsStatusOf` and `dnsErrorDetail`; these keep their shape. What is stable:
 * - `query(name, type)` resolves with a `DnsAnswer` (records, RRset TTL, AD bit, CNAMEs followed) or rejects
 *   with an Error whose `code` is ENODATA, ENOTFOUND (NXDOMAIN), ESERVFAIL, ETIMEOUT, EREFUSED, ECANCELLED
 *   (or EBADRESP / EFORMERR / ENOTIMP / EBADNAME for malformed traffic and names).
 * - `dnssec(name, type)` never rejects: `{ status, answer?, error?, reason }`, where `bogus` is found by asking
 *   again with CD set after a SERVFAIL and `unknown` means this resolver does not validate.
 * - `validates()` says whether the resolver validates DNSSEC at all (probed once, in parallel, cached).
 * - `resolveMx`, `resolve4`, `resolve6` are the old node:dns-shaped calls, now with TTLs on MX too.
 * Names go in as A-labels (ASCII); `lookupMx` converts what the user typed. Everything is bounded: one
 * absolute deadline per query, response sizes and record counts capped.
 * Also: `lookupMailDns` (dns/mail-dns.ts) asks MX + `_mta-sts` + `_smtp._tls` TXT, then A/AAAA/TLSA of every
 * MX host, in two round trips. Tests: test/support/dnssec.ts (`startDnssecLab`: signed, bogus and unsigned
 * zones behind a validating unbound) and test/support/scripted-resolver.ts (a DnsResolver from a script).
 */
import type { DnsAnswer, DnsRecordType, DnssecAnswer } from '../../shared/dns-types';
import type { DnsStatus } from '../../shared/model';
import { createWireResolver } from './dns/wire-resolver';

export { reverseName } from './dns/reverse-name';

/** The DNS questions MX Desk asks. One instance serves one lookup (or one check); cancel() ends it. */
export interface DnsResolver {
  /** Any supported record type; EDNS0 with DO set (RFC 3225), UDP with TCP fallback on TC (RFC 7766). */
  query<T extends DnsRecordType>(name: string, type: T): Promise<DnsAnswer<T>>;
  /** The same question, with a DNSSEC status for the answer (or for the denial). Never rejects. */
  dnssec<T extends DnsRecordType>(name: string, type: T): Promise<DnssecAnswer<T>>;
  /** True when this resolver validates DNSSEC (it set AD on a signed probe name). Never rejects. */
  validates(): Promise<boolean>;
  resolveMx(name: string): Promise<{ exchange: string; priority: number; ttl: number }[]>;
  resolve4(name: string): Promise<{ address: string; ttl: number }[]>;
  resolve6(name: string): Promise<{ address: string; ttl: number }[]>;
  /** Abandons every query still in flight; each rejects with code ECANCELLED. */
  cancel(): void;
  /** Which resolver answers: `127.0.0.1:5353`, `[::1]:53`, or `system (…)`. */
  readonly label: string;
}

/**
 * Each query gets two tries, the first with a third of the budget and the retransmission with the rest
 * (t + 2t = budget). One lost UDP datagram then costs a retry instead of a failed lookup, while a dead
 * resolver still fails within the budget, enforced by an absolute deadline per query.
 */
export const DNS_TRIES = 2;

/**
 * A resolver that speaks DNS on the wire (dns-packet). `server` is `host[:port]` with an IP address as host;
 * undefined means the system's resolvers (/etc/resolv.conf nameserver lines, else 127.0.0.1). Throws when
 * `server` cannot be parsed: callers validate first, so that is a programming error.
 */
export function createResolver(server: string | undefined, timeoutMs: number): DnsResolver {
  return createWireResolver(server, timeoutMs);
}

/** The old name, kept for callers written before the wire client (it is no longer node:dns). */
export const createNodeResolver = createResolver;

/** Maps a resolver error code to the status shown for the query. */
export function dnsStatusOf(error: unknown): DnsStatus {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  switch (code) {
    case 'ENODATA':
      return 'nodata';
    case 'ENOTFOUND':
      return 'nxdomain';
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
