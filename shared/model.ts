/** Plain data shared by main, web mode, CLI and renderer. No node:*, no DOM, no electron. */

import type { DnsRecordType, DnssecStatus } from './dns-types';
import type { DkimRequest } from './sender-auth/dkim-types';

// ---------- DNS / MX inspector ----------

export type DnsStatus = 'ok' | 'nodata' | 'nxdomain' | 'servfail' | 'refused' | 'timeout' | 'cancelled' | 'error';

export interface DnsQueryStat {
  type: DnsRecordType;
  name: string;
  status: DnsStatus;
  /** Wall time of the query in milliseconds. */
  ms: number;
  /** Resolver that was asked, as `host:port` or `system`. */
  resolver: string;
  detail?: string;
  /** TTL of the answer RRset, when records came back. */
  ttl?: number;
  /** DNSSEC status of the answer (or of the denial), when the query asked for it. */
  dnssec?: DnssecStatus;
  /** True when the UDP answer was truncated and fetched again over TCP (RFC 7766). */
  viaTcp?: boolean;
}

export type AddressFlag = 'loopback' | 'private' | 'link-local' | 'unspecified' | 'documentation' | 'shared' | 'multicast';

export interface AddressRecord {
  family: 4 | 6;
  address: string;
  ttl?: number;
  flags: AddressFlag[];
}

export type HostWarning =
  | 'no_address' // the MX host has neither A nor AAAA
  | 'ip_literal' // the MX target is an IP address, not a host name (RFC 5321 §5.1 wants a name)
  | 'private_address' // resolves to loopback / private / link-local space
  | 'address_lookup_failed'; // A or AAAA failed with SERVFAIL/timeout

export interface MxHostView {
  /** ASCII (A-label) host name, without a trailing dot. */
  exchange: string;
  /** Unicode (U-label) form for display; equal to `exchange` when not an IDN. */
  exchangeUnicode: string;
  preference: number;
  /** TTL of the MX RRset this host came from (absent for an implicit MX). */
  ttl?: number;
  /** DNSSEC status of the host's A and AAAA RRsets (or of their denials). */
  addressDnssec?: { A?: DnssecStatus; AAAA?: DnssecStatus };
  /** True when this host is the domain itself, used as an implicit MX. */
  implicit: boolean;
  addresses: AddressRecord[];
  queries: DnsQueryStat[];
  warnings: HostWarning[];
}

export type MxVerdict =
  | 'mx' // one or more usable MX hosts
  | 'implicit_mx' // no MX records, the domain's own A/AAAA is used (RFC 5321 §5.1)
  | 'null_mx' // RFC 7505: the domain accepts no mail
  | 'nxdomain' // domain does not exist (permanent)
  | 'dns_failure' // SERVFAIL / timeout / refused (temporary: try again)
  | 'no_mail_host' // neither MX nor address records
  | 'cancelled';

export interface MxReport {
  /** What the user typed. */
  query: string;
  /** The domain looked up, as an A-label. */
  domain: string;
  domainUnicode: string;
  resolver: string;
  verdict: MxVerdict;
  /** One plain-language sentence describing the verdict. */
  summary: string;
  /** Hosts sorted by preference (ties keep a shuffled order chosen by the engine). */
  hosts: MxHostView[];
  queries: DnsQueryStat[];
  /** Number of sequential resolver round trips the lookup needed (MX, then A+AAAA in parallel = 2). */
  roundTrips: number;
  elapsedMs: number;
  /** TTL of the MX RRset, when there was one. */
  mxTtl?: number;
  /** DNSSEC of the lookup: the MX set's status and whether the resolver validates at all. */
  dnssec?: MxDnssec;
}

export interface MxDnssec {
  /** Status of the MX RRset (or of its denial). */
  mx: DnssecStatus;
  /** False when the resolver never sets AD: then DANE cannot be judged. */
  validating: boolean;
  /** One plain sentence for the report. */
  note: string;
}

export interface MxLookupRequest {
  /** A domain or an e-mail address. */
  query: string;
  /** `host[:port]`; empty or absent means the default resolver. */
  resolver?: string;
  /** Caller-chosen id so the lookup can be cancelled. */
  lookupId?: string;
  /** Per-query timeout override in ms. */
  timeoutMs?: number;
}

// ---------- Message and session ----------

export interface CustomHeader {
  name: string;
  value: string;
}

export interface AttachmentInput {
  filename: string;
  contentType: string;
  /** Content as base64. */
  contentBase64: string;
}

export interface Draft {
  from: string;
  to: string;
  cc: string;
  bcc: string;
  replyTo: string;
  subject: string;
  customHeaders: CustomHeader[];
  text: string;
  /** Optional HTML alternative; empty means none. */
  html: string;
  attachments: AttachmentInput[];
  /** Envelope. When `envelopeEdited` is false it is derived from the headers. */
  mailFrom: string;
  rcptTo: string[];
  envelopeEdited: boolean;
  /** Raw mode: the exact DATA text (only CRLF normalisation and dot-stuffing are applied). */
  rawMode: boolean;
  raw: string;
}

/** A Draft with every field empty: the compose form's starting point, and what fixtures spread. */
export function emptyDraft(): Draft {
  return {
    from: '',
    to: '',
    cc: '',
    bcc: '',
    replyTo: '',
    subject: '',
    customHeaders: [],
    text: '',
    html: '',
    attachments: [],
    mailFrom: '',
    rcptTo: [],
    envelopeEdited: false,
    rawMode: false,
    raw: '',
  };
}

export type TlsMode = 'auto' | 'starttls' | 'require' | 'implicit' | 'none';
export type CertPolicy = 'verify' | 'override-once';
export type TlsPolicy = 'mta';
export type AuthMechanism = 'auto' | 'PLAIN' | 'LOGIN' | 'CRAM-MD5' | 'XOAUTH2' | 'OAUTHBEARER';

