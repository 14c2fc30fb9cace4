// The SMTP dialog state machine on its own (sans-IO): scripted replies in, commands and actions out.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createDialog, step } from '../../shared/smtp/dialog';
import type { DialogAction, DialogConfig, DialogInput, DialogState, TransactionResult } from '../../shared/smtp/dialog-types';
import type { SessionEventBody } from '../../shared/events';
import type { StepCommand } from '../../shared/model';
import { parseQueueId } from '../../shared/smtp/queue-id';

const EHLO_ALL = ['mx.test', 'PIPELINING', 'SIZE 1000000', 'STARTTLS', '8BITMIME', 'SMTPUTF8', 'CHUNKING', 'AUTH PLAIN LOGIN'];

function config(over: Partial<DialogConfig> = {}): DialogConfig {
  return {
    mode: 'auto',
    breakpoints: [],
    heloName: 'client.test',
    mailFrom: 'a@test',
    rcptTo: ['b@test'],
    message: { sizeBytes: 100, needs8bit: false, needsSmtpUtf8: false },
    tls: 'none',
    implicitTls: false,
    plaintextAuthAllowed: false,
    pipelining: true,
    chunking: false,
    ...over,
  };
}

/** Feeds inputs and keeps the wire, the actions and the events; replies arrive in fresh chunks. */
class Harness {
  s: DialogState;
  wire: string[] = [];
  actions: DialogAction[] = [];
  events: SessionEventBody[] = [];
  chunk = 0;
  at = 0;
  constructor(cfg: DialogConfig) {
    this.s = createDialog(cfg);
  }
  feed(body: Record<string, unknown> & { type: DialogInput['type'] }, sameChunk = false): this {
    if (body.type === 'reply' && !sameChunk) this.chunk++;
    const r = step(this.s, { ...body, at: ++this.at, chunkNo: this.chunk } as DialogInput);
    this.s = r.state;
    this.actions.push(...r.actions);
    this.events.push(...r.events);
    for (const a of r.actions) if (a.type === 'send') this.wire.push(a.commands.map((c) => c.wire.trim()).join(' | '));
    return this;
  }
  reply(code: number, ...lines: string[]): this {
    return this.feed({ type: 'reply', reply: { code, lines: lines.length ? lines : ['ok'] }, firstByteAt: this.at });
  }
  user(command: StepCommand): this {
    return this.feed({ type: 'user', command });
  }
  get result(): TransactionResult | undefined {
    return this.s.finished;
  }
  info(): string[] {
    return this.events.flatMap((e) => (e.kind === 'info' ? [e.text] : []));
  }
}

function greetAndEhlo(h: Harness, ehlo = EHLO_ALL): Harness {
  h.feed({ type: 'connected', secure: false }).reply(220, 'mx.test ESMTP');
  if (h.s.mode === 'step') h.user({ kind: 'send', line: 'EHLO client.test' });
  return h.reply(250, ...ehlo);
}

