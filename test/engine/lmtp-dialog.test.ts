// LMTP (RFC 2033) and DSN refusal in the sans-IO dialog: LHLO, one reply per accepted recipient after the dot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDialog, step, type DialogConfig, type DialogState } from '../../shared/smtp/dialog';
import type { DialogAction } from '../../shared/smtp/dialog-types';

function config(extra: Partial<DialogConfig>): DialogConfig {
  return { mode: 'auto', breakpoints: [], heloName: 'client.test', mailFrom: 'a@x.test', rcptTo: ['b@y.test', 'c@y.test'], message: { sizeBytes: 10, needs8bit: false, needsSmtpUtf8: false }, tls: 'none', implicitTls: false, plaintextAuthAllowed: false, pipelining: false, chunking: false, ...extra };
}

function run(cfg: DialogConfig, replies: Array<[number, string]>): { sent: string[]; last: DialogState; actions: DialogAction[] } {
  let s = createDialog(cfg);
  const sent: string[] = [];
  const actions: DialogAction[] = [];
  let chunk = 0;
  const feed = (r: ReturnType<typeof step>): void => {
    s = r.state;
    for (const a of r.actions) {
      actions.push(a);
      if (a.type === 'send') sent.push(...a.commands.map((c) => c.wire.trim()));
      if (a.type === 'send-body') feed(step(s, { type: 'body-sent', at: 1, chunkNo: chunk, bytes: 10, lines: 1, preview: '', truncated: false }));
    }
  };
  feed(step(s, { type: 'connected', secure: false, at: 0, chunkNo: 0 }));
  for (const [code, text] of replies) {
    chunk++;
    feed(step(s, { type: 'reply', reply: { code, lines: text.split('\n') }, firstByteAt: 1, at: 1, chunkNo: chunk }));
  }
  return { sent, last: s, actions };
}

test('LMTP sends LHLO and reads one reply per accepted recipient after the dot, in RCPT order (RFC 2033 §4.2)', () => {
  const r = run(config({ lmtp: true }), [[220, 'lmtp'], [250, 'lmtp.test'], [250, 'ok'], [250, 'ok'], [250, 'ok'], [354, 'go'], [250, 'delivered b'], [452, 'mailbox c full'], [221, 'bye']]);
  assert.equal(r.sent[0], 'LHLO client.test');
  const fin = r.actions.find((a) => a.type === 'finish');
  assert.ok(fin && fin.type === 'finish');
  assert.equal(fin.result.outcome, 'delivered');
  assert.deepEqual(fin.result.recipients.map((x) => [x.rcpt, x.accepted, x.code]), [['b@y.test', true, 250], ['c@y.test', false, 452]]);
  assert.match(fin.result.reason, /1 of 2 recipients \(refused: c@y\.test\)/);
});

test('DSN options to a server without DSN stop before MAIL with a clear reason (RFC 3461)', () => {
  const r = run(config({ dsn: { notify: ['FAILURE'] } }), [[220, 'smtp'], [250, 'smtp.test'], [221, 'bye']]);
  assert.ok(!r.sent.some((l) => l.startsWith('MAIL')));
  const fin = r.actions.find((a) => a.type === 'finish');
  assert.ok(fin && fin.type === 'finish');
  assert.match(fin.result.reason, /does not offer DSN.*would be ignored/);
});

test('DSN parameters are sent when offered; XCLIENT is sent after EHLO and EHLO again after its 220', () => {
  const r = run(config({ rcptTo: ['b@y.test'], dsn: { notify: ['SUCCESS'], ret: 'HDRS', orcpt: true }, xclient: [{ name: 'ADDR', value: '192.0.2.9' }] }), [
    [220, 'smtp'], [250, 'smtp.test\nXCLIENT ADDR'], [220, 'again'], [250, 'smtp.test'],
  ]);
  assert.equal(r.sent[1], 'XCLIENT ADDR=192.0.2.9');
  assert.equal(r.sent[2], 'EHLO client.test');
});
