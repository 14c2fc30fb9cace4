/**
 * Builds the PolicyReport of a domain. DNS goes through lookupMailDns (dns/mail-dns.ts): the MX set with
 * `_mta-sts` and `_smtp._tls` TXT beside it, then every host's A, AAAA and TLSA at once (two round trips);
 * the `mta-sts.<domain>` address is asked in the first round too, so the policy fetch starts as soon as the
 * TXT record says there is one, beside the host questions. Certificates come from the MX health probe
 * (presented.ts), never from a second connection made here.
 */
import type { DnsRecordType, DnssecAnswer } from '../../../shared/dns-types';
import { decideTlsa } from '../../../shared/dane';
import { parseStsRecord, parseTlsRptRecord, type StsPolicy } from '../../../shared/mta-sts';
import type { MxPolicyView, PolicyReport, PresentedCertificate } from '../../../shared/policy-model';
import { daneVerdict, mxSetVerdict, stsHostVerdict } from '../../../shared/policy-verdicts';
import { fail, type Result } from '../../../shared/result';
import { lookupMailDns } from '../dns/mail-dns';
import { MAX_RESOLVED_HOSTS } from '../mx-lookup';
import type { DnsResolver } from '../resolver';
import { matchPresented } from './dane-check';
import { fetchStsPolicy, type FetchedPolicy, type StsFetchOptions } from './mta-sts-fetch';

export interface PolicyCheckOptions {
  sts?: StsFetchOptions;
  /** Presented certificate chains (PEM, leaf first) per MX host, e.g. from a STARTTLS probe. */
  chains?: Record<string, string[]>;
  /** What the probe judged of each host's certificate (PKIX, for the MX name). */
  certificates?: Record<string, PresentedCertificate>;
  /** Hosts the probe reached without TLS, with the reason. */
  noTls?: Record<string, string>;
  /** The port the probe used (shown in the report). */
  probedPort?: number;
  signal?: AbortSignal;
}

/** `mta-sts.<domain>` through the same resolver as everything else, never the system one. */
async function stsAddress(resolver: DnsResolver, host: string): Promise<string | undefined> {
  const v4 = await resolver.resolve4(host).catch(() => []);
  if (v4.length > 0) return v4[0].address;
  const v6 = await resolver.resolve6(host).catch(() => []);
  return v6.length > 0 ? `[${v6[0].address}]` : undefined;
}

async function fetchPolicy(domain: string, address: Promise<string | undefined>, sts: StsFetchOptions = {}): Promise<Result<FetchedPolicy>> {
  const host = `mta-sts.${domain}`;
  if (sts.connectTo?.[host]) return fetchStsPolicy(domain, sts);
  const a = await address;
  if (!a) return fail('mta_sts_fetch', `MTA-STS: ${host} has no address, so the policy cannot be fetched (RFC 8461 §3.3).`, { stage: 'mta-sts fetch' });
  const port = sts.port ?? 443;
  return fetchStsPolicy(domain, { ...sts, connectTo: { ...sts.connectTo, [host]: `${a.replace(/^\[|\]$/g, '')}:${port}` } });
}

const txts = (a: DnssecAnswer<'TXT'>): string[] => (a.answer?.records ?? []).map((r) => r.text);

/** "MTA-STS: … (RFC 8461 §3.3)." → the sentence without the prefix, and the RFC section on its own. */
function said(message: string, rfc: string): { verdict: string; rfc: string } {
  const v = message.replace(/^(MTA-STS|TLS-RPT): /, '');
  const m = / \((RFC [^)]*)\)\.$/.exec(v);
  return m ? { verdict: `${v.slice(0, m.index)}.`, rfc: m[1] } : { verdict: v, rfc };
}

function bogusTxt(code: string, owner: string): Result<never> {
  return fail(code, `The TXT record at ${owner} fails DNSSEC validation (bogus), so a validating sender cannot read it.`, { stage: 'policy records' });
}

