/**
 * The session as the sending window sees it: a fold over the engine's SessionEvent stream. Pure: no React,
 * no DOM, no SMTP parsing. Folding 100,000 events must stay linear, so `rows` is append-only and shared
 * between successive views (each fold returns a new top-level object, so React notices the change).
 */
import type { CertSummary, Outcome, SessionEvent } from '../../shared/events';
import type { Stage } from '../../shared/model';
import { eventToRow } from './log-rows';
import type { LogRow, RowContext } from './log-rows';

export interface RecipientResult {
  rcpt: string;
  accepted: boolean;
  code: number;
  text: string;
}

/** One connection attempt and why it was left (RFC 5321 §5.1: next address, then next MX). */
export interface Attempt {
  host: string;
  address: string;
  port: number;
  family: 4 | 6;
  at: number;
  state: 'trying' | 'connected' | 'failed';
  ms?: number;
  error?: string;
  next?: string;
}

export interface WaitState {
  stage: Stage;
  what: string;
  /** Session offset (ms) when the wait began. */
  since: number;
  /** How long the engine will wait, in ms (the absolute deadline is since + deadlineMs). */
  deadlineMs: number;
}

export interface StepPrompt {
  stage: Stage;
  suggestion: string;
  waitingFor: string;
  seq: number;
}

export interface TlsState {
  phase: 'start' | 'done' | 'failed';
  mode: 'starttls' | 'implicit';
  servername: string;
  protocol?: string;
  cipher?: string;
  cert?: CertSummary;
  verified?: boolean;
  verifyError?: string;
  overridden?: boolean;
}

export interface OutcomeState {
  outcome: Outcome;
  stage: Stage;
  reason: string;
  queueId?: string;
  dotSent: boolean;
  durationMs: number;
}

export interface SessionView {
  sessionId: string;
  target?: string;
  mode?: 'auto' | 'step';
  envelope?: { mailFrom: string; rcptTo: string[] };
  /** Append-only; shared with earlier views of the same session. */
  rows: LogRow[];
  /** Number of rows when this view was made (rows may have grown since; render up to rowCount). */
  rowCount: number;
  /** In the order first seen; a later result for the same address replaces the earlier one. */
  recipients: RecipientResult[];
  /** Address → position in `recipients` (shared between views like `rows`; checked before use). */
  recipientIndex: Map<string, number>;
  attempts: Attempt[];
  tls?: TlsState;
  /** The last reply to EHLO, kept so the window can read the server's SIZE with the shared parser. */
  lastEhlo?: { code: number; enhanced?: string; lines: string[] };
  wait?: WaitState;
  prompt?: StepPrompt;
  outcome?: OutcomeState;
  /** Offset of the latest event seen. */
  lastAt: number;
  /** The last seq folded; events at or below it are duplicates and ignored. */
  lastSeq: number;
  ctx: RowContext;
}

export function emptySessionView(sessionId: string): SessionView {
  return { sessionId, rows: [], rowCount: 0, recipients: [], recipientIndex: new Map(), attempts: [], lastAt: 0, lastSeq: -1, ctx: {} };
}

/** Events that end a wait: the thing waited for arrived, or the session moved on. */
function endsWait(e: SessionEvent): boolean {
  return e.kind !== 'wait' && e.kind !== 'command' && e.kind !== 'dns' && e.kind !== 'info';
}

/** Folds a batch of events (of any sessions) into the view of one session. */
export function foldSessionEvents(view: SessionView, events: readonly SessionEvent[]): SessionView {
  let next: SessionView | undefined;
  // Arrays copied once per batch, not once per event: a session with 20,000 recipients stays linear.
  const copied = new Set<'recipients'>();
  for (const e of events) {
    if (e.sessionId !== view.sessionId || e.seq <= (next ?? view).lastSeq) continue;
    if (!next) {
      // Rows appended by an earlier fold from this same view (a discarded result, e.g. React's StrictMode
      // calling a reducer twice) are dropped first, so folding stays idempotent.
      if (view.rows.length > view.rowCount) view.rows.length = view.rowCount;
      next = { ...view, ctx: { ...view.ctx } };
    }
    applyEvent(next, e, copied);
  }
  return next ?? view;
}

