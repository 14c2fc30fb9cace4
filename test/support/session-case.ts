// Runs one SMTP session against a test peer through the session manager (as the app and the CLI do), and
// checks the invariants that hold in every reliability case: T (deadline + 1 s; cancel < 1 s), K (one
// outcome, last; control characters escaped), S (canary absent), C (server saw the close, no handle left).
// M (memory) is measured when asked. E is checked by each test, which knows what the reason must say.
import assert from 'node:assert/strict';
import type { SessionEvent } from '../../shared/events';
import type { Draft, SessionRequest, StepCommand, Timeouts } from '../../shared/model';
import type { Result } from '../../shared/result';
import { emptyDraft } from '../../shared/model';
import type { HostileServer } from './hostile-server';
import type { MemoryReport } from './invariants';
import { activeResources, assertControlCharsEscaped, assertNoLeftovers, assertNoSecret, assertOneOutcome, assertWithin, measureMemory } from './invariants';
import { recordSessions, type OutcomeEvent } from './session-recorder';

export type { OutcomeEvent } from './session-recorder';

export const CANARY = 'Canary-pw-7Qx!z9';

/** Short deadlines for tests: every wait is bounded, none is the RFC's minutes. */
export function quickTimeouts(ms = 2000): Timeouts {
  return { dnsMs: ms, connectMs: ms, greetingMs: ms, commandMs: ms, mailMs: ms, rcptMs: ms, dataStartMs: ms, dataBlockMs: ms, dataEndMs: ms, tlsMs: ms, quitMs: Math.min(ms, 300) };
}

export function testDraft(over: Partial<Draft> = {}): Draft {
  return {
    ...emptyDraft(),
    from: 'sender@example.test',
    to: 'rcpt@example.test',
    subject: 'Reliability',
    text: 'Hello.\n',
    // Used only in raw mode (or when envelopeEdited): the headers give the envelope otherwise.
    mailFrom: 'sender@example.test',
    rcptTo: ['rcpt@example.test'],
    ...over,
  };
}

/**
 * A big ASCII text of 65-character lines as one flat string. (`'x'.repeat(n)` and `+` make rope strings
 * that V8 flattens on first use: a whole extra copy that would be blamed on the engine's memory.)
 */
export function flatText(bytes: number): string {
  return Buffer.alloc(bytes, `${'0123456789abcdef'.repeat(4)}\n`).toString('latin1');
}

export interface CaseOptions {
  /** Overrides merged into the request (target defaults to the server). */
  request?: Partial<SessionRequest>;
  draft?: Partial<Draft>;
  timeouts?: Partial<Timeouts>;
  /** The T bound: the session must end within this + 1 s. */
  deadlineMs?: number;
  /** Cancel this many ms after start; then the outcome must follow within 1 s. */
  cancelAfterMs?: number;
  /** Called for each event (e.g. to cancel or step at a chosen point). */
  onEvent?: (e: SessionEvent, control: CaseControl) => void;
  memory?: boolean;
  /** Secret to search for in every event (S). Default: the canary, always searched. */
  secret?: string;
  /** Skip the C check of the server connection (e.g. no connection expected). */
  expectConnection?: boolean;
}

export interface CaseControl {
  cancel(): Result<null>;
  step(cmd: StepCommand): Result<null>;
}

export interface CaseResult {
  events: SessionEvent[];
  outcome: OutcomeEvent;
  tookMs: number;
  cancelToOutcomeMs?: number;
  memory?: MemoryReport;
  kinds: string[];
  commands: string[];
  replies: Array<Extract<SessionEvent, { kind: 'reply' }>>;
}

export function hostRequest(server: { host: string; port: number }, opts: CaseOptions = {}): SessionRequest {
  return {
    draft: testDraft(opts.draft),
    target: { kind: 'host', host: server.host, port: server.port },
    tls: 'auto',
    certPolicy: 'verify',
    heloName: 'client.example.test',
    pipelining: true,
    chunking: true,
    mode: 'auto',
    ...opts.request,
    timeouts: { ...quickTimeouts(), ...opts.request?.timeouts, ...opts.timeouts },
  };
}

