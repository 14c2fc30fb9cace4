/**
 * The message analyser's model: what `analyzeMessage` answers. Every string that came from the message is
 * already escaped for display (shared/smtp/escape.ts) and cut to a bounded length; the renderer and the CLI
 * only show it.
 */

/** What the analyser reads, at most. The validator refuses more; the CLI and the renderer cut and say so. */
export const ANALYSE_LIMITS = {
  /** Characters accepted by `analyzeMessage` (16 MiB). */
  maxInputChars: 16 * 1024 * 1024,
  /** The header section is read up to this many characters (1 MiB). */
  maxHeaderChars: 1024 * 1024,
  /** Header fields read (after unfolding), at most. */
  maxHeaderFields: 20_000,
  /** Received: hops put on the timeline, at most (the count of all of them is kept). */
  maxHops: 100,
  /** Authentication-Results and ARC headers read, at most. */
  maxAuthHeaders: 50,
  /** DKIM signatures verified again, at most. */
  maxDkimSignatures: 10,
  /** Characters handed to the MIME parser (bounces), at most (4 MiB). */
  maxMimeChars: 4 * 1024 * 1024,
  /** One displayed value, at most. */
  maxValueChars: 500,
} as const;

export interface AnalyseRequest {
  text: string;
  /** `host[:port]` for the DKIM key lookups; the default resolver otherwise. */
  resolver?: string;
  /** When the caller already cut the input (a 50 MB paste), the original length, to say so. */
  originalChars?: number;
}

export type TlsState = 'tls' | 'plain' | 'local' | 'unknown';

export interface HopTls {
  state: TlsState;
  /** `TLSv1.3`, `TLS1_2`…, as the header writes it. */
  version?: string;
  cipher?: string;
  /** Why the state was decided: `with ESMTPS (RFC 3848)`, `(version=TLS1_3 cipher=…)`. */
  evidence?: string;
}

export type HopFlag = 'no-date' | 'bad-date' | 'future' | 'negative-delay';

export interface Hop {
  /** 1 is the first server the message reached (the bottom Received: header). */
  index: number;
  from?: string;
  by?: string;
  via?: string;
  with?: string;
  id?: string;
  for?: string;
  /** ISO 8601 (UTC) when the date parsed. */
  time?: string;
  dateText?: string;
  /** Time since the previous hop (or since the Date: header for the first). Negative = clock skew. */
  delayMs?: number;
  tls: HopTls;
  flags: HopFlag[];
  /** The header as written (unfolded, escaped, cut). */
  raw: string;
}

export interface HopTimeline {
  hops: Hop[];
  /** Received: headers in the message, all of them (more than `hops.length` when the cap cut some). */
  totalReceived: number;
  /** From the Date: header (or the first hop) to the last hop, when both dates parse. */
  transitMs?: number;
  /** Plain sentences: skew, dates in the future, hops without TLS, what was cut. */
  notes: string[];
}

export interface AuthResult {
  method: string;
  result: string;
  reason?: string;
  /** `smtp.mailfrom=example.org`, `header.d=example.org`, … */
  properties: { name: string; value: string }[];
  comment?: string;
  /** One sentence in plain words. */
  explanation: string;
}

export interface AuthResultsHeader {
  /** `Authentication-Results` or `ARC-Authentication-Results i=N`. */
  source: string;
  authservId: string;
  results: AuthResult[];
  /** Set when the header could not be read as RFC 8601 says. */
  problem?: string;
}

export interface ArcSet {
  instance: number;
  /** `cv=` of the ARC-Seal (none, pass, fail). */
  chainValidation?: string;
  sealDomain?: string;
  signatureDomain?: string;
  selector?: string;
  /** What the sealer saw (its ARC-Authentication-Results). */
  authResults?: AuthResultsHeader;
  /** Missing parts, wrong instance numbers… */
  problems: string[];
}

export interface ArcChain {
  sets: ArcSet[];
  /** none (no ARC), pass, fail: as the headers claim it (RFC 8617 §5.2); not verified cryptographically. */
  claimed: 'none' | 'pass' | 'fail';
  explanation: string;
  /** The seals and the newest ARC-Message-Signature verified now with mailauth (RFC 8617 §5.2), when it ran. */
  verified?: { result: string; reason?: string; explanation: string };
}

export interface DkimCheck {
  domain: string;
  selector: string;
  algorithm?: string;
  /** pass, fail, neutral, policy, temperror, permerror, none (mailauth's words, RFC 8601 §2.7.1). */
  result: string;
  /** `body hash mismatch`, `key not found`, `expired`, `bad signature`… */
  reason?: string;
  explanation: string;
}

export interface DkimReport {
  checks: DkimCheck[];
  /** Set when verification did not run (headers only, no signature, cut input). */
  note?: string;
  resolver: string;
  /** ARC verified now (RFC 8617 §5.2), when the message has ARC sets and its body. */
  arc?: { result: string; reason?: string; explanation: string };
}

export type BounceStage = 'dns' | 'connect' | 'greeting' | 'helo' | 'mail' | 'rcpt' | 'data' | 'after-data' | 'local' | 'unknown';

export interface BounceRecipient {
  recipient: string;
  originalRecipient?: string;
  action?: string;
  /** RFC 3463 `class.subject.detail`. */
  status?: string;
  statusExplanation?: string;
  /** The basic SMTP reply code when the text has one. */
  replyCode?: number;
  remoteMta?: string;
  stage: BounceStage;
  /** The remote server's words (escaped). */
  diagnostic?: string;
  lastAttempt?: string;
  willRetryUntil?: string;
  whatToDo: string;
}

export type BounceFormat = 'rfc3464' | 'postfix' | 'exim' | 'qmail' | 'sendmail' | 'exchange' | 'gmail' | 'text';

export interface BounceReport {
  format: BounceFormat;
  reportingMta?: string;
  arrivalDate?: string;
  recipients: BounceRecipient[];
  /** Headers of the original message, when the bounce includes them (escaped, capped). */
  originalHeaders?: { name: string; value: string }[];
  summary: string;
}

export interface MessageSummary {
  from?: string;
  to?: string;
  subject?: string;
  date?: string;
  messageId?: string;
}

export interface MessageAnalysis {
  kind: 'message' | 'headers' | 'bounce';
  summary: MessageSummary;
  timeline: HopTimeline;
  authResults: AuthResultsHeader[];
  arc: ArcChain;
  dkim: DkimReport;
  bounce?: BounceReport;
  /** Everything the caps cut, in sentences ("Read the first 100 of 10000 Received headers."). */
  cut: string[];
  /** Other findings: header injection, duplicated singleton headers, broken MIME. */
  warnings: string[];
  inputChars: number;
  elapsedMs: number;
}
