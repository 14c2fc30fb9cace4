import type { DnsQueryStat, MxReport, Stage } from './model';
import type { CheckKind, CheckResult } from './probe/check-record';
import type { AddressProbe } from './probe/types';

/** Every event carries the session id, a sequence number and a time offset (ms since session start). */
export interface EventBase {
  sessionId: string;
  seq: number;
  /** Milliseconds since the session started (fractional). */
  at: number;
}

export type Outcome = 'delivered' | 'not_delivered' | 'unknown' | 'cancelled';

export interface CertSummary {
  subject: string;
  subjectAltNames: string[];
  issuer: string;
  validFrom: string;
  validTo: string;
  fingerprint256: string;
  selfSigned: boolean;
}

export interface ReplyTiming {
  /** When the command (or flight) that this reply answers was written. */
  sentAt?: number;
  firstByteAt: number;
  completeAt: number;
}

export type SessionEventBody =
  | { kind: 'session_start'; startedAt: string; target: string; mode: 'auto' | 'step'; envelope: { mailFrom: string; rcptTo: string[] } }
  | { kind: 'dns'; query: DnsQueryStat }
  | { kind: 'mx_plan'; domain: string; report: MxReport }
  | { kind: 'connect_attempt'; host: string; address: string; port: number; family: 4 | 6 }
  | { kind: 'connect_result'; host: string; address: string; port: number; ok: boolean; ms: number; error?: string; next?: string }
  | { kind: 'tls'; phase: 'start' | 'done' | 'failed'; mode: 'starttls' | 'implicit'; servername: string; protocol?: string; cipher?: string; cert?: CertSummary; verified?: boolean; verifyError?: string; overridden?: boolean; ms?: number }
  | { kind: 'command'; stage: Stage; text: string; pipelined: boolean; bytes: number }
  | { kind: 'reply'; stage: Stage; code: number; enhanced?: string; lines: string[]; explanation: string; timing: ReplyTiming }
  | { kind: 'data_body'; bytes: number; lines: number; preview: string; truncated: boolean; method: 'DATA' | 'BDAT' }
  | { kind: 'info'; level: 'info' | 'warn' | 'error'; text: string; stage?: Stage }
  | { kind: 'recipient'; rcpt: string; accepted: boolean; code: number; text: string }
  | { kind: 'step_prompt'; stage: Stage; suggestion: string; waitingFor: string }
  | { kind: 'wait'; stage: Stage; deadlineMs: number; what: string }
  | { kind: 'probe_start'; host: string; address: string; port: number; family: 4 | 6; tlsMode: 'starttls' | 'implicit' }
  | { kind: 'probe_result'; probe: AddressProbe }
  /** A check (MX health or relay) opens its own stream `check:ID` with this, before any probe stream. */
  | { kind: 'check_start'; startedAt: string; check: CheckKind; target: string; port?: number }
  /** The check's terminal event: the matrix and the verdict (never an `outcome`: nothing was sent). */
  | { kind: 'check_end'; result: CheckResult }
  | { kind: 'outcome'; outcome: Outcome; stage: Stage; reason: string; queueId?: string; dotSent: boolean; durationMs: number; /** A deadline expired (the CLI's exit 4 before the dot). */ timedOut?: boolean };

export type SessionEvent = EventBase & SessionEventBody;
export type SessionEventKind = SessionEventBody['kind'];
