/**
 * Sending "as a DANE/MTA-STS-aware MTA would" (`tlsPolicy: 'mta'`), as pure decisions: what one MX host
 * demands before the connection (skip it, DANE, mandatory TLS, MTA-STS, opportunistic), and whether the
 * certificate it presented satisfies that. It mirrors Postfix with `smtp_tls_security_level = dane` plus an
 * MTA-STS policy resolver: DANE wins when it applies (RFC 8461 §2), MTA-STS otherwise.
 */
import { decideTlsa } from './dane';
import type { DnssecStatus, TlsaRecord } from './dns-types';
import { mxInPolicy, type StsPolicy } from './mta-sts';

/** The domain's MTA-STS state, learned once per recipient domain. */
export type StsState = { kind: 'none'; reason: string } | { kind: 'policy'; policy: StsPolicy; url: string };

export interface HostPolicyInput {
  host: string;
  /** DNSSEC status of the MX RRset (undefined for a host the user named: no MX was involved). */
  mxStatus?: DnssecStatus;
  /** DNSSEC status of the host's A and AAAA RRsets, when known. */
  addressStatus?: { A?: DnssecStatus; AAAA?: DnssecStatus };
  tlsa: { owner: string; status: DnssecStatus; records: TlsaRecord[]; errorCode?: string };
  /** Undefined for a named host: MTA-STS applies to MX delivery only (RFC 8461 §4). */
  sts?: StsState;
}

export type HostTlsPolicy =
  | { kind: 'skip'; reason: string; rfc: string }
  | { kind: 'dane'; records: TlsaRecord[]; reason: string; rfc: string }
  | { kind: 'encrypt'; reason: string; rfc: string }
  | { kind: 'mta-sts'; mode: 'enforce' | 'testing'; reason: string; rfc: string }
  | { kind: 'opportunistic'; reason: string; rfc: string };

/** Notes that come with a decision (e.g. "DANE cannot be judged here") and go to the log as warnings. */
export interface HostPolicyDecision {
  policy: HostTlsPolicy;
  warnings: string[];
}

const NO_RECORDS = ['ENODATA', 'ENOTFOUND'];

/** After DANE: MTA-STS, or opportunistic TLS when there is no policy (RFC 8461 §5). */
function stsPolicy(input: HostPolicyInput, warnings: string[]): HostTlsPolicy {
  const sts = input.sts;
  if (!sts || sts.kind === 'none') {
    return { kind: 'opportunistic', reason: `No DANE and ${sts ? `no MTA-STS policy (${sts.reason.replace(/\.$/, '')})` : 'MTA-STS does not apply to a named host'}: TLS is used when offered, without authentication.`, rfc: 'RFC 7672 §2.2, RFC 8461 §5' };
  }
  const { policy } = sts;
  if (policy.mode === 'none') return { kind: 'opportunistic', reason: 'The MTA-STS policy is in mode none: TLS is used when offered, without authentication.', rfc: 'RFC 8461 §5' };
  const listed = mxInPolicy(input.host, policy);
  if (policy.mode === 'enforce') {
    if (!listed) return { kind: 'skip', reason: `${input.host} is not listed in the enforce MTA-STS policy (mx: ${policy.mx.join(', ')}), so it is not used.`, rfc: 'RFC 8461 §4.1, §5' };
    return { kind: 'mta-sts', mode: 'enforce', reason: `MTA-STS enforce: ${input.host} is listed; STARTTLS is mandatory and its certificate must be valid for ${input.host}.`, rfc: 'RFC 8461 §4.2, §5' };
  }
  if (!listed) warnings.push(`MTA-STS testing: ${input.host} is not listed in the policy (mx: ${policy.mx.join(', ')}); under enforce it would not be used. Delivery proceeds (RFC 8461 §5).`);
  return { kind: 'mta-sts', mode: 'testing', reason: `MTA-STS testing: the certificate of ${input.host} is checked for its name, but failures are only logged.`, rfc: 'RFC 8461 §5' };
}

