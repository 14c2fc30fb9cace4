// The session manager: step mode against the private Postfix (suggestions, an edited command, VRFY, an
// out-of-order command that is warned about but sent, CR/LF refused, the body as one unit), breakpoints,
// cancel within 1 s while waiting, and the event stream's shape (one outcome, last; seq strictly rising).
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { SessionEvent } from '../../shared/events';
import type { SessionRequest, StepCommand } from '../../shared/model';
import { createSessionManager, type SessionManager } from '../../electron/engine/session-manager';
import { postfixAvailable, startPostfix, stripDeliveryHeaders, type PostfixInstance } from '../support/postfix';
import { hostRequest, rawDraft } from '../support/session-fixtures';

const skip = postfixAvailable().ok ? false : postfixAvailable().reason;
const RAW = 'From: sender@example.test\r\nTo: rcpt@example.test\r\nSubject: step\r\n\r\n.typed by hand\r\n';
const SIZE = Buffer.byteLength(RAW);

type Prompt = Extract<SessionEvent, { kind: 'step_prompt' }>;

/** Drives one session through the manager and waits for prompts and the outcome. */
class Driver {
  readonly events: SessionEvent[] = [];
  readonly manager: SessionManager;
  id = '';
  private waiters: { kind: string; resolve: (e: SessionEvent) => void }[] = [];
  private seen = 0;

  constructor() {
    this.manager = createSessionManager({
      emit: (e) => {
        this.events.push(e);
        this.waiters = this.waiters.filter((w) => (w.kind === e.kind ? (w.resolve(e), false) : true));
      },
    });
  }

  start(req: SessionRequest): void {
    const r = this.manager.start(req);
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    this.id = r.value.sessionId;
  }