export type Stage =
  | 'dns'
  | 'connect'
  | 'greeting'
  | 'ehlo'
  | 'starttls'
  | 'tls'
  | 'auth'
  | 'mail'
  | 'rcpt'
  | 'data'
  | 'body'
  | 'quit';

/** Absolute per-reply deadlines in ms. Defaults: RFC 5321 §4.5.3.2. */
export interface Timeouts {
  dnsMs: number;
  connectMs: number;
  greetingMs: number;
  commandMs: number;
  mailMs: number;
  rcptMs: number;
  dataStartMs: number;
  dataBlockMs: number;
  dataEndMs: number;
  tlsMs: number;
  quitMs: number;
}

export type Target =
  | { kind: 'mx'; /** try this MX host first */ preferHost?: string; /** try this address first */ preferAddress?: string }
  | { kind: 'host'; host: string; port: number };

export interface AuthInput {
  user: string;
  /** Present only renderer→main, never main→renderer. For XOAUTH2 / OAUTHBEARER it is the bearer token. */
  password?: string;
  /** Use the password stored for this profile (main side only). */
  profileId?: string;
  mechanism: AuthMechanism;
}

/** How the connection is made (swaks' -4/-6, --local-interface, --socket, --proxy*). All optional. */
export interface TransportOptions {
  /** Only addresses of this family (-4 / -6). */
  family?: 4 | 6;
  /** Bind the local end of the connection to this address and/or port. */
  localAddress?: string;
  localPort?: number;
  /** Connect to this UNIX-domain socket instead of a TCP address. */
  socketPath?: string;
  /** `socks5://[user@]HOST:PORT`, `socks5h://…` (the proxy resolves names) or `http://HOST:PORT` (CONNECT). */
  proxy?: string;
  /** Send an HAProxy PROXY protocol header first. */
  proxyProtocol?: 'v1' | 'v2';
  /** The source the PROXY header announces (default: the real socket's local end). */
  proxySource?: { address: string; port: number };
}

export type TlsVersionName = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

/** TLS client controls. Files are read by the engine; a key's content never leaves it. */
export interface TlsClientOptions {
  /** SNI and the name the certificate is verified against (default: the host name). */
  name?: string;
  /** PEM bundle trusted instead of the bundled roots. */
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  minVersion?: TlsVersionName;
  maxVersion?: TlsVersionName;
  /** OpenSSL cipher list (TLS 1.2 and below) and/or TLS 1.3 suites. */
  ciphers?: string;
}

/** RFC 3461 DSN parameters; sent only when the server offers DSN. */
export interface DsnOptions {
  /** NOTIFY on every RCPT: NEVER alone, or any of SUCCESS, FAILURE, DELAY (RFC 3461 §4.1). */
  notify?: Array<'NEVER' | 'SUCCESS' | 'FAILURE' | 'DELAY'>;
  /** RET on MAIL (RFC 3461 §4.3). */
  ret?: 'FULL' | 'HDRS';
  /** ENVID on MAIL (RFC 3461 §4.4), plain text; xtext-encoded on the wire. */
  envid?: string;
  /** ORCPT=rfc822;<recipient> on every RCPT (RFC 3461 §4.2). */
  orcpt?: boolean;
}

export type XclientAttribute = 'ADDR' | 'NAME' | 'PORT' | 'PROTO' | 'HELO' | 'LOGIN' | 'DESTADDR' | 'DESTPORT';

/** Protocol options (swaks' --protocol LMTP, --dsn-*, XCLIENT, REQUIRETLS). All optional. */
export interface ProtocolOptions {
  /** LMTP (RFC 2033): LHLO, and one reply per recipient after the message. */
  lmtp?: boolean;
  dsn?: DsnOptions;
  /** REQUIRETLS on MAIL (RFC 8689); refused when not offered over TLS. */
  requireTls?: boolean;
  /** Postfix XCLIENT attributes, sent after EHLO when offered. */
  xclient?: Array<{ name: XclientAttribute; value: string }>;
}

export interface SessionRequest {
  draft: Draft;
  protocol?: ProtocolOptions;
  transport?: TransportOptions;
  tlsOptions?: TlsClientOptions;
  target: Target;
  /** Port for MX targets (default 25). */
  port?: number;
  tls: TlsMode;
  certPolicy: CertPolicy;
  /** `mta`: send as a DANE/MTA-STS-aware MTA would (electron/engine/policy/send-*.ts); absent: as set. */
  tlsPolicy?: TlsPolicy;
  heloName?: string;
  auth?: AuthInput;
  allowPlaintextAuthOnLoopback?: boolean;
  pipelining: boolean;
  chunking: boolean;
  /** `auto` runs the whole dialog; `step` waits for each command from the caller. */
  mode: 'auto' | 'step';
  /** In auto mode, pause before these stages (turns into step mode there). */
  breakpoints?: Stage[];
  quitAfter?: Stage;
  resolver?: string;
  timeouts?: Partial<Timeouts>;
  /** DKIM-sign the message (RFC 6376). Its privateKey travels renderer→main only, like a password. */
  dkim?: DkimRequest;
}

export type StepCommand =
  | { kind: 'send'; line: string } // a (possibly edited) command line, no CRLF
  | { kind: 'data-body' } // send the composed message body through the encoder
  | { kind: 'run-to-end' };

export interface MessagePreview {
  /** The DATA bytes as text, dot-stuffed, with CRLF. */
  wire: string;
  sizeBytes: number;
  needs8bit: boolean;
  needsSmtpUtf8: boolean;
  truncated: boolean;
}