/** What one host demands before MX Desk connects to it. */
export function decideHostPolicy(input: HostPolicyInput): HostPolicyDecision {
  const warnings: string[] = [];
  const bogusAddr = (['A', 'AAAA'] as const).filter((t) => input.addressStatus?.[t] === 'bogus');
  if (bogusAddr.length > 0) {
    // RFC 7672 §2.1.1: a bogus answer is an attack or a broken zone; the host is not used.
    return { policy: { kind: 'skip', reason: `The ${bogusAddr.join(' and ')} records of ${input.host} are bogus (DNSSEC signatures do not validate), so it is not used.`, rfc: 'RFC 7672 §2.1.1' }, warnings };
  }
  const { tlsa } = input;
  if (input.mxStatus !== undefined && input.mxStatus !== 'secure') {
    // Postfix `dane`: TLSA policy is in effect only when the MX RRset is DNSSEC-validated (RFC 7672 §2.2.1).
    if (input.mxStatus === 'unknown') warnings.push('The resolver does not validate DNSSEC, so DANE cannot be judged; only MTA-STS can apply (RFC 7672 §2.2).');
    else if (tlsa.records.length > 0) warnings.push(`The MX RRset is ${input.mxStatus}, so the TLSA records at ${tlsa.owner} are not used (RFC 7672 §2.2.1).`);
    return { policy: stsPolicy(input, warnings), warnings };
  }
  if (tlsa.status === 'bogus') {
    return { policy: { kind: 'skip', reason: `The TLSA lookup at ${tlsa.owner} is bogus (DNSSEC signatures do not validate), so ${input.host} is not used.`, rfc: 'RFC 7672 §2.1.1' }, warnings };
  }
  if (tlsa.errorCode && !NO_RECORDS.includes(tlsa.errorCode) && tlsa.status !== 'unknown') {
    // RFC 7672 §2.1.1: a failed TLSA lookup (not a denial) must not downgrade: the host is not used.
    return { policy: { kind: 'skip', reason: `The TLSA lookup at ${tlsa.owner} failed (${tlsa.errorCode}), so ${input.host} is not used rather than downgraded.`, rfc: 'RFC 7672 §2.1.1' }, warnings };
  }
  const d = decideTlsa(tlsa.status, tlsa.records);
  if (d.usability === 'usable') {
    const ignoredSts = input.sts?.kind === 'policy' ? ' The MTA-STS policy does not apply to this host: DANE wins (RFC 8461 §2).' : '';
    return { policy: { kind: 'dane', records: d.usable, reason: `DANE: ${d.usable.length} usable DNSSEC-secure TLSA record(s) at ${tlsa.owner}; STARTTLS is mandatory and the certificate must match.${ignoredSts}`, rfc: 'RFC 7672 §2.2' }, warnings };
  }
  if (d.usability === 'host-unusable') {
    // RFC 7672 §2.2: secure TLSA records that are all unusable still make TLS mandatory (Postfix: "encrypt").
    return { policy: { kind: 'encrypt', reason: `DANE: the secure TLSA records at ${tlsa.owner} are all unusable for SMTP; TLS is still mandatory, without authentication.`, rfc: 'RFC 7672 §2.2, §3.1.3' }, warnings };
  }
  if (d.usability === 'cannot-judge') warnings.push('The resolver does not validate DNSSEC, so DANE cannot be judged; only MTA-STS can apply (RFC 7672 §2.2).');
  if (d.usability === 'ignored') warnings.push(`TLSA records at ${tlsa.owner} are not DNSSEC-signed, so they are ignored (RFC 7672 §2.2).`);
  return { policy: stsPolicy(input, warnings), warnings };
}

/** STARTTLS is mandatory for this host: no TLS means the host is not used. */
export function tlsMandatory(p: HostTlsPolicy): boolean {
  return p.kind === 'dane' || p.kind === 'encrypt' || (p.kind === 'mta-sts' && p.mode === 'enforce');
}

/** What the presented certificate showed: PKIX problems (verified for the MX name) and the DANE match. */
export interface PresentedCertificate {
  /** Undefined when the chain verifies for the host name against the trusted roots. */
  pkixProblem?: string;
  dane?: { matched: boolean; verdict: string; rfc: string };
}

export interface CertificateDecision {
  accept: boolean;
  /** True when the peer was authenticated (DANE match, or a PKIX-valid certificate under MTA-STS). */
  authenticated: boolean;
  level: 'info' | 'warn';
  text: string;
}

/** Whether the certificate satisfies the host's policy; the text names the rule and its RFC section. */
export function decideCertificate(host: string, p: HostTlsPolicy, c: PresentedCertificate): CertificateDecision {
  switch (p.kind) {
    case 'dane': {
      const m = c.dane;
      if (m?.matched) {
        const kind = /§3\.1\.1/.test(m.rfc) ? 'DANE-EE matched' : 'DANE-TA matched';
        return { accept: true, authenticated: true, level: 'info', text: `${kind} for ${host}: ${noDot(m.verdict)} (${m.rfc}).` };
      }
      const why = noDot(m?.verdict ?? 'No TLSA record could be matched').replace(/: a DANE MTA does not deliver here$/, '');
      return { accept: false, authenticated: false, level: 'warn', text: `DANE: ${why}, so ${host} is not used, as a DANE MTA would do (RFC 7672 §2.2, ${(m?.rfc ?? 'RFC 7672 §3').replace(/^RFC 7672 /, '')}).` };
    }
    case 'mta-sts': {
      if (!c.pkixProblem) return { accept: true, authenticated: true, level: 'info', text: `MTA-STS ${p.mode}: the certificate of ${host} is valid for its name (RFC 8461 §4.2).` };
      if (p.mode === 'enforce') return { accept: false, authenticated: false, level: 'warn', text: `MTA-STS enforce: the certificate of ${host} is not valid (${c.pkixProblem}), so ${host} is not used (RFC 8461 §4.2, §5).` };
      return { accept: true, authenticated: false, level: 'warn', text: `MTA-STS testing: the certificate of ${host} is not valid (${c.pkixProblem}); under enforce this host would not be used. Delivery proceeds (RFC 8461 §5).` };
    }
    case 'encrypt':
      return { accept: true, authenticated: !c.pkixProblem, level: 'info', text: `TLS is in place for ${host}; the certificate is not authenticated, as the unusable TLSA records allow (RFC 7672 §2.2).` };
    case 'opportunistic':
      return c.pkixProblem
        ? { accept: true, authenticated: false, level: 'info', text: `Opportunistic TLS to ${host}: the certificate is not verified (${c.pkixProblem}), which an MTA without DANE or MTA-STS accepts (RFC 7435 §1.2).` }
        : { accept: true, authenticated: true, level: 'info', text: `Opportunistic TLS to ${host}: the certificate is also valid for its name.` };
    case 'skip':
      return { accept: false, authenticated: false, level: 'warn', text: p.reason };
  }
}

const noDot = (t: string): string => t.replace(/\.\s*$/, '');

/** One log line for the decision made before connecting (the reasons name the mechanism). */
export function describeHostPolicy(host: string, p: HostTlsPolicy): string {
  return `TLS policy for ${host}: ${noDot(p.reason)} (${p.rfc}).`;
}
