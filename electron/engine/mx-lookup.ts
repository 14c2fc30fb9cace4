import type { DnsRecordType, DnssecStatus, RecordOf } from '../../shared/dns-types';
import type { AddressRecord, DnsQueryStat, DnsStatus, HostWarning, MxDnssec, MxHostView, MxLookupRequest, MxReport, MxVerdict } from '../../shared/model';
import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';
import { addressFlags, isIpLiteral, parseDomainQuery, parseResolverSpec, sortMx, unicodeHostName, verdictSummary } from '../../shared/mx';
import type { DnsResolver } from './resolver';
import { createNodeResolver, dnsErrorDetail, dnsStatusOf } from './resolver';

export interface MxLookupDeps {
  createResolver?: (server: string | undefined, timeoutMs: number) => DnsResolver;
  signal?: AbortSignal;
  /** Shuffles MX hosts of equal preference; Math.random by default, fixed in tests. */
  random?: () => number;
  /** `host[:port]` used when the request names no resolver (web mode's `--dns`). */
  defaultResolver?: string;
  /** Called as each query finishes, for live progress. */
  onQuery?: (q: DnsQueryStat) => void;
}

export const DEFAULT_DNS_TIMEOUT_MS = 5000;
/** More MX hosts than this are listed but not resolved: a hostile zone must not fan out without bound. */
export const MAX_RESOLVED_HOSTS = 32;

type Answer<T> = { status: DnsStatus; value?: T; ttl?: number; viaTcp?: boolean; dnssec: DnssecStatus; error?: unknown };
const TEMPORARY: DnsStatus[] = ['servfail', 'timeout', 'refused', 'error'];

interface Ctx {
  resolver: DnsResolver;
  signal?: AbortSignal;
  /** One promise per lookup that rejects on abort: every query races it, so the signal holds one listener. */
  aborted: Promise<never>;
  onQuery?: (q: DnsQueryStat) => void;
  queries: DnsQueryStat[];
}

function abortPromise(signal: AbortSignal | undefined): { promise: Promise<never>; dispose(): void } {
  if (!signal) return { promise: new Promise<never>(() => undefined), dispose: () => undefined };
  let onAbort = (): void => undefined;
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(Object.assign(new Error('lookup cancelled'), { code: 'ECANCELLED' }));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => undefined);
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

/**
 * Asks one question with its DNSSEC status, timing it; never rejects. A bogus answer (records only with CD
 * set) counts as the SERVFAIL it was: a validating sender would not use it. The stat is recorded in the
 * caller's order, not here.
 */
async function ask<T extends DnsRecordType>(ctx: Ctx, type: T, name: string): Promise<{ answer: Answer<RecordOf[T][]>; stat: DnsQueryStat }> {
  const t0 = performance.now();
  let answer: Answer<RecordOf[T][]>;
  try {
    const r = await Promise.race([ctx.resolver.dnssec(name, type), ctx.aborted]);
    if (r.answer && r.status !== 'bogus') answer = { status: 'ok', value: r.answer.records, ttl: r.answer.ttl, viaTcp: r.answer.viaTcp, dnssec: r.status };
    else {
      const error = Object.assign(new Error(r.status === 'bogus' ? r.reason : (r.error?.message ?? r.reason)), { code: r.error?.code ?? 'ESERVFAIL' });
      answer = { status: ctx.signal?.aborted ? 'cancelled' : dnsStatusOf(error), dnssec: r.status, error };
    }
  } catch (error) {
    answer = { status: ctx.signal?.aborted ? 'cancelled' : dnsStatusOf(error), dnssec: 'unknown', error };
  }
  const stat: DnsQueryStat = { type, name, status: answer.status, ms: Math.round((performance.now() - t0) * 10) / 10, resolver: ctx.resolver.label, dnssec: answer.dnssec };
  if (answer.ttl !== undefined) stat.ttl = answer.ttl;
  if (answer.viaTcp) stat.viaTcp = true;
  if (answer.status !== 'ok') stat.detail = dnsErrorDetail(answer.error);
  ctx.onQuery?.(stat);
  return { answer, stat };
}

interface HostAddresses {
  addresses: AddressRecord[];
  queries: DnsQueryStat[];
  statuses: DnsStatus[];
  dnssec: { A: DnssecStatus; AAAA: DnssecStatus };
}