describe('the dialog in auto mode', () => {
  test('with PIPELINING, MAIL, every RCPT and DATA form one flight; the body, the dot and QUIT the next', () => {
    const h = greetAndEhlo(new Harness(config({ rcptTo: ['b@test', 'c@test'] })));
    assert.deepEqual(h.wire, ['EHLO client.test', 'MAIL FROM:<a@test> SIZE=100 | RCPT TO:<b@test> | RCPT TO:<c@test> | DATA']);
    h.reply(250).reply(250).reply(250).reply(354);
    assert.deepEqual(h.actions.at(-1), { type: 'send-body', method: 'DATA', bdat: undefined });
    h.feed({ type: 'body-sent', bytes: 100, lines: 3, preview: '', truncated: false });
    assert.equal(h.wire.at(-1), 'QUIT', 'QUIT follows the dot without waiting');
    h.reply(250, '2.0.0 Ok: queued as ABC123').reply(221);
    assert.equal(h.result?.outcome, 'delivered');
    assert.equal(h.result?.queueId, 'ABC123');
  });

  test('with CHUNKING and a small message, BDAT LAST rides in the MAIL flight', () => {
    const h = greetAndEhlo(new Harness(config({ chunking: true })));
    assert.equal(h.wire.at(-1), 'MAIL FROM:<a@test> SIZE=100 | RCPT TO:<b@test>');
    const body = h.actions.at(-1);
    assert.equal(body?.type, 'send-body');
    assert.equal(body?.type === 'send-body' && body.bdat?.wire, 'BDAT 100 LAST\r\n');
  });

  test('without PIPELINING every command waits for its reply', () => {
    const h = greetAndEhlo(new Harness(config({ pipelining: false })));
    assert.equal(h.wire.at(-1), 'MAIL FROM:<a@test> SIZE=100');
    h.reply(250);
    assert.equal(h.wire.at(-1), 'RCPT TO:<b@test>');
  });

  test('no accepted recipient means no DATA, and the reason quotes the refusal', () => {
    const h = greetAndEhlo(new Harness(config({ pipelining: false })));
    h.reply(250).reply(550, '5.1.1 no such user');
    assert.equal(h.wire.at(-1), 'QUIT');
    h.reply(221);
    assert.equal(h.result?.outcome, 'not_delivered');
    assert.match(h.result?.reason ?? '', /No recipient was accepted.*no such user/);
  });

  test('pipelined: a 354 after every RCPT failed gets a lone dot, never the body (RFC 2920 §3.1)', () => {
    const h = greetAndEhlo(new Harness(config()));
    h.reply(250).reply(550, 'no').reply(354);
    assert.equal(h.wire.at(-2), '.');
    assert.ok(!h.actions.some((a) => a.type === 'send-body'));
  });

  test('pipelined: DATA refused because every RCPT failed reports the recipients, not DATA (RFC 2920 §3.1)', () => {
    const h = greetAndEhlo(new Harness(config()));
    h.reply(250).reply(550, '5.1.1 no such user').reply(554, '5.5.1 Error: no valid recipients');
    assert.equal(h.wire.at(-1), 'QUIT');
    h.reply(221);
    assert.equal(h.result?.outcome, 'not_delivered');
    assert.equal(h.result?.stage, 'rcpt');
    assert.match(h.result?.reason ?? '', /No recipient was accepted.*no such user/);
  });

  test('a reply that arrived before its command was sent is a desynchronisation', () => {
    const h = new Harness(config()).feed({ type: 'connected', secure: false }).reply(220);
    h.feed({ type: 'reply', reply: { code: 250, lines: ['early'] }, firstByteAt: 0 }, true);
    assert.equal(h.result?.outcome, 'not_delivered');
    assert.match(h.result?.reason ?? '', /before EHLO was sent.*injection/);
  });

  test('an unsolicited 421 ends the session as temporary', () => {
    const h = greetAndEhlo(new Harness(config({ mode: 'step' })));
    h.reply(421, '4.4.2 idle timeout');
    assert.equal(h.result?.outcome, 'not_delivered');
    assert.match(h.result?.reason ?? '', /Temporary/);
  });

  test('after the dot, a closed connection means outcome unknown', () => {
    const h = greetAndEhlo(new Harness(config({ pipelining: false })));
    h.reply(250).reply(250).reply(354).feed({ type: 'body-sent', bytes: 1, lines: 1, preview: '', truncated: false });
    h.feed({ type: 'closed' });
    assert.equal(h.result?.outcome, 'unknown');
    assert.match(h.result?.reason ?? '', /may have accepted/);
  });

  test('STARTTLS: nothing is sent during the handshake, then EHLO again with the old capabilities forgotten', () => {
    const h = greetAndEhlo(new Harness(config({ tls: 'starttls' })));
    assert.equal(h.wire.at(-1), 'STARTTLS');
    h.reply(220);
    assert.equal(h.actions.at(-1)?.type, 'start-tls');
    assert.equal(h.wire.at(-1), 'STARTTLS', 'no command while the handshake runs');
    h.feed({ type: 'tls-done' });
    assert.equal(h.s.caps, undefined);
    assert.equal(h.wire.at(-1), 'EHLO client.test');
  });

  test('TLS required but not offered stops with the reason; with AUTH it says the password was NOT sent', () => {
    const h = greetAndEhlo(new Harness(config({ tls: 'auto', auth: { user: 'u', mechanism: 'auto', createClient: () => assert.fail('no AUTH without TLS') } })), ['mx.test', 'AUTH PLAIN']);
    assert.equal(h.wire.at(-1), 'QUIT');
    h.reply(221);
    assert.match(h.result?.reason ?? '', /password was NOT sent/);
  });

  test('EHLO 502 falls back to HELO; a message over SIZE stops before MAIL', () => {
    const h = new Harness(config()).feed({ type: 'connected', secure: false }).reply(220).reply(502);
    assert.equal(h.wire.at(-1), 'HELO client.test');
    const big = greetAndEhlo(new Harness(config({ message: { sizeBytes: 2_000_000, needs8bit: false, needsSmtpUtf8: false } })));
    assert.equal(big.wire.at(-1), 'QUIT');
    big.reply(221);
    assert.match(big.result?.reason ?? '', /2000000 bytes.*at most 1000000/);
  });

  test('a non-ASCII envelope without SMTPUTF8 stops before MAIL', () => {
    const h = greetAndEhlo(new Harness(config({ message: { sizeBytes: 10, needs8bit: false, needsSmtpUtf8: true } })), ['mx.test', 'PIPELINING']);
    assert.equal(h.wire.at(-1), 'QUIT');
  });

  test('quit-after RCPT sends QUIT in the flight and says it stopped as asked', () => {
    const h = greetAndEhlo(new Harness(config({ quitAfter: 'rcpt' })));
    assert.equal(h.wire.at(-1), 'MAIL FROM:<a@test> SIZE=100 | RCPT TO:<b@test> | QUIT');
    h.reply(250).reply(250).reply(221);
    assert.match(h.result?.reason ?? '', /Stopped after RCPT/);
  });
});