function applyEvent(v: SessionView, e: SessionEvent, copied: Set<'recipients'>): void {
  // A wait is not a row: while pending it ticks under the log; the reply that ends it says how long it took
  // of the time allowed. (One wait per exchange would otherwise double the log's rows.)
  if (e.kind !== 'wait') {
    const row = eventToRow(e, v.rows.length, v.ctx);
    if (e.kind === 'reply' && v.wait) row.waited = { ms: Math.max(0, e.timing.firstByteAt - v.wait.since), deadlineMs: v.wait.deadlineMs };
    v.rows.push(row);
    v.rowCount = v.rows.length;
  }
  v.lastSeq = e.seq;
  v.lastAt = Math.max(v.lastAt, e.at);
  if (v.wait && endsWait(e)) v.wait = undefined;
  if (v.prompt && e.kind !== 'step_prompt' && e.kind !== 'wait' && e.kind !== 'info') v.prompt = undefined;
  switch (e.kind) {
    case 'session_start':
      v.target = e.target;
      v.mode = e.mode;
      v.envelope = e.envelope;
      break;
    case 'connect_attempt':
      v.attempts = [...v.attempts, { host: e.host, address: e.address, port: e.port, family: e.family, at: e.at, state: 'trying' }];
      break;
    case 'connect_result': {
      const i = findLastIndex(v.attempts, (a) => a.address === e.address && a.port === e.port && a.state === 'trying');
      const done: Attempt = {
        ...(i >= 0 ? v.attempts[i] : { host: e.host, address: e.address, port: e.port, family: e.address.includes(':') ? 6 : 4, at: e.at }),
        state: e.ok ? 'connected' : 'failed',
        ms: e.ms,
        error: e.error,
        next: e.next,
      };
      v.attempts = i >= 0 ? v.attempts.map((a, j) => (j === i ? done : a)) : [...v.attempts, done];
      if (e.ok) v.ctx.lastConnectAt = e.at;
      break;
    }
    case 'tls':
      v.tls = { ...e };
      // A new greeting-less dialog starts after the handshake; pre-TLS capabilities are void (RFC 3207 §4.2).
      if (e.phase === 'done') v.lastEhlo = undefined;
      break;
    case 'reply':
      if (e.stage === 'ehlo' && e.code >= 200 && e.code < 300) v.lastEhlo = { code: e.code, enhanced: e.enhanced, lines: e.lines };
      break;
    case 'recipient': {
      if (!copied.has('recipients')) {
        v.recipients = v.recipients.slice();
        copied.add('recipients');
      }
      const result = { rcpt: e.rcpt, accepted: e.accepted, code: e.code, text: e.text };
      const i = v.recipientIndex.get(e.rcpt);
      if (i !== undefined && i < v.recipients.length && v.recipients[i].rcpt === e.rcpt) v.recipients[i] = result;
      else {
        v.recipientIndex.set(e.rcpt, v.recipients.length);
        v.recipients.push(result);
      }
      break;
    }
    case 'wait':
      v.wait = { stage: e.stage, what: e.what, since: e.at, deadlineMs: e.deadlineMs };
      break;
    case 'step_prompt':
      v.prompt = { stage: e.stage, suggestion: e.suggestion, waitingFor: e.waitingFor, seq: e.seq };
      break;
    case 'outcome':
      v.outcome = { outcome: e.outcome, stage: e.stage, reason: e.reason, queueId: e.queueId, dotSent: e.dotSent, durationMs: e.durationMs };
      v.wait = undefined;
      v.prompt = undefined;
      v.attempts = v.attempts.map((a) => (a.state === 'trying' ? { ...a, state: 'failed', error: a.error ?? 'abandoned' } : a));
      break;
    default:
      break;
  }
}

function findLastIndex<T>(list: readonly T[], pred: (t: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (pred(list[i])) return i;
  return -1;
}

/** True while the session can still change: no outcome yet. */
export function isRunning(v: SessionView | undefined): boolean {
  return Boolean(v && !v.outcome);
}