/** A and AAAA of one name, asked at the same moment. */
async function addressesOf(ctx: Ctx, name: string): Promise<HostAddresses> {
  const [a, aaaa] = await Promise.all([
    ask(ctx, 'A', name),
    ask(ctx, 'AAAA', name),
  ]);
  const addresses: AddressRecord[] = [
    ...(a.answer.value ?? []).map((r) => ({ family: 4 as const, address: r.address, ttl: r.ttl, flags: addressFlags(r.address) })),
    ...(aaaa.answer.value ?? []).map((r) => ({ family: 6 as const, address: r.address, ttl: r.ttl, flags: addressFlags(r.address) })),
  ];
  return { addresses, queries: [a.stat, aaaa.stat], statuses: [a.answer.status, aaaa.answer.status], dnssec: { A: a.answer.dnssec, AAAA: aaaa.answer.dnssec } };
}

function warningsFor(found: HostAddresses): HostWarning[] {
  const warnings: HostWarning[] = [];
  const failed = found.statuses.some((s) => TEMPORARY.includes(s));
  if (found.addresses.length === 0 && !failed && !found.statuses.includes('cancelled')) warnings.push('no_address');
  if (found.addresses.some((a) => a.flags.length > 0)) warnings.push('private_address');
  if (failed) warnings.push('address_lookup_failed');
  return warnings;
}

/** Bare host name: lower case, no trailing dot. A null MX target ('.' on the wire) comes back as ''. */
function normalizeExchange(exchange: string): string {
  return exchange.trim().replace(/\.$/, '').toLowerCase();
}

function firstTemporary(statuses: DnsStatus[]): DnsStatus | undefined {
  return statuses.find((s) => TEMPORARY.includes(s));
}

/**
 * Looks up where mail for a domain goes: the MX set, then every host's A and AAAA all at once, so the
 * whole lookup costs two sequential resolver round trips. Never throws; bad input is a failed Result,
 * DNS trouble is a verdict in the report.
 */
