/**
 * Builds the PolicyReport of a domain: MX (with DNSSEC status), _mta-sts and _smtp._tls TXT in parallel,
 * then per MX its TLSA (and, when chains are given, the DANE match) alongside the MTA-STS policy fetch.
 */
import type { DnsResolver } from '../resolver';
import { mxInPolicy, parseStsRecord, parseTlsRptRecord, type StsPolicy } from '../../../shared/mta-sts';
import type { MxPolicyView, PolicyReport, PolicyVerdict } from '../../../shared/policy-model';
import { checkDane } from './dane-check';
import { fetchStsPolicy, type StsFetchOptions } from './mta-sts-fetch';
import { fail } from '../../../shared/result';

/** The policy host is resolved through the same resolver as everything else, never the system one. */
async function fetchViaResolver(resolver: DnsResolver, domain: string, sts: StsFetchOptions = {}): ReturnType<typeof fetchStsPolicy> {
  const host = `mta-sts.${domain}`;
  if (sts.connectTo?.[host]) return fetchStsPolicy(domain, sts);
  const addrs = await resolver.resolve4(host).catch(() => []);
  if (addrs.length === 0) return fail('mta_sts_fetch', `MTA-STS: ${host} has no IPv4 address, so the policy cannot be fetched (RFC 8461 §3.3).`, { stage: 'mta-sts fetch' });
  return fetchStsPolicy(domain, { ...sts, connectTo: { ...sts.connectTo, [host]: `${addrs[0].address}:443` } });
}

export interface PolicyCheckOptions {
  sts?: StsFetchOptions;
  /** Presented certificate chains (PEM, leaf first) per MX host, e.g. from a STARTTLS probe. */
  chains?: Record<string, string[]>;
}

export async function checkPolicy(resolver: DnsResolver, domain: string, opts: PolicyCheckOptions = {}): Promise<PolicyReport> {
  const name = domain.replace(/\.$/, '').toLowerCase();
  const [mx, stsTxt, rptTxt] = await Promise.all([
    resolver.dnssec(name, 'MX'),
    resolver.dnssec(`_mta-sts.${name}`, 'TXT'),
    resolver.dnssec(`_smtp._tls.${name}`, 'TXT'),
  ]);
  const stsRecord = parseStsRecord((stsTxt.answer?.records ?? []).map((r) => r.text));
  const rpt = parseTlsRptRecord((rptTxt.answer?.records ?? []).map((r) => r.text));
  const hostsMx = [...(mx.answer?.records ?? [])].sort((a, b) => a.priority - b.priority);
  const [fetched, danes] = await Promise.all([
    stsRecord.ok ? fetchViaResolver(resolver, name, opts.sts) : Promise.resolve(undefined),
    Promise.all(hostsMx.map((m) => checkDane(resolver, m.exchange, opts.chains?.[m.exchange.replace(/\.$/, '')]))),
  ]);
  let mtaSts: PolicyReport['mtaSts'];
  let policy: StsPolicy | undefined;
  if (!stsRecord.ok) mtaSts = { verdict: stsRecord.error.message, rfc: 'RFC 8461 §3.1' };
  else if (fetched && !fetched.ok) mtaSts = { id: stsRecord.value.id, verdict: fetched.error.message, rfc: 'RFC 8461 §3.3' };
  else if (fetched?.ok) {
    policy = fetched.value.policy;
    mtaSts = { id: stsRecord.value.id, policy, verdict: `MTA-STS policy in ${policy.mode} mode, ${policy.mx.length} mx pattern(s), max_age ${policy.maxAge} s.`, rfc: 'RFC 8461 §3.2' };
  } else mtaSts = { verdict: 'MTA-STS was not fetched.', rfc: 'RFC 8461 §3' };
  const tlsRpt: PolicyReport['tlsRpt'] = rpt.ok
    ? { record: rpt.value, verdict: `TLS reports go to ${rpt.value.rua.join(', ')}.`, rfc: 'RFC 8460 §3' }
    : { verdict: rpt.error.message, rfc: 'RFC 8460 §3' };
  const hosts: MxPolicyView[] = hostsMx.map((m, i) => {
    const d = danes[i];
    const dane = d.match
      ? { usability: d.decision.usability, matched: d.match.matched, verdict: d.match.verdict, rfc: d.match.rfc }
      : { usability: d.decision.usability, verdict: d.decision.verdict, rfc: d.decision.rfc };
    return { host: m.exchange, priority: m.priority, tlsaStatus: d.status, tlsa: d.records, dane, mtaSts: policy ? stsVerdict(m.exchange, policy) : undefined };
  });
  return { domain: name, mxStatus: mx.status, mtaSts, tlsRpt, hosts };
}

function stsVerdict(host: string, policy: StsPolicy): PolicyVerdict & { inPolicy: boolean } {
  const inPolicy = mxInPolicy(host, policy);
  if (policy.mode === 'none') return { inPolicy, verdict: 'The policy mode is none: MTA-STS asks nothing of this host.', rfc: 'RFC 8461 §5' };
  if (inPolicy) return { inPolicy, verdict: `The host matches the ${policy.mode} policy; its certificate must be valid for its name.`, rfc: 'RFC 8461 §4.1' };
  return {
    inPolicy,
    verdict: policy.mode === 'enforce' ? 'The host is not in the enforce policy: a sending MTA must not deliver to it.' : 'The host is not in the testing policy: a sending MTA delivers but reports the failure.',
    rfc: 'RFC 8461 §4.1, §5',
  };
}
