// Step mode with the protocol options (sans-IO): a typed LHLO is read as LMTP's EHLO, and a typed XCLIENT's
// 220 means "greet again", so the next suggestion is EHLO, as in auto mode.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDialog, step, type DialogConfig, type DialogState } from '../../shared/smtp/dialog';
import type { SessionEventBody } from '../../shared/events';

function config(extra: Partial<DialogConfig>): DialogConfig {
  return { mode: 'step', breakpoints: [], heloName: 'client.test', mailFrom: 'a@x.test', rcptTo: ['b@y.test'], message: { sizeBytes: 10, needs8bit: false, needsSmtpUtf8: false }, tls: 'none', implicitTls: false, plaintextAuthAllowed: false, pipelining: false, chunking: false, ...extra };
}

function driver(cfg: DialogConfig) {
  let s: DialogState = createDialog(cfg);
  let chunk = 0;
  const sent: string[] = [];
  const events: SessionEventBody[] = [];
  const feed = (r: ReturnType<typeof step>) => {
    s = r.state;
    events.push(...r.events);
    for (const a of r.actions) if (a.type === 'send') sent.push(...a.commands.map((c) => c.wire.trim()));
  };
  feed(step(s, { type: 'connected', secure: false, at: 0, chunkNo: 0 }));
  return {
    reply(code: number, text: string) {
      chunk++;
      feed(step(s, { type: 'reply', reply: { code, lines: text.split('\n') }, firstByteAt: 1, at: 1, chunkNo: chunk }));
    },
    type(line: string) {
      feed(step(s, { type: 'user', command: { kind: 'send', line }, at: 1, chunkNo: chunk }));
    },
    get state() {
      return s;
    },
    sent,
    events,
  };
}

test('step mode: LMTP suggests LHLO, and a typed LHLO is read as the greeting that gives the capabilities', () => {
  const d = driver(config({ lmtp: true }));
  d.reply(220, 'lmtp ready');
  assert.equal(d.state.suggestion?.display, 'LHLO client.test');
  d.type('LHLO other.test');
  d.reply(250, 'lmtp.test\nPIPELINING\nENHANCEDSTATUSCODES');
  assert.equal(d.state.heloDone, true);
  assert.equal(d.state.caps?.pipelining, true);
  assert.match(d.state.suggestion?.display ?? '', /^MAIL FROM:<a@x\.test>/);
  assert.ok(!d.events.some((e) => e.kind === 'info' && e.level === 'warn'), 'no out-of-order warning');
});

test('step mode: a typed XCLIENT before EHLO is flagged; after its 220 the next suggestion is EHLO again', () => {
  const d = driver(config({}));
  d.reply(220, 'smtp ready');
  d.type('XCLIENT ADDR=192.0.2.1');
  assert.ok(d.events.some((e) => e.kind === 'info' && /XCLIENT before a successful EHLO/.test(e.text)));
  d.reply(550, 'not authorised');
  d.type('EHLO client.test');
  d.reply(250, 'smtp.test\nXCLIENT ADDR NAME');
  d.type('XCLIENT NAME=c.example.net');
  d.reply(220, 'smtp.test ESMTP');
  assert.equal(d.state.heloDone, false, 'XCLIENT resets the session: greet again');
  assert.equal(d.state.suggestion?.display, 'EHLO client.test');
  assert.deepEqual(d.sent, ['XCLIENT ADDR=192.0.2.1', 'EHLO client.test', 'XCLIENT NAME=c.example.net']);
});

test('auto mode: an XCLIENT the user asked for and the server refuses ends the session before MAIL, with the likely cause', () => {
  const d = driver(config({ mode: 'auto', xclient: [{ name: 'ADDR', value: '192.0.2.1' }] }));
  d.reply(220, 'smtp ready');
  d.reply(250, 'smtp.test\nXCLIENT ADDR');
  d.reply(550, '5.7.0 insufficient authorization');
  d.reply(221, 'bye');
  assert.deepEqual(d.sent, ['EHLO client.test', 'XCLIENT ADDR=192.0.2.1', 'QUIT']);
  const fin = d.state.finished;
  assert.equal(fin?.outcome, 'not_delivered');
  assert.match(fin?.reason ?? '', /refused XCLIENT \(550 5\.7\.0 insufficient authorization\); is this client listed in smtpd_authorized_xclient_hosts\?/);
});

test('LMTP: a refused LHLO ends the session, never a HELO fallback (RFC 2033 §4.1)', () => {
  const d = driver(config({ mode: 'auto', lmtp: true }));
  d.reply(220, 'lmtp ready');
  d.reply(500, 'command not recognized');
  d.reply(221, 'bye');
  assert.deepEqual(d.sent, ['LHLO client.test', 'QUIT']);
  assert.match(d.state.finished?.reason ?? '', /refused LHLO, and LMTP has no HELO fallback/);
});