export async function lookupMx(req: MxLookupRequest, deps: MxLookupDeps = {}): Promise<Result<MxReport>> {
  const started = performance.now();
  const parsed = parseDomainQuery(req.query);
  if (!parsed.ok) return parsed;
  const { ascii: domain, unicode: domainUnicode } = parsed.value;
  const server = req.resolver?.trim() || deps.defaultResolver?.trim() || undefined;
  if (server !== undefined) {
    const spec = parseResolverSpec(server);
    if (!spec.ok) return spec;
  }
  const timeoutMs = req.timeoutMs ?? DEFAULT_DNS_TIMEOUT_MS;
  let resolver: DnsResolver;
  try {
    resolver = (deps.createResolver ?? createNodeResolver)(server, timeoutMs);
  } catch (error) {
    return fail('resolver_error', `The resolver could not be set up: ${dnsErrorDetail(error)}`, { field: 'resolver', stage: 'dns' });
  }
  // One abort listener for the whole lookup: it rejects the shared promise and cancels the resolver.
  const abort = abortPromise(deps.signal);
  const ctx: Ctx = { resolver, signal: deps.signal, aborted: abort.promise, onQuery: deps.onQuery, queries: [] };
  const onAbort = (): void => resolver.cancel();
  deps.signal?.addEventListener('abort', onAbort, { once: true });
  let roundTrips = 0;
  let mxTtl: number | undefined;
  let mxDnssec: DnssecStatus | undefined;
  let validating = false;
  const finish = (verdict: MxVerdict, hosts: MxHostView[], failure?: DnsStatus): Result<MxReport> =>
    ok({
      query: req.query,
      domain,
      domainUnicode,
      resolver: resolver.label,
      verdict,
      summary: verdictSummary({ verdict, domain, domainUnicode, hosts, failure, bogus: mxDnssec === 'bogus' }),
      hosts,
      queries: ctx.queries,
      roundTrips,
      elapsedMs: Math.round((performance.now() - started) * 10) / 10,
      ...(mxTtl !== undefined ? { mxTtl } : {}),
      ...(mxDnssec !== undefined ? { dnssec: mxDnssecOf(mxDnssec, validating) } : {}),
    });

  try {
    if (deps.signal?.aborted) return finish('cancelled', []);
    roundTrips = 1;
    // The validation probe runs beside the MX query (it was started by the first dnssec question).
    const [mx, validates] = await Promise.all([ask(ctx, 'MX', domain), Promise.race([resolver.validates(), ctx.aborted]).catch(() => false)]);
    ctx.queries.push(mx.stat);
    validating = validates;
    mxDnssec = mx.answer.dnssec;
    mxTtl = mx.answer.ttl;
    const status = mx.answer.status;
    if (status === 'cancelled') return finish('cancelled', []);
    if (status === 'nxdomain') return finish('nxdomain', []);
    if (TEMPORARY.includes(status)) return finish('dns_failure', [], status);
    const records = mx.answer.value ?? [];

    if (records.length === 0) {
      // RFC 5321 §5.1: no MX at all, so the domain itself is the mail host if it has an address.
      roundTrips = 2;
      const found = await addressesOf(ctx, domain);
      ctx.queries.push(...found.queries);
      if (found.statuses.includes('cancelled')) return finish('cancelled', []);
      if (found.addresses.length === 0) {
        const failure = firstTemporary(found.statuses);
        return failure ? finish('dns_failure', [], failure) : finish('no_mail_host', []);
      }
      const host: MxHostView = {
        exchange: domain,
        exchangeUnicode: domainUnicode,
        preference: 0,
        implicit: true,
        addresses: found.addresses,
        addressDnssec: found.dnssec,
        queries: found.queries,
        warnings: warningsFor(found),
      };
      return finish('implicit_mx', [host]);
    }

    const named = records.map((r) => ({ exchange: normalizeExchange(r.exchange), preference: r.priority, ttl: r.ttl }));
    // RFC 7505 §3: a null MX is a single record whose exchange is the root. Any null record among real
    // ones is a broken zone; senders would skip it, so we do too.
    const real = named.filter((r) => r.exchange !== '');
    if (real.length === 0) return finish('null_mx', []);

    const sorted = sortMx(real, deps.random ?? Math.random);
    const toResolve = [...new Set(sorted.filter((r) => !isIpLiteral(r.exchange)).map((r) => r.exchange))].slice(0, MAX_RESOLVED_HOSTS);
    roundTrips = toResolve.length > 0 ? 2 : 1;
    const results = await Promise.all(toResolve.map((name) => addressesOf(ctx, name)));
    const byName = new Map(toResolve.map((name, i) => [name, results[i]]));
    for (const r of results) ctx.queries.push(...r.queries);

    const hosts: MxHostView[] = sorted.map((r) => {
      const found = byName.get(r.exchange);
      const literal = isIpLiteral(r.exchange);
      return {
        exchange: r.exchange,
        exchangeUnicode: literal ? r.exchange : unicodeHostName(r.exchange),
        preference: r.preference,
        ...(r.ttl !== undefined ? { ttl: r.ttl } : {}),
        implicit: false,
        addresses: found?.addresses ?? [],
        ...(found ? { addressDnssec: found.dnssec } : {}),
        queries: found?.queries ?? [],
        // An IP literal is not looked up: RFC 1035 §3.3.9 makes the exchange a domain name, and a sender
        // that follows the rules would query the digits as a name and find nothing.
        warnings: literal ? ['ip_literal'] : found ? warningsFor(found) : [],
      };
    });
    const statuses = results.flatMap((r) => r.statuses);
    if (statuses.includes('cancelled')) return finish('cancelled', hosts);
    const failure = firstTemporary(statuses);
    if (failure && hosts.every((h) => h.addresses.length === 0)) return finish('dns_failure', hosts, failure);
    return finish('mx', hosts);
  } catch (error) {
    // Defensive: nothing above should throw, but a Result must come back whatever happens.
    return fail('lookup_failed', `The lookup failed unexpectedly: ${dnsErrorDetail(error)}`, { stage: 'dns' });
  } finally {
    deps.signal?.removeEventListener('abort', onAbort);
    abort.dispose();
    resolver.cancel(); // release queries abandoned at their deadline
  }
}

/** The report's DNSSEC line: what the MX set's status means, and the plain warning when nothing can be judged. */
export function mxDnssecOf(mx: DnssecStatus, validating: boolean): MxDnssec {
  if (!validating && mx !== 'bogus') {
    return { mx: 'unknown', validating: false, note: 'This resolver does not validate DNSSEC, so DANE cannot be judged.' };
  }
  const notes: Record<DnssecStatus, string> = {
    secure: 'The MX set is DNSSEC-signed and validated by the resolver (AD bit, RFC 4035 §3.2.3).',
    insecure: 'The resolver validates DNSSEC, but this MX set is not signed: DANE does not apply to it (RFC 7672 §2.2).',
    bogus: 'The MX set fails DNSSEC validation (bogus): a validating sender treats it as a failed lookup (RFC 4035 §5.5).',
    unknown: 'The DNSSEC status of the MX set could not be learned.',
  };
  return { mx, validating, note: notes[mx] };
}
