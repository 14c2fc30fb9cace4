/**
 * The records MX Desk asks DNS for, as plain data (no node:*). The resolver in electron/engine/resolver.ts
 * answers with these; the inspector, the probes, DANE, MTA-STS and SPF/DMARC all read them.
 */

export type DnsRecordType = 'MX' | 'A' | 'AAAA' | 'TXT' | 'TLSA' | 'PTR' | 'CNAME';

export interface MxRecord {
  exchange: string;
  priority: number;
  ttl?: number;
}

export interface AddressAnswer {
  address: string;
  ttl: number;
}

/** One TXT record: its character-strings joined without separators (RFC 7208 §3.3, RFC 7489 §6.4). */
export interface TxtRecord {
  text: string;
  ttl?: number;
}

export interface PtrRecord {
  name: string;
  ttl?: number;
}

/** RFC 6698 §2.1: usage 0–3 (PKIX-TA, PKIX-EE, DANE-TA, DANE-EE), selector 0–1, matching type 0–2. */
export interface TlsaRecord {
  usage: number;
  selector: number;
  matchingType: number;
  /** Certificate association data, lower-case hex. */
  data: string;
  ttl?: number;
}

export interface CnameRecord {
  name: string;
  ttl?: number;
}

export interface RecordOf {
  MX: MxRecord;
  A: AddressAnswer;
  AAAA: AddressAnswer;
  TXT: TxtRecord;
  TLSA: TlsaRecord;
  PTR: PtrRecord;
  CNAME: CnameRecord;
}

/**
 * DNSSEC status of one answer, as a validating resolver reports it (RFC 4035 §3.2.3, RFC 4033 §5):
 * - `secure`: the AD bit was set;
 * - `insecure`: the resolver validates (it set AD elsewhere) but this answer is unsigned;
 * - `bogus`: SERVFAIL with validation, answer present with CD set: signatures are broken;
 * - `unknown`: this resolver does not validate (never sets AD), so nothing can be said.
 */
export type DnssecStatus = 'secure' | 'insecure' | 'bogus' | 'unknown';

/** A whole answer: the records, the RRset's TTL, the AD bit, and any CNAMEs followed to get there. */
export interface DnsAnswer<T extends DnsRecordType> {
  name: string;
  type: T;
  records: RecordOf[T][];
  /** Minimum TTL of the answer RRset; undefined when there are no records. */
  ttl?: number;
  /** The AD (authentic data) bit of the response (RFC 4035 §3.2.3). */
  authenticated: boolean;
  /** CNAMEs followed, in order, from `name` to the owner of the records. */
  cnames: string[];
  /** Wall time of the query (ms), retries included. */
  ms: number;
  /** True when UDP came back truncated (TC) and the answer was fetched again over TCP. */
  viaTcp: boolean;
}

/** Why a query gave no records: the coded errors of the resolver (ENODATA, ENOTFOUND for NXDOMAIN, …). */
export interface DnsFailure {
  code: string;
  message: string;
}

/**
 * The answer to a DNSSEC-aware question. `answer` is set when records came back; `error` when none did
 * (ENODATA and ENOTFOUND keep a status: a validated denial is `secure`, RFC 4035 §5.4).
 */
export interface DnssecAnswer<T extends DnsRecordType> {
  status: DnssecStatus;
  answer?: DnsAnswer<T>;
  error?: DnsFailure;
  /** One sentence saying why the status is what it is (which bit, which retry). */
  reason: string;
}