/** Starts the session and waits for the outcome; throws (fails the test) if `start` refuses the request. */
export async function runCase(server: HostileServer | undefined, req: SessionRequest, opts: CaseOptions = {}): Promise<CaseResult> {
  const before = activeResources();
  const { manager, events, outcome: finished } = recordSessions((e) => opts.onEvent?.(e, control));
  let sessionId = '';
  const control: CaseControl = { cancel: () => manager.cancel(sessionId), step: (cmd) => manager.step(sessionId, cmd) };
  const deadline = opts.deadlineMs ?? 2000;
  const started = performance.now();
  let cancelledAt: number | undefined;
  const go = async () => {
    const r = manager.start(req);
    if (!r.ok) throw new Error(`start refused the request: ${r.error.field ?? ''}: ${r.error.message}`);
    sessionId = r.value.sessionId;
    let timer: NodeJS.Timeout | undefined;
    if (opts.cancelAfterMs !== undefined)
      timer = setTimeout(() => {
        cancelledAt = performance.now();
        manager.cancel(sessionId);
      }, opts.cancelAfterMs);
    // A hung session must fail the test, not hang the suite.
    const guard = new Promise<never>((_, reject) => {
      const t = setTimeout(() => reject(new Error(`no outcome after ${deadline + 5000} ms`)), deadline + 5000);
      void finished.finally(() => clearTimeout(t));
    });
    try {
      return await Promise.race([finished, guard]);
    } finally {
      clearTimeout(timer);
    }
  };
  let outcome: OutcomeEvent;
  let memory: MemoryReport | undefined;
  if (opts.memory) {
    const m = await measureMemory(go);
    outcome = m.value;
    memory = m.memory;
  } else outcome = await go();
  const tookMs = assertWithin(started, deadline);
  const cancelToOutcomeMs = cancelledAt !== undefined ? performance.now() - cancelledAt : undefined;
  if (cancelToOutcomeMs !== undefined) assert.ok(cancelToOutcomeMs < 1000, `cancel took ${Math.round(cancelToOutcomeMs)} ms to take effect`);

  // Let trailing events (there must be none) arrive before K is checked.
  await new Promise<void>((r) => setImmediate(r));
  assertOneOutcome(events);
  assertControlCharsEscaped(events);
  assertNoSecret(events, opts.secret ?? CANARY);

  // C: the server saw the connection close, and nothing the session opened is still alive.
  if (server && opts.expectConnection !== false) {
    for (const conn of server.connections) {
      conn.resume();
      let timer: NodeJS.Timeout | undefined;
      const closed = await Promise.race([conn.closed.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 1500)))]);
      clearTimeout(timer);
      assert.ok(closed, 'the server still sees the connection open after the outcome');
    }
  }
  await assertNoLeftovers(before);

  return {
    events,
    outcome,
    tookMs,
    cancelToOutcomeMs,
    memory,
    kinds: events.map((e) => e.kind),
    commands: events.flatMap((e) => (e.kind === 'command' ? [e.text] : [])),
    replies: events.filter((e): e is Extract<SessionEvent, { kind: 'reply' }> => e.kind === 'reply'),
  };
}

/**
 * The session manager's `start` result (for input that must be refused before any socket opens). When
 * `start` accepts the request, `done()` waits for the session's outcome event.
 */
export function startOnly(req: SessionRequest): { result: Result<{ sessionId: string }>; events: SessionEvent[]; done(): Promise<OutcomeEvent | undefined> } {
  const { manager, events, outcome: finished } = recordSessions();
  const result = manager.start(req);
  return {
    result,
    events,
    async done() {
      if (!result.ok) return undefined;
      let timer: NodeJS.Timeout | undefined;
      const guard = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), 10_000)));
      const o = await Promise.race([finished, guard]);
      clearTimeout(timer);
      return o;
    },
  };
}
