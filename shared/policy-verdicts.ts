/**
 * Plain verdicts (words, tone, RFC section) for the policy report: the DNSSEC status of the MX set, DANE per
 * host once the TLSA decision and the certificate match are known, and MTA-STS per host. Pure: the engine
 * builds the report with these, and the CLI and the inspector only print what they say.
 */
import type { DnssecStatus } from './dns-types';
import type { DaneMatch, TlsaDecision } from './dane';
import { mxInPolicy, type StsPolicy } from './mta-sts';
import type { MxPolicyView, PolicyTone, PolicyVerdict, PresentedCertificate } from './policy-model';

export function mxSetVerdict(status: DnssecStatus): PolicyVerdict {
  switch (status) {
    case 'secure':
      return { tone: 'pass', verdict: 'The MX set is DNSSEC-signed and validated: a DANE MTA uses the TLSA records of its hosts.', rfc: 'RFC 7672 §2.2.1' };
    case 'insecure':
      return { tone: 'info', verdict: 'The MX set is not DNSSEC-signed: an attacker could redirect mail to other hosts; DANE still applies to a host whose own TLSA is secure.', rfc: 'RFC 7672 §2.2.1' };
    case 'bogus':
      return { tone: 'fail', verdict: 'The MX set fails DNSSEC validation (bogus): a DANE MTA does not deliver to this domain.', rfc: 'RFC 7672 §2.2.1' };
    case 'unknown':
      return { tone: 'warn', verdict: 'The resolver does not validate DNSSEC, so neither the MX set nor DANE can be judged.', rfc: 'RFC 7672 §2.2' };
  }
}

export interface DaneInputs {
  decision: TlsaDecision;
  addressDnssec?: { A?: DnssecStatus; AAAA?: DnssecStatus };
  match?: DaneMatch;
  /** The probe reached this host, but got no TLS: why. */
  noTls?: string;
  /** The probe reached TLS on this host (a chain was seen). */
  chainSeen: boolean;
}

const statuses = (a?: { A?: DnssecStatus; AAAA?: DnssecStatus }): DnssecStatus[] => [a?.A, a?.AAAA].filter((s): s is DnssecStatus => s !== undefined);

export function daneVerdict(d: DaneInputs): MxPolicyView['dane'] {
  const { decision, match } = d;
  const usability = decision.usability;
  const addr = statuses(d.addressDnssec);
  if (addr.includes('bogus')) {
    return { usability: 'host-unusable', tone: 'fail', verdict: "The host's address records fail DNSSEC validation (bogus): a DANE MTA does not connect to it.", rfc: 'RFC 7672 §2.2.2' };
  }
  if (usability === 'usable' && addr.length > 0 && !addr.includes('secure')) {
    // RFC 7672 §2.2.2: TLSA records count only when the host's own address records are secure.
    return { usability: 'ignored', tone: 'info', verdict: "Secure TLSA records exist, but the host's address records are not DNSSEC-signed, so DANE does not apply.", rfc: 'RFC 7672 §2.2.2' };
  }
  if (usability !== 'usable') {
    const tone: PolicyTone = usability === 'host-unusable' ? 'fail' : usability === 'cannot-judge' ? 'warn' : 'info';
    return { usability, tone, verdict: decision.verdict, rfc: decision.rfc };
  }
  if (match) return { usability, matched: match.matched, tone: match.matched ? 'pass' : 'fail', verdict: match.verdict, rfc: match.rfc };
  if (d.noTls !== undefined) {
    return { usability, matched: false, tone: 'fail', verdict: `The host has usable TLSA records but offered no TLS (${d.noTls}): a DANE MTA does not deliver in plain text.`, rfc: 'RFC 7672 §2.2' };
  }
  return { usability, tone: 'warn', verdict: `${decision.verdict} No certificate was seen, so the match was not checked (run the live check).`, rfc: decision.rfc };
}

export function stsHostVerdict(host: string, policy: StsPolicy, cert: PresentedCertificate | undefined, noTls: string | undefined): NonNullable<MxPolicyView['mtaSts']> {
  const inPolicy = mxInPolicy(host, policy);
  if (policy.mode === 'none') return { inPolicy, tone: 'info', verdict: 'The policy mode is none: MTA-STS asks nothing of this host.', rfc: 'RFC 8461 §5' };
  const enforce = policy.mode === 'enforce';
  if (!inPolicy) {
    return {
      inPolicy,
      tone: enforce ? 'fail' : 'warn',
      verdict: enforce ? 'The host is not in the enforce policy: a sending MTA must not deliver to it.' : 'The host is not in the testing policy: a sending MTA delivers but reports the failure.',
      rfc: 'RFC 8461 §4.1, §5',
    };
  }
  if (cert) {
    if (cert.validForName) return { inPolicy, certValid: true, tone: 'pass', verdict: `The host matches the ${policy.mode} policy and presents a certificate valid for its name.`, rfc: 'RFC 8461 §4.1, §4.2' };
    const why = cert.failure ? ` (${cert.failure})` : '';
    return {
      inPolicy,
      certValid: false,
      tone: enforce ? 'fail' : 'warn',
      verdict: enforce
        ? `The host matches the enforce policy, but its certificate is not valid for its name${why}: a sending MTA must not deliver to it.`
        : `The host matches the testing policy, but its certificate is not valid for its name${why}: a sending MTA delivers and reports the failure.`,
      rfc: 'RFC 8461 §4.2, §5',
    };
  }
  if (noTls !== undefined) {
    return { inPolicy, certValid: false, tone: enforce ? 'fail' : 'warn', verdict: `The host matches the ${policy.mode} policy but offered no TLS (${noTls}).`, rfc: 'RFC 8461 §4.2, §5' };
  }
  return { inPolicy, tone: 'info', verdict: `The host matches the ${policy.mode} policy; its certificate must be valid for its name (not checked: run the live check).`, rfc: 'RFC 8461 §4.1' };
}
