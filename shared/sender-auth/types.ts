/**
 * The sender domain check ("will it pass?"): SPF of the MAIL FROM domain for this machine's outgoing address
 * (RFC 7208) and DMARC of the From domain (RFC 7489). Plain data for the renderer, the CLI and exports.
 */
import type { DnsQueryStat } from '../model';

/** RFC 7208 §2.6 results. */
export type SpfResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'permerror' | 'temperror';

/** `+` pass, `-` fail, `~` softfail, `?` neutral (RFC 7208 §4.6.2). */
export type SpfQualifier = '+' | '-' | '~' | '?';

export type SpfMechanism = 'all' | 'include' | 'a' | 'mx' | 'ptr' | 'ip4' | 'ip6' | 'exists' | 'redirect' | 'exp' | 'unknown';

/** How a term fared: matched, evaluated without a match, skipped after an earlier match, or failed. */
export type SpfTermOutcome = 'match' | 'no-match' | 'not-reached' | 'error';

/** One DNS question made while evaluating a term, with its answer as display strings. */
export interface SpfLookup {
  query: DnsQueryStat;
  values: string[];
  /** RFC 7208 §4.6.4: an answer with no records (NODATA or NXDOMAIN) is a void lookup. */
  void: boolean;
}

export interface SpfTerm {
  /** The term as written in the record (escaped for display by the renderer). */
  text: string;
  mechanism: SpfMechanism;
  qualifier: SpfQualifier;
  /** Target after macro expansion (RFC 7208 §7), when the term names a domain. */
  target?: string;
  /** True when the term costs one of the 10 DNS lookups (include, a, mx, ptr, exists, redirect; §4.6.4). */
  countsLookup: boolean;
  outcome: SpfTermOutcome;
  lookups: SpfLookup[];
  /** The record an include or redirect led to. */
  child?: SpfNode;
}

export interface SpfNode {
  domain: string;
  /** The v=spf1 record text; absent when none was found. */
  record?: string;
  /** Why this node has no usable record (no record, several records, DNS failure). */
  problem?: string;
  /** True when this domain already appears higher up the chain: an include/redirect loop. */
  loop: boolean;
  terms: SpfTerm[];
  /** The TXT lookup that fetched this record. */
  lookup?: SpfLookup;
}

export interface SpfReport {
  domain: string;
  /** The address evaluated, and where it came from. */
  ip: string;
  ipSource: 'typed' | 'route';
  sender: string;
  helo?: string;
  result: SpfResult;
  /** One plain sentence: the result, why, and the RFC section. */
  explanation: string;
  /** mailauth's own comment (which mechanism matched, or the error text). */
  detail: string;
  /** The mechanism that decided it, as written (`ip4:192.0.2.0/24`, `-all`), when one did. */
  decidedBy?: string;
  /** Lookups counted against the limit (§4.6.4), the limit, and void lookups (§4.6.4, limit 2). */
  lookupCount: number;
  lookupLimit: number;
  voidCount: number;
  voidLimit: number;
  /** A/AAAA lookups made by mx and ptr terms (each capped at 10 per term, §4.6.4). */
  subLookups: number;
  tree?: SpfNode;
  queries: DnsQueryStat[];
  /** `Received-SPF:` header the way a receiver would write it (RFC 7208 §9.1). */
  receivedSpf: string;
}

/** RFC 7489 §6.3 tags, as found. */
export interface DmarcRecord {
  raw: string;
  /** Where the record was found: `_dmarc.<from domain>` or `_dmarc.<organizational domain>` (§6.6.3). */
  foundAt: string;
  p?: string;
  sp?: string;
  adkim: 'r' | 's';
  aspf: 'r' | 's';
  pct: number;
  rua: string[];
  ruf: string[];
  /** Tags that were not understood or out of range, as sentences. */
  problems: string[];
}

export type DmarcPolicy = 'none' | 'quarantine' | 'reject';

export interface AlignmentRow {
  mechanism: 'spf' | 'dkim';
  /** The envelope (MAIL FROM) domain for SPF, the d= domain for DKIM; absent when there is none. */
  domain?: string;
  mode: 'relaxed' | 'strict';
  /** Does this identifier authenticate? SPF: result pass; DKIM: a signature is planned with this domain. */
  authenticated: boolean;
  aligned: boolean;
  /** One sentence with RFC 7489 §3.1.1 / §3.1.2. */
  explanation: string;
}

export interface DmarcReport {
  fromDomain: string;
  organizationalDomain: string;
  result: 'pass' | 'fail' | 'none' | 'temperror';
  record?: DmarcRecord;
  alignment: AlignmentRow[];
  /** The policy that applies to this From domain (sp for a subdomain when set, §6.3), if there is a record. */
  policy?: DmarcPolicy;
  /** What a receiver honouring the policy would do to this message (§6.6.4, pct sampling included). */
  disposition: string;
  explanation: string;
  queries: DnsQueryStat[];
}

export interface SenderCheckRequest {
  /** The MAIL FROM address (SPF is checked for its domain). */
  mailFrom: string;
  /** The From header address (DMARC); defaults to mailFrom. */
  from?: string;
  /** The outgoing address to evaluate; when empty it is found from the route to `target`. */
  ip?: string;
  /** Where the mail will go (host name or IP): the outgoing address is the local end of a route to it. */
  target?: string;
  helo?: string;
  /** DKIM d= domain that will sign (for the DMARC alignment row). */
  dkimDomain?: string;
  /** DKIM s= selector: its public key record is looked up (RFC 6376 §3.6.2.1). */
  dkimSelector?: string;
  /** `host[:port]`; empty means the default resolver. */
  resolver?: string;
  timeoutMs?: number;
}

/** The public key record a verifier will fetch for the planned signature (RFC 6376 §3.6.1). */
export interface DkimKeyCheck {
  name: string;
  found: boolean;
  record?: string;
  /** k= (rsa when absent, RFC 6376 §3.6.1) */
  keyType?: string;
  explanation: string;
}

export interface SenderCheckReport {
  spf: SpfReport;
  dmarc: DmarcReport;
  dkimKey?: DkimKeyCheck;
  /** One line for the top of the panel: will it pass, and the first thing wrong. */
  verdict: string;
  /** True when SPF or DKIM gives an aligned pass, so DMARC passes. */
  passes: boolean;
  resolver: string;
  elapsedMs: number;
}
