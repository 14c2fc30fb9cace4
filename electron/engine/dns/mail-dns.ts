// Every DNS question a DANE/MTA-STS-aware sender asks about a domain, scheduled so they cost two resolver
// round trips: the MX set with the `_mta-sts` (RFC 8461 §3.1) and `_smtp._tls` (RFC 8460 §3) TXT records
// beside it, then every MX host's A, AAAA and `_25._tcp` TLSA (RFC 7672 §2.2.1) at once.
import type { DnssecAnswer } from '../../../shared/dns-types';
import type { MxLookupRequest, MxReport } from '../../../shared/model';
import { parseDomainQuery } from '../../../shared/mx';
import type { Result } from '../../../shared/result';
import { ok } from '../../../shared/result';
import { lookupMx, MAX_RESOLVED_HOSTS, type MxLookupDeps } from '../mx-lookup';
import { createResolver, type DnsResolver } from '../resolver';

export interface HostTlsa {
  /** The MX host (A-label); the TLSA owner is `_25._tcp.<host>`. */
  host: string;
  answer: DnssecAnswer<'TLSA'>;
}

export interface MailDnsReport {
  mx: MxReport;
  /** TXT `_mta-sts.<domain>`. */
  mtaSts: DnssecAnswer<'TXT'>;
  /** TXT `_smtp._tls.<domain>`. */
  tlsRpt: DnssecAnswer<'TXT'>;
  /** TLSA of each MX host that was resolved, in MX order. */
  tlsa: HostTlsa[];
}

const SKIPPED: DnssecAnswer<'TXT'> = { status: 'unknown', reason: 'not asked: the lookup ended before this question' };

/**
 * lookupMx, plus the policy records. TLSA questions start the moment the MX answer arrives, beside the
 * address questions, on the same resolver (so the validation probe is shared). Never throws.
 */
export async function lookupMailDns(req: MxLookupRequest, deps: MxLookupDeps = {}): Promise<Result<MailDnsReport>> {
  const parsed = parseDomainQuery(req.query);
  if (!parsed.ok) return parsed;
  const domain = parsed.value.ascii;
  let inner: DnsResolver | undefined;
  let mtaSts: Promise<DnssecAnswer<'TXT'>> | undefined;
  let tlsRpt: Promise<DnssecAnswer<'TXT'>> | undefined;
  const tlsa = new Map<string, Promise<DnssecAnswer<'TLSA'>>>();
  const make = deps.createResolver ?? createResolver;

  const createWrapped = (server: string | undefined, timeoutMs: number): DnsResolver => {
    const r = make(server, timeoutMs);
    inner = r;
    mtaSts = r.dnssec(`_mta-sts.${domain}`, 'TXT');
    tlsRpt = r.dnssec(`_smtp._tls.${domain}`, 'TXT');
    return {
      ...r,
      label: r.label,
      dnssec: async (name, type) => {
        const answer = await r.dnssec(name, type);
        if (type === 'MX' && name === domain && answer.answer && answer.status !== 'bogus') {
          for (const rec of answer.answer.records.slice(0, MAX_RESOLVED_HOSTS)) {
            const host = (rec as { exchange: string }).exchange;
            if (host && !tlsa.has(host)) tlsa.set(host, r.dnssec(`_25._tcp.${host}`, 'TLSA'));
          }
        }
        return answer;
      },
      // lookupMx cancels its resolver when it is done; the policy questions may still be in flight then.
      cancel: () => (deps.signal?.aborted ? r.cancel() : undefined),
    };
  };

  try {
    const mx = await lookupMx(req, { ...deps, createResolver: createWrapped });
    if (!mx.ok) return mx;
    const order = mx.value.hosts.map((h) => h.exchange).filter((h) => tlsa.has(h));
    const tlsaAnswers = await Promise.all(order.map(async (host) => ({ host, answer: await tlsa.get(host)! })));
    return ok({ mx: mx.value, mtaSts: (await mtaSts) ?? SKIPPED, tlsRpt: (await tlsRpt) ?? SKIPPED, tlsa: tlsaAnswers });
  } finally {
    inner?.cancel();
  }
}
