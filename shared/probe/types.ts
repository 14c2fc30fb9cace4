/**
 * MX health probes as plain data (no node:*, no DOM): what one probe of one address found, the matrix cells
 * derived from it, and the report for a whole domain. The engine fills these (electron/engine/probe/), the
 * inspector, `mxdesk check` and the exports read them.
 */
import type { MxReport } from '../model';

/** How a TCP connect ended when it did not succeed. */
export type ConnectFailureKind = 'refused' | 'filtered' | 'unreachable' | 'reset' | 'error';

export interface ProbeConnect {
  ok: boolean;
  ms: number;
  failure?: ConnectFailureKind;
  /** Plain words ("connection refused (nothing listens on that port)"). */
  error?: string;
}

export interface ProbeBanner {
  code: number;
  /** The greeting text, escaped and truncated for display. */
  text: string;
  /** Time from connect to the complete greeting (a greet delay shows here). */
  ms: number;
  /** The first word after the code when it looks like a host name (RFC 5321 §4.3.1 puts the domain there). */
  name?: string;
}

export interface ProbeEhlo {
  code: number;
  ms: number;
  /** Capabilities the server advertised (upper-case keywords), parsed. */
  keywords: string[];
  size?: number;
  pipelining: boolean;
  chunking: boolean;
  eightBitMime: boolean;
  smtputf8: boolean;
  starttls: boolean;
  dsn: boolean;
  requiretls: boolean;
  auth: string[];
  /** The name in the EHLO reply's first line. */
  name?: string;
  /** True when the server only answered HELO (EHLO refused). */
  heloOnly?: boolean;
}

export interface ProbeCertificate {
  subject: string;
  subjectAltNames: string[];
  issuer: string;
  validFrom: string;
  validTo: string;
  fingerprint256: string;
  /** `rsa`, `ec`, `ed25519` … */
  keyType?: string;
  /** RSA modulus bits, or the curve size. */
  keyBits?: number;
  curve?: string;
  selfSigned: boolean;
}

export interface ProbeTls {
  protocol?: string;
  cipher?: string;
  /** Key exchange group (`X25519`, `prime256v1`) where Node reports it. */
  group?: string;
  /** Verified against the MX host name, with SNI set to it. */
  verified: boolean;
  /** Named failure: expired, self-signed, unknown CA, name mismatch … */
  failure?: string;
  verifyError?: string;
  /** The leaf (index 0) and the rest of the chain as sent, capped. */
  chain: ProbeCertificate[];
  /** The same chain as base64 DER, leaf first, capped (MAX_CHAIN_CERTS, MAX_CHAIN_BYTES): DANE/MTA-STS read it. Empty in probe_result events (the report keeps it). */
  chainDer: string[];
  /** The server sent more than the caps allow; the rest was not kept. */
  chainTruncated: boolean;
  /** Whole days until the leaf expires (negative: expired). */
  daysToExpiry?: number;
  ms: number;
}

export interface ProbeStartTls {
  offered: boolean;
  /** The reply to STARTTLS (220 expected). */
  code?: number;
  tls?: ProbeTls;
  /** Why TLS could not be set up (handshake failure, refused STARTTLS, not TLS). */
  error?: string;
}

export interface ProbePtr {
  status: 'ok' | 'none' | 'error' | 'skipped';
  names: string[];
  /** Some PTR name resolves back to this address (forward-confirmed reverse DNS). */
  forwardConfirmed: boolean;
  /** The banner name equals one of the PTR names (undefined when there is no banner name). */
  matchesBanner?: boolean;
  error?: string;
}

/** Where a probe stopped, when it did not reach QUIT. */
export type ProbeStage = 'connect' | 'greeting' | 'ehlo' | 'starttls' | 'tls' | 'quit' | 'done';