describe('the dialog in step mode', () => {
  test('suggests the next command, sends an edited one, warns about order but sends, refuses CR/LF', () => {
    const h = new Harness(config({ mode: 'step' })).feed({ type: 'connected', secure: false }).reply(220);
    const prompt = h.events.find((e) => e.kind === 'step_prompt');
    assert.equal(prompt?.kind === 'step_prompt' && prompt.suggestion, 'EHLO client.test');
    h.user({ kind: 'send', line: 'EHLO other.test' });
    assert.equal(h.wire.at(-1), 'EHLO other.test');
    h.reply(250, ...EHLO_ALL);
    h.user({ kind: 'send', line: 'DATA' });
    assert.ok(h.info().some((t) => /Out of order: DATA before MAIL/.test(t)));
    assert.equal(h.wire.at(-1), 'DATA');
    h.reply(503);
    const sent = h.wire.length;
    h.user({ kind: 'send', line: 'NOOP\rQUIT' });
    assert.equal(h.wire.length, sent, 'nothing sent');
    assert.ok(h.info().some((t) => /Refused/.test(t)));
  });

  test('the body is refused before 354 and a typed line is refused after it', () => {
    const h = greetAndEhlo(new Harness(config({ mode: 'step' })));
    h.user({ kind: 'data-body' });
    assert.ok(!h.actions.some((a) => a.type === 'send-body'));
    h.user({ kind: 'send', line: 'MAIL FROM:<a@test>' }).reply(250).user({ kind: 'send', line: 'RCPT TO:<b@test>' }).reply(250);
    h.user({ kind: 'send', line: 'DATA' }).reply(354);
    h.user({ kind: 'send', line: 'hello' });
    assert.ok(h.info().some((t) => /waiting for the message itself/.test(t)));
    h.user({ kind: 'data-body' });
    assert.equal(h.actions.at(-1)?.type, 'send-body');
  });
});

describe('queue ids', () => {
  test('are found in the wording of common MTAs', () => {
    assert.equal(parseQueueId(['2.0.0 Ok: queued as 4Xyz1234']), '4Xyz1234');
    assert.equal(parseQueueId(['OK id=1rABCd-0001ab-2x']), '1rABCd-0001ab-2x');
    assert.equal(parseQueueId(['2.0.0 Ok: 302 bytes queued as 929C920C474']), '929C920C474');
    assert.equal(parseQueueId(['Ok']), undefined);
  });
});
