/** The policy report of one domain: DANE, MTA-STS and TLS-RPT per MX host, each with a verdict and its RFC. */
import type { DnssecStatus, TlsaRecord } from './dns-types';
import type { StsPolicy, TlsRptRecord } from './mta-sts';

/** How a verdict reads at a glance; always shown with its words, never by colour alone. */
export type PolicyTone = 'pass' | 'warn' | 'fail' | 'info';

export interface PolicyVerdict {
  verdict: string;
  rfc: string;
  /** Absent in reports written before tones existed: read as `info`. */
  tone?: PolicyTone;
}

/** What the live probe saw of a host's certificate (STARTTLS on the probed port). */
export interface PresentedCertificate {
  /** PKIX-valid for the MX host name, SNI set to it (what MTA-STS asks, RFC 8461 §4.2). */
  validForName: boolean;
  /** Named failure (expired, self-signed, name mismatch, unknown CA …) when not valid. */
  failure?: string;
  subject?: string;
}

export interface MxPolicyView {
  host: string;
  priority: number;
  /** DNSSEC status of the host's A and AAAA RRsets (RFC 7672 §2.2.2). */
  addressDnssec?: { A?: DnssecStatus; AAAA?: DnssecStatus };
  tlsaStatus: DnssecStatus;
  tlsa: TlsaRecord[];
  dane: PolicyVerdict & { usability: string; matched?: boolean };
  /** Undefined when there is no MTA-STS policy. */
  mtaSts?: PolicyVerdict & { inPolicy: boolean; certValid?: boolean };
  /** Undefined when no probe reached TLS on this host (no certificate was seen). */
  certificate?: PresentedCertificate;
  /** Set when the probe connected but got no TLS (STARTTLS not offered or failed): why. */
  noTls?: string;
}

export interface PolicyReport {
  domain: string;
  /** Which resolver answered. */
  resolver?: string;
  /** False when the resolver never sets AD: DANE cannot be judged then. */
  validating?: boolean;
  mxStatus: DnssecStatus;
  /** The MX set's DNSSEC status in words (RFC 7672 §2.2.1). */
  mx?: PolicyVerdict;
  mtaSts: PolicyVerdict & { id?: string; policy?: StsPolicy; url?: string };
  tlsRpt: PolicyVerdict & { record?: TlsRptRecord };
  hosts: MxPolicyView[];
  /** Set when certificates were matched: the port the probe used. */
  probedPort?: number;
  /** Where the certificates came from: the last health check (no new connection) or a probe of its own. */
  certificatesFrom?: 'health-check' | 'own-probe';
  elapsedMs?: number;
}