export interface AddressProbe {
  /** The MX host name (or the relay name). */
  host: string;
  address: string;
  family: 4 | 6;
  port: number;
  /** `starttls` on 25 and 587, `implicit` on 465. */
  tlsMode: 'starttls' | 'implicit';
  connect: ProbeConnect;
  banner?: ProbeBanner;
  ehlo?: ProbeEhlo;
  /** The EHLO after TLS (RFC 3207 §4.2: capabilities are asked again). */
  ehloTls?: ProbeEhlo;
  starttls?: ProbeStartTls;
  ptr?: ProbePtr;
  /** The stage that failed, and why, in plain words. */
  stoppedAt?: ProbeStage;
  error?: string;
  cancelled?: boolean;
  durationMs: number;
}

export type CellVerdict = 'pass' | 'warn' | 'fail' | 'skip';

export const CHECK_IDS = ['connect', 'banner', 'ehlo', 'starttls', 'certificate', 'ptr'] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export const CHECK_LABELS: Record<CheckId, string> = {
  connect: 'Connect',
  banner: 'Banner',
  ehlo: 'EHLO',
  starttls: 'STARTTLS',
  certificate: 'Certificate',
  ptr: 'PTR / FCrDNS',
};

export interface MatrixCell {
  verdict: CellVerdict;
  /** Short text for the cell ("12 ms", "expired 3 days ago"). */
  text: string;
  /** Longer text for a tooltip or the detail pane. */
  detail?: string;
  /** The hosts of this domain disagree on this check, and this cell is one of the odd ones. */
  differs?: boolean;
}

export interface MatrixRow {
  host: string;
  preference?: number;
  address: string;
  family: 4 | 6;
  port: number;
  cells: Record<CheckId, MatrixCell>;
  /** The worst verdict of the row. */
  verdict: CellVerdict;
}

export type EgressKind = 'ok' | 'filtered' | 'refused' | 'intercepted' | 'no_ipv6' | 'mixed' | 'none';

export interface EgressDiagnosis {
  kind: EgressKind;
  /** One or two sentences for the user. */
  message: string;
  /** What the user can do next (e.g. try the relay on 587/465). */
  advice?: string;
  reached: { v4: number; v6: number };
  tried: { v4: number; v6: number };
}

export type DomainVerdictKind = 'deliverable' | 'degraded' | 'undeliverable' | 'no_mail' | 'dns_failure' | 'cancelled';

export interface ProbeReport {
  probeId: string;
  domain: string;
  port: number;
  mx?: MxReport;
  probes: AddressProbe[];
  rows: MatrixRow[];
  verdict: DomainVerdictKind;
  /** The plain-language sentence shown on top. */
  summary: string;
  egress: EgressDiagnosis;
  /** Hosts (or addresses) the caps left out, with the reason. */
  skipped: string[];
  startedAt: string;
  elapsedMs: number;
}

export interface ProbeMxRequest {
  /** Cancels and supersedes a running probe with the same id. */
  probeId: string;
  query: string;
  resolver?: string;
  /** Default 25. */
  port?: number;
  /** Per-stage deadline in ms (connect, greeting, each command, TLS). */
  timeoutMs?: number;
  family?: 4 | 6;
}

export interface ProbeRelayRequest {
  probeId: string;
  host: string;
  /** Default [587, 465]. */
  ports?: number[];
  resolver?: string;
  timeoutMs?: number;
}

export interface RelayReport {
  probeId: string;
  host: string;
  probes: AddressProbe[];
  rows: MatrixRow[];
  summary: string;
  elapsedMs: number;
}

/** Caps for what one probe keeps of a server's certificate chain. */
export const MAX_CHAIN_CERTS = 10;
export const MAX_CHAIN_BYTES = 64 * 1024;
/** More addresses than this per host are listed but not probed (a hostile zone must not fan out). */
export const MAX_ADDRESSES_PER_HOST = 8;
/** More MX hosts than this are not probed. */
export const MAX_PROBED_HOSTS = 32;