/** Cancels `resolver` when done (queries still in flight are abandoned). Never throws. */
export async function checkPolicy(resolver: DnsResolver, domain: string, opts: PolicyCheckOptions = {}): Promise<PolicyReport> {
  const t0 = performance.now();
  const name = domain.replace(/\.$/, '').toLowerCase();
  const stsOwner = `_mta-sts.${name}`;
  // The policy fetch starts the moment lookupMailDns's `_mta-sts` TXT answer is in (round one), beside the
  // host questions of round two, not after them.
  let seenTxt: (p: Promise<DnssecAnswer<'TXT'>>) => void = () => undefined;
  const stsTxt = new Promise<DnssecAnswer<'TXT'>>((resolve) => (seenTxt = (p) => resolve(p)));
  // lookupMx cancels its resolver when it is done; this one outlives it (the policy host, late TLSA).
  const shared: DnsResolver = {
    ...resolver,
    dnssec: <T extends DnsRecordType>(n: string, t: T): Promise<DnssecAnswer<T>> => {
      const p = resolver.dnssec(n, t);
      if (t === 'TXT' && n === stsOwner) seenTxt(p as Promise<DnssecAnswer<'TXT'>>);
      return p;
    },
    cancel: () => undefined,
  };
  const address = stsAddress(resolver, `mta-sts.${name}`);
  const sts = stsTxt.then(async (a) => {
    // A bogus answer is a failed lookup for a validating sender: its records (fetched with CD) are not used.
    const rec = a.status === 'bogus' ? bogusTxt('mta_sts_bogus', stsOwner) : parseStsRecord(txts(a));
    return { rec, fetched: rec.ok ? await fetchPolicy(name, address, opts.sts) : undefined };
  });
  const dns = await lookupMailDns({ query: name }, { createResolver: () => shared, signal: opts.signal });
  // Never asked (the lookup stopped first): nothing to fetch.
  seenTxt(Promise.resolve(dns.ok ? dns.value.mtaSts : { status: 'unknown', reason: 'not asked' }));
  const mxReport = dns.ok ? dns.value.mx : undefined;
  const mxStatus = mxReport?.dnssec?.mx ?? 'unknown';
  const { rec, fetched } = await sts;
  const stsRecord = dns.ok ? rec : undefined;
  const rpt = dns.ok ? (dns.value.tlsRpt.status === 'bogus' ? bogusTxt('tls_rpt_bogus', `_smtp._tls.${name}`) : parseTlsRptRecord(txts(dns.value.tlsRpt))) : undefined;

  let mtaSts: PolicyReport['mtaSts'];
  let policy: StsPolicy | undefined;
  if (!dns.ok) mtaSts = { tone: 'warn', verdict: `MTA-STS was not checked: ${dns.error.message}`, rfc: 'RFC 8461 §3.1' };
  else if (stsRecord && !stsRecord.ok) mtaSts = { tone: stsRecord.error.code === 'mta_sts_absent' ? 'info' : stsRecord.error.code === 'mta_sts_bogus' ? 'fail' : 'warn', ...said(stsRecord.error.message, 'RFC 8461 §3.1') };
  // RFC 8461 §3.3: a policy that cannot be fetched counts as none (unless cached): mail flows, but unprotected.
  else if (fetched && !fetched.ok) mtaSts = { tone: 'warn', id: stsRecord?.ok ? stsRecord.value.id : undefined, ...said(fetched.error.message, 'RFC 8461 §3.3') };
  else if (fetched?.ok && stsRecord?.ok) {
    policy = fetched.value.policy;
    const tone = policy.mode === 'enforce' ? 'pass' : 'info';
    mtaSts = { tone, id: stsRecord.value.id, url: fetched.value.url, policy, verdict: `MTA-STS policy in ${policy.mode} mode, ${policy.mx.length} mx pattern(s), max_age ${policy.maxAge} s.`, rfc: 'RFC 8461 §3.2' };
  } else mtaSts = { tone: 'info', verdict: 'MTA-STS was not fetched.', rfc: 'RFC 8461 §3' };
  const tlsRpt: PolicyReport['tlsRpt'] = rpt?.ok
    ? { tone: 'pass', record: rpt.value, verdict: `TLS reports go to ${rpt.value.rua.join(', ')}.`, rfc: 'RFC 8460 §3' }
    : { tone: rpt?.error.code === 'tls_rpt_absent' || !rpt ? 'info' : rpt.error.code === 'tls_rpt_bogus' ? 'fail' : 'warn', ...(rpt ? said(rpt.error.message, 'RFC 8460 §3') : { verdict: 'TLS-RPT was not checked.', rfc: 'RFC 8460 §3' }) };

  const tlsaOf = new Map((dns.ok ? dns.value.tlsa : []).map((t) => [t.host, t.answer]));
  // A hostile zone may list hundreds of MX hosts: the ones lookupMx resolves are the ones checked.
  const hostViews = (mxReport?.hosts ?? []).slice(0, MAX_RESOLVED_HOSTS);
  const hosts: MxPolicyView[] = await Promise.all(
    hostViews.map(async (h) => {
      const host = h.exchange.replace(/\.$/, '').toLowerCase();
      // Hosts lookupMailDns did not ask TLSA for (an implicit MX) are asked here.
      const a = tlsaOf.get(h.exchange) ?? (await shared.dnssec(`_25._tcp.${host}`, 'TLSA'));
      const records = a.answer?.records ?? [];
      const decision = decideTlsa(a.status, records);
      const chain = opts.chains?.[host];
      const match = chain && decision.usability === 'usable' ? matchPresented(decision.usable, chain, host) : undefined;
      const certificate = opts.certificates?.[host];
      const noTls = opts.noTls?.[host];
      const dane = daneVerdict({ decision, addressDnssec: h.addressDnssec, match, noTls, chainSeen: Boolean(chain) });
      const view: MxPolicyView = { host, priority: h.preference, addressDnssec: h.addressDnssec, tlsaStatus: a.status, tlsa: records, dane };
      if (policy) view.mtaSts = stsHostVerdict(host, policy, certificate, noTls);
      if (certificate) view.certificate = certificate;
      if (noTls !== undefined) view.noTls = noTls;
      return view;
    }),
  );
  resolver.cancel();
  const report: PolicyReport = {
    domain: name,
    resolver: mxReport?.resolver ?? resolver.label,
    validating: mxReport?.dnssec?.validating ?? false,
    mxStatus,
    mx: dns.ok ? mxSetVerdict(mxStatus) : { tone: 'fail', verdict: dns.error.message, rfc: 'RFC 7672 §2.2.1' },
    mtaSts,
    tlsRpt,
    hosts,
    elapsedMs: Math.round(performance.now() - t0),
  };
  if (opts.probedPort !== undefined) report.probedPort = opts.probedPort;
  return report;
}
