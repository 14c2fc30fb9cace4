// Interoperability with Dovecot's LMTP server (RFC 2033; a server we did not write), started by the test in a
// private directory and delivering into a maildir for a passwd-file user. After the final dot LMTP answers
// once per accepted recipient; an unknown user is refused at RCPT. What lands in the maildir is compared
// byte for byte with what MX Desk sent, after the Return-Path, Delivered-To and Received headers LMTP puts
// on top (maildir keeps LF line ends).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { SessionRequest } from '../../shared/model';
import { makeCert } from '../support/certs';
import { dovecotAvailable, startDovecot, stripTraceHeaders, type DovecotInstance } from '../support/dovecot';
import { hostRequest, rawDraft, run } from '../support/session-fixtures';
import { stopAll } from '../support/stop-all';

const avail = dovecotAvailable();
const skip = avail.ok ? false : avail.reason;
if (skip) console.log(`# skipping the Dovecot LMTP interop tests: ${skip}`);

function asDelivered(meant: string): Buffer {
  const lf = meant.replace(/\r\n|\r|\n/g, '\n');
  return Buffer.from(lf.endsWith('\n') ? lf : `${lf}\n`, 'utf8');
}

const RAW = [
  'From: sender@example.test',
  'To: mxdesk@example.test',
  'Subject: over LMTP',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: 8bit',
  'Message-ID: <lmtp-dovecot@example.test>',
  'Date: Mon, 07 Dec 2026 10:00:00 +0000',
  '',
  'Grüße: 8-bit body bytes go as BODY=8BITMIME',
  '.',
  '.leading dot',
  'last line',
].join('\r\n');