  /** The next event of `kind` not yet consumed (events already emitted count). */
  next<K extends SessionEvent['kind']>(kind: K, timeoutMs = 5000): Promise<Extract<SessionEvent, { kind: K }>> {
    const found = this.events.slice(this.seen).findIndex((e) => e.kind === kind);
    if (found >= 0) {
      this.seen += found + 1;
      return Promise.resolve(this.events[this.seen - 1] as Extract<SessionEvent, { kind: K }>);
    }
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no ${kind} event within ${timeoutMs} ms; last: ${JSON.stringify(this.events.at(-1))}`)), timeoutMs);
      this.waiters.push({
        kind,
        resolve: (e) => {
          clearTimeout(t);
          this.seen = this.events.length;
          resolve(e as Extract<SessionEvent, { kind: K }>);
        },
      });
    });
  }

  step(cmd: StepCommand): void {
    const r = this.manager.step(this.id, cmd);
    assert.ok(r.ok, r.ok ? '' : r.error.message);
  }
}

function assertStreamShape(events: SessionEvent[]): void {
  const outcomes = events.filter((e) => e.kind === 'outcome');
  assert.equal(outcomes.length, 1, 'exactly one outcome');
  assert.equal(events.at(-1)?.kind, 'outcome', 'the outcome is the last event');
  for (let i = 1; i < events.length; i++) {
    assert.equal(events[i].seq, events[i - 1].seq + 1, 'seq rises by one');
    assert.ok(events[i].at >= events[i - 1].at, 'time never goes back');
  }
}

describe('step mode against a private Postfix', { skip }, () => {
  let pf: PostfixInstance;
  before(async () => {
    pf = await startPostfix();
  });
  after(async () => {
    await pf?.stop();
  });

  test('the telnet way: suggestions, an edited EHLO, VRFY, an out-of-order RCPT, CR/LF refused, the body as one unit', async () => {
    await pf.clearDelivered();
    const d = new Driver();
    d.start(hostRequest(pf.port, rawDraft(RAW), { mode: 'step', chunking: false }));

    let p: Prompt = await d.next('step_prompt');
    assert.equal(p.suggestion, 'EHLO client.example.test');
    d.step({ kind: 'send', line: 'EHLO edited.example.test' });
    const ehlo = await d.next('reply');
    assert.equal(ehlo.code, 250);
    assert.ok(d.events.some((e) => e.kind === 'command' && e.text === 'EHLO edited.example.test'), 'the edited command was sent as typed');

    p = await d.next('step_prompt');
    assert.equal(p.suggestion, `MAIL FROM:<sender@example.test> SIZE=${SIZE}`);
    d.step({ kind: 'send', line: 'VRFY rcpt@example.test' });
    const vrfy = await d.next('reply');
    assert.equal(vrfy.code, 252, 'VRFY got its reply');

    p = await d.next('step_prompt');
    d.step({ kind: 'send', line: 'RCPT TO:<rcpt@example.test>' });
    const warn = await d.next('info');
    assert.match(warn.text, /Out of order: RCPT before MAIL/);
    const refused = await d.next('reply');
    assert.equal(refused.code, 503, 'the server refused it, as the warning said');

    await d.next('step_prompt');
    const bad = d.manager.step(d.id, { kind: 'send', line: 'NOOP\r\nQUIT' });
    assert.equal(bad.ok, false, 'CR/LF injection is refused at the door');

    d.step({ kind: 'send', line: `MAIL FROM:<sender@example.test> SIZE=${SIZE}` });
    assert.equal((await d.next('reply')).code, 250);
    p = await d.next('step_prompt');
    assert.equal(p.suggestion, 'RCPT TO:<rcpt@example.test>');
    d.step({ kind: 'send', line: p.suggestion });
    assert.equal((await d.next('reply')).code, 250);
    p = await d.next('step_prompt');
    assert.equal(p.suggestion, 'DATA');
    d.step({ kind: 'send', line: 'DATA' });
    assert.equal((await d.next('reply')).code, 354);
    p = await d.next('step_prompt');
    assert.equal(p.waitingFor, 'data-body');
    d.step({ kind: 'send', line: 'Subject: typed line' });
    assert.match((await d.next('info')).text, /waiting for the message itself/);
    d.step({ kind: 'data-body' });
    const body = await d.next('data_body');
    assert.equal(body.method, 'DATA');
    const final = await d.next('reply');
    assert.equal(final.code, 250);
    p = await d.next('step_prompt');
    assert.equal(p.suggestion, 'QUIT');
    d.step({ kind: 'send', line: 'NOOP' });
    assert.equal((await d.next('reply')).code, 250);
    await d.next('step_prompt');
    d.step({ kind: 'send', line: 'QUIT' });
    const outcome = await d.next('outcome');
    assert.equal(outcome.outcome, 'delivered');
    assert.match(outcome.queueId ?? '', /^[0-9A-F]+$/);
    assertStreamShape(d.events);
    const [file] = await pf.readDelivered();
    assert.equal(stripDeliveryHeaders(file).toString(), RAW.replace(/\r\n/g, '\n'));
  });

  test('a breakpoint pauses an automatic session before DATA, then run-to-end finishes it', async () => {
    const d = new Driver();
    d.start(hostRequest(pf.port, rawDraft(RAW), { breakpoints: ['data'], chunking: false }));
    const p = await d.next('step_prompt');
    assert.equal(p.stage, 'data');
    assert.ok(d.events.some((e) => e.kind === 'command' && e.text.startsWith('RCPT')), 'ran automatically up to the breakpoint');
    assert.ok(!d.events.some((e) => e.kind === 'command' && e.text === 'DATA'));
    d.step({ kind: 'run-to-end' });
    const outcome = await d.next('outcome');
    assert.equal(outcome.outcome, 'delivered');
    assertStreamShape(d.events);
  });

  test('cancel while the session waits for the user ends it within 1 s', async () => {
    const d = new Driver();
    d.start(hostRequest(pf.port, rawDraft(RAW), { mode: 'step' }));
    await d.next('step_prompt');
    const t0 = performance.now();
    assert.ok(d.manager.cancel(d.id).ok);
    const outcome = await d.next('outcome');
    assert.ok(performance.now() - t0 < 1000);
    assert.equal(outcome.outcome, 'cancelled');
    assert.equal(outcome.dotSent, false);
    assertStreamShape(d.events);
    assert.equal(d.manager.step(d.id, { kind: 'send', line: 'NOOP' }).ok, false, 'a finished session takes no more steps');
  });
});

describe('the session manager', () => {
  let silent: Server;
  const sockets = new Set<Socket>();
  let port = 0;
  before(async () => {
    // Accepts and never greets: the session waits for the greeting.
    silent = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const a = silent.address();
    port = typeof a === 'object' && a ? a.port : 0;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  });

  test('cancel during a wait for a reply takes effect within 1 s and closes the socket', async () => {
    const d = new Driver();
    d.start(hostRequest(port, rawDraft(RAW), { timeouts: { greetingMs: 60_000 } }));
    const wait = await d.next('wait');
    assert.equal(wait.stage, 'greeting');
    assert.equal(wait.deadlineMs, 60_000);
    const t0 = performance.now();
    d.manager.cancel(d.id);
    const outcome = await d.next('outcome');
    const took = performance.now() - t0;
    assert.ok(took < 1000, `cancel took ${Math.round(took)} ms`);
    assert.equal(outcome.outcome, 'cancelled');
    assertStreamShape(d.events);
    await d.manager.done(d.id);
    // The server side closes a moment after the client's socket: wait for it (at most 500 ms).
    let timer: NodeJS.Timeout | undefined;
    const closed = Promise.all([...sockets].map((s) => new Promise((r) => s.once('close', r))));
    await Promise.race([closed, new Promise((r) => (timer = setTimeout(r, 500)))]);
    clearTimeout(timer);
    assert.equal(sockets.size, 0, 'the server saw the connection close');
    assert.deepEqual(d.manager.active(), []);
  });

  test('a request that fails validation is refused before any socket opens', () => {
    const d = new Driver();
    const r = d.manager.start(hostRequest(port, rawDraft(RAW, ['bad address with spaces'])));
    assert.equal(r.ok, false);
    assert.equal(d.events.length, 0);
  });

  test('the greeting deadline ends a silent server with one outcome', async () => {
    const d = new Driver();
    d.start(hostRequest(port, rawDraft(RAW), { timeouts: { greetingMs: 200 } }));
    const outcome = await d.next('outcome');
    assert.equal(outcome.outcome, 'not_delivered');
    assert.match(outcome.reason, /no greeting within 200 ms/);
    assert.equal(outcome.timedOut, true, 'the outcome says a deadline expired');
    assertStreamShape(d.events);
  });
});
