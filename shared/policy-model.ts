/** The policy report of one domain: DANE, MTA-STS and TLS-RPT per MX host, each with a verdict and its RFC. */
import type { DnssecStatus, TlsaRecord } from './dns-types';
import type { StsPolicy, TlsRptRecord } from './mta-sts';

export interface PolicyVerdict {
  verdict: string;
  rfc: string;
}

export interface MxPolicyView {
  host: string;
  priority: number;
  tlsaStatus: DnssecStatus;
  tlsa: TlsaRecord[];
  dane: PolicyVerdict & { usability: string; matched?: boolean };
  /** Undefined when there is no MTA-STS policy. */
  mtaSts?: PolicyVerdict & { inPolicy: boolean };
}

export interface PolicyReport {
  domain: string;
  mxStatus: DnssecStatus;
  mtaSts: PolicyVerdict & { id?: string; policy?: StsPolicy };
  tlsRpt: PolicyVerdict & { record?: TlsRptRecord };
  hosts: MxPolicyView[];
}