describe('Dovecot LMTP delivering into a maildir', { skip }, () => {
  let dc: DovecotInstance;
  const cert = makeCert('unknown-ca', 'lmtp.example.test');
  before(async () => {
    dc = await startDovecot({ hostname: 'lmtp.example.test', tls: cert, password: 'unused-Pw-1' });
  });
  after(async () => {
    await stopAll(dc);
  });
  beforeEach(async () => {
    await dc.clearDelivered();
  });

  const lmtp = (rcpts: string[], over: Partial<SessionRequest> = {}): SessionRequest => hostRequest(dc.lmtpPort, rawDraft(RAW, rcpts), { protocol: { lmtp: true }, ...over });

  test('LHLO, one recipient: the message lands in the maildir byte for byte after the headers LMTP adds', async () => {
    const r = await run(lmtp([dc.address]));
    assert.equal(r.outcome, 'delivered', `${r.transcript().join('\n')}\n${await dc.readLog()}`);
    assert.equal(r.of('command')[0]?.text, 'LHLO client.example.test', 'LMTP greets with LHLO (RFC 2033 §4.1)');
    assert.match(r.of('command').find((c) => c.text.startsWith('MAIL'))?.text ?? '', /BODY=8BITMIME/);
    const [file] = await dc.readDelivered({ count: 1 });
    assert.ok(file, `nothing delivered\n${await dc.readLog()}`);
    const head = file.toString('utf8').slice(0, file.indexOf('\nFrom: '));
    assert.match(head, /^Return-Path: <sender@example\.test>$/m);
    assert.match(head, /^Delivered-To: mxdesk@example\.test$/m);
    assert.match(head, /^Received: from client\.example\.test/m);
    assert.deepEqual(stripTraceHeaders(file).toString('utf8'), asDelivered(RAW).toString('utf8'));
  });

  for (const chunking of [true, false]) {
    test(`two known recipients and one unknown, ${chunking ? 'BDAT' : 'DATA'}: 550 at RCPT for the unknown, then one reply per accepted recipient after the message (RFC 2033 §4.2)`, async () => {
      const rcpts = [dc.address, 'nobody-here@example.test', 'mxdesk+second@example.test'];
      const r = await run(lmtp(rcpts, { chunking }));
      assert.equal(r.of('data_body')[0]?.method, chunking ? 'BDAT' : 'DATA');
      assert.equal(r.outcome, 'delivered', `${r.transcript().join('\n')}\n${await dc.readLog()}`);
      const atRcpt = r.of('reply').filter((x) => x.stage === 'rcpt');
      assert.deepEqual(atRcpt.map((x) => x.code), [250, 550, 250]);
      assert.match(atRcpt[1].lines.join(' '), /5\.1\.1/, "Dovecot's enhanced code for an unknown user");
      const afterDot = r.of('reply').filter((x) => x.stage === 'body');
      assert.equal(afterDot.length, 2, 'one reply per accepted recipient, none for the refused one');
      assert.deepEqual(afterDot.map((x) => x.code), [250, 250]);
      assert.match(r.last.reason, /2 of 3 recipients/);
      assert.match(r.last.reason, /nobody-here@example\.test/);
      const files = await dc.readDelivered({ count: 2 });
      assert.equal(files.length, 2);
      // Dovecot writes one copy per recipient (without Delivered-To when a message has several).
      for (const f of files) assert.deepEqual(stripTraceHeaders(f).toString('utf8'), asDelivered(RAW).toString('utf8'));
    });
  }

  test('a mailbox over quota: accepted at RCPT, refused after the dot while the other recipient gets 250 (RFC 2033 §4.2)', async () => {
    const r = await run(lmtp([dc.fullAddress, dc.address]));
    assert.equal(r.outcome, 'delivered', `${r.transcript().join('\n')}\n${await dc.readLog()}`);
    assert.deepEqual(r.of('reply').filter((x) => x.stage === 'rcpt').map((x) => x.code), [250, 250]);
    const afterDot = r.of('reply').filter((x) => x.stage === 'body');
    assert.deepEqual(afterDot.map((x) => Math.floor(x.code / 100)), [5, 2], 'in RCPT order: the full mailbox first, then the good one');
    assert.match(afterDot[0].lines.join(' '), /quota/i);
    assert.match(r.last.reason, /1 of 2 recipients/);
    assert.match(r.last.reason, /full@example\.test/);
    assert.ok(r.of('info').some((i) => i.text.includes('full@example.test')), 'the per-recipient refusal is shown in the log');
    const files = await dc.readDelivered({ count: 1 });
    assert.equal(files.length, 1);
    assert.deepEqual(stripTraceHeaders(files[0]).toString('utf8'), asDelivered(RAW).toString('utf8'));
  });

  test('LMTP over its UNIX-domain socket: the same bytes land in the maildir', async () => {
    const r = await run({ ...lmtp([dc.address]), transport: { socketPath: dc.lmtpSocket } });
    assert.equal(r.outcome, 'delivered', `${r.transcript().join('\n')}\n${await dc.readLog()}`);
    assert.equal(r.of('connect_attempt')[0]?.address, `unix:${dc.lmtpSocket}`);
    const [file] = await dc.readDelivered({ count: 1 });
    assert.deepEqual(stripTraceHeaders(file).toString('utf8'), asDelivered(RAW).toString('utf8'));
  });

  test('STARTTLS inside LMTP, verified against the name through a test CA, is followed by LHLO again (RFC 2033 §4.1, RFC 3207 §4.2)', async () => {
    const r = await run(lmtp([dc.address], { target: { kind: 'host', host: 'lmtp.example.test', port: dc.lmtpPort }, tls: 'starttls' }), { lookupHost: async () => [{ address: '127.0.0.1', family: 4 }], tlsCa: [cert.caCert!] });
    assert.equal(r.outcome, 'delivered', `${r.transcript().join('\n')}\n${await dc.readLog()}`);
    assert.equal(r.of('tls').find((t) => t.phase === 'done')?.verified, true);
    assert.deepEqual(r.of('command').slice(0, 3).map((c) => c.text), ['LHLO client.example.test', 'STARTTLS', 'LHLO client.example.test']);
    const [file] = await dc.readDelivered({ count: 1 });
    assert.deepEqual(stripTraceHeaders(file).toString('utf8'), asDelivered(RAW).toString('utf8'));
  });

  test('Dovecot 2.3 LMTP offers no SMTPUTF8: a UTF-8 Subject is stopped before MAIL, nothing sent', async () => {
    const r = await run(hostRequest(dc.lmtpPort, rawDraft(RAW.replace('Subject: over LMTP', 'Subject: über LMTP'), [dc.address]), { protocol: { lmtp: true } }));
    assert.equal(r.outcome, 'not_delivered');
    assert.equal(r.last.stage, 'mail');
    assert.match(r.last.reason, /SMTPUTF8/);
    assert.ok(!r.of('command').some((c) => c.text.startsWith('MAIL')));
  });

  test('only unknown recipients: nothing is sent after RCPT, and the outcome names them', async () => {
    const r = await run(lmtp(['ghost1@example.test', 'ghost2@example.test']));
    assert.equal(r.outcome, 'not_delivered', r.transcript().join('\n'));
    assert.equal(r.last.stage, 'rcpt');
    assert.match(r.last.reason, /ghost1@example\.test/);
    assert.ok(!r.of('command').some((c) => c.text === 'DATA' || c.text.startsWith('BDAT')));
    assert.equal((await dc.readDelivered({ count: 0 })).length, 0);
  });
});
