// Interoperability with aiosmtpd (Debian's python3-aiosmtpd, a server we did not write), started by the test
// on a loopback port: SMTPUTF8 (a non-ASCII local part and a UTF-8 Subject arrive intact, MAIL FROM carries
// SMTPUTF8), 8BITMIME (8-bit body bytes sent as BODY=8BITMIME, unchanged), dot traps, its own STARTTLS and
// AUTH PLAIN/LOGIN (a second SASL implementation beside Dovecot's), and its LMTP server
// over TCP and a UNIX socket (one reply per recipient after the dot). What arrives is compared byte for byte
// with what was sent: the raw text, or for a composed message the bytes a wire tap saw after DATA.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { simpleParser } from 'mailparser';
import { aiosmtpdAvailable, startAiosmtpd, type AiosmtpdServer } from '../support/aiosmtpd';
import { hostRequest, makeDraft, rawDraft, run } from '../support/session-fixtures';
import { hostRequest as caseRequest, runCase } from '../support/session-case';
import { stopAll } from '../support/stop-all';
import { makeCert } from '../support/certs';
import { assertNoSecret } from '../support/invariants';
import type { SessionDeps } from '../../electron/engine/run-session';
import { tempDirs } from '../support/temp-dirs';
import { dataPayload, startWireTap } from './wire-tap';

const avail = aiosmtpdAvailable();
const skip = avail.ok ? false : avail.reason;
if (skip) console.log(`# skipping the aiosmtpd interop tests: ${skip}`);

/** What aiosmtpd stores for a message we meant: every line end CRLF, a final line end, no final dot. */
function asReceived(meant: string): Buffer {
  const crlf = meant.replace(/\r\n|\r|\n/g, '\r\n');
  return Buffer.from(crlf.endsWith('\r\n') ? crlf : `${crlf}\r\n`, 'utf8');
}

const UTF8_RCPT = 'jürgen.müller@example.test';
const UTF8_SUBJECT = 'Grüße aus Köln – 東京 ✉';

describe('aiosmtpd SMTP with SMTPUTF8 and 8BITMIME', { skip }, () => {
  let smtp: AiosmtpdServer;
  let ascii: AiosmtpdServer;
  before(async () => {
    [smtp, ascii] = await Promise.all([startAiosmtpd({ smtputf8: true, dataSizeLimit: 64 * 1024 }), startAiosmtpd({ smtputf8: false })]);
  });
  after(async () => {
    await stopAll(smtp, ascii);
  });

  test('a non-ASCII local part and a UTF-8 Subject arrive intact, and MAIL FROM carries SMTPUTF8 (RFC 6531 §3.4)', async () => {
    const raw = `From: sender@example.test\r\nTo: ${UTF8_RCPT}\r\nSubject: ${UTF8_SUBJECT}\r\nMessage-ID: <utf8@example.test>\r\n\r\nHallo Jürgen,\r\nein Gruß.\r\n`;
    const before = (await smtp.messages()).length;
    const r = await run(hostRequest(smtp.port, rawDraft(raw, [UTF8_RCPT])));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n') + smtp.log());
    const mail = r.of('command').find((c) => c.text.startsWith('MAIL'));
    assert.match(mail?.text ?? '', /\bSMTPUTF8\b/);
    assert.match(mail?.text ?? '', /\bBODY=8BITMIME\b/, 'the UTF-8 bytes are 8-bit, so BODY=8BITMIME too (RFC 6152 §2)');
    const got = await smtp.waitForMessages(before + 1);
    const m = got[before];
    assert.deepEqual(m.envelope.rcptTos, [UTF8_RCPT], 'the UTF-8 local part reaches the server unchanged');
    assert.ok(m.envelope.mailOptions.includes('SMTPUTF8'));
    assert.equal(m.envelope.smtpUtf8, true);
    assert.deepEqual(m.raw, asReceived(raw));
    assert.ok(m.raw.toString('utf8').includes(`Subject: ${UTF8_SUBJECT}\r\n`), 'the Subject is raw UTF-8 (RFC 6532), not encoded');
  });

  test('a composed message to a UTF-8 address arrives exactly as MX Desk wrote it, and decodes to what the user typed', async () => {
    const tap = await startWireTap({ host: '127.0.0.1', port: smtp.port });
    try {
      const before = (await smtp.messages()).length;
      const text = 'Grüße,\n.\nein Punkt oben.\n';
      const r = await run(hostRequest(tap.port, makeDraft({ to: UTF8_RCPT, subject: UTF8_SUBJECT, text, attachments: [{ filename: 'ä.txt', contentType: 'text/plain', contentBase64: Buffer.from('x').toString('base64') }] })));
      assert.equal(r.outcome, 'delivered', r.transcript().join('\n') + smtp.log());
      const [m] = (await smtp.waitForMessages(before + 1)).slice(before);
      assert.deepEqual(m.envelope.rcptTos, [UTF8_RCPT]);
      assert.deepEqual(m.raw, dataPayload(tap.sent()[0]), 'the bytes written after DATA, unstuffed, are the bytes aiosmtpd stored');
      const parsed = await simpleParser(m.raw);
      assert.equal(parsed.subject, UTF8_SUBJECT);
      assert.equal(parsed.text, text, 'the lone dot line survives dot-stuffing');
      assert.equal(parsed.attachments[0]?.filename, 'ä.txt');
    } finally {
      await tap.stop();
    }
  });

  test('8-bit body bytes in a raw message go as BODY=8BITMIME and arrive unchanged, without SMTPUTF8', async () => {
    const raw = 'From: sender@example.test\r\nTo: rcpt@example.test\r\nSubject: 8bit\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nCafé crème\r\n.\r\n..two dots\r\n';
    const before = (await smtp.messages()).length;
    const r = await run(hostRequest(smtp.port, rawDraft(raw)));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n') + smtp.log());
    const mail = r.of('command').find((c) => c.text.startsWith('MAIL'));
    assert.match(mail?.text ?? '', /\bBODY=8BITMIME\b/);
    assert.doesNotMatch(mail?.text ?? '', /SMTPUTF8/, 'ASCII headers and envelope need no SMTPUTF8');
    const [m] = (await smtp.waitForMessages(before + 1)).slice(before);
    assert.ok(m.envelope.mailOptions.includes('BODY=8BITMIME'));
    assert.deepEqual(m.raw, asReceived(raw), 'dot-stuffed on the wire, unstuffed by aiosmtpd: the same bytes');
  });

  test('through the session manager (as the app runs it): one outcome, last, and no handle left behind', async () => {
    const before = (await smtp.messages()).length;
    const r = await runCase(undefined, caseRequest(smtp, { draft: { to: UTF8_RCPT, subject: UTF8_SUBJECT } }), { deadlineMs: 5000 });
    assert.equal(r.outcome.outcome, 'delivered', r.commands.join('\n'));
    assert.equal((await smtp.waitForMessages(before + 1)).length, before + 1);
  });

  test('a line over 1000 octets in a raw message: aiosmtpd refuses it after the dot, and the reason quotes it (RFC 5321 §4.5.3.1.6)', async () => {
    const before = (await smtp.messages()).length;
    const r = await run(hostRequest(smtp.port, rawDraft(`Subject: long line\r\n\r\n${'x'.repeat(1200)}\r\nend\r\n`)));
    assert.equal(r.outcome, 'not_delivered');
    assert.equal(r.last.dotSent, true);
    assert.match(r.last.reason, /after receiving it \(500 Line too long/);
    assert.equal((await smtp.messages()).length, before, 'nothing stored');
  });

  test("over aiosmtpd's advertised SIZE: stopped before MAIL, nothing sent (RFC 1870)", async () => {
    const r = await run(hostRequest(smtp.port, rawDraft(`Subject: big\r\n\r\n${`${'y'.repeat(70)}\r\n`.repeat(1000)}`)));
    assert.equal(r.outcome, 'not_delivered');
    assert.match(r.last.reason, /at most 65536 \(SIZE, RFC 1870\); nothing was sent/);
    assert.ok(!r.of('command').some((c) => c.text.startsWith('MAIL')));
  });

  test('a UTF-8 envelope to a server without SMTPUTF8 is stopped before MAIL, nothing sent', async () => {
    const raw = `From: sender@example.test\r\nTo: ${UTF8_RCPT}\r\nSubject: x\r\n\r\nx\r\n`;
    const r = await run(hostRequest(ascii.port, rawDraft(raw, [UTF8_RCPT])));
    assert.equal(r.outcome, 'not_delivered');
    assert.equal(r.last.stage, 'mail');
    assert.match(r.last.reason, /SMTPUTF8/);
    assert.ok(!r.of('command').some((c) => c.text.startsWith('MAIL')));
    assert.equal((await ascii.messages()).length, 0);
  });
});

describe('aiosmtpd with STARTTLS and AUTH (its own TLS and SASL code)', { skip }, () => {
  const NAME = 'aiosmtpd.example.test';
  const PASSWORD = 'Aiosmtpd-canary-4tW!e7';
  const cert = makeCert('unknown-ca', NAME);
  const deps: Partial<SessionDeps> = { lookupHost: async () => [{ address: '127.0.0.1', family: 4 }], tlsCa: [cert.caCert!] };
  let server: AiosmtpdServer;
  before(async () => {
    server = await startAiosmtpd({ hostname: NAME, smtputf8: true, tls: cert, auth: { user: 'mxdesk', password: PASSWORD } });
  });
  after(async () => {
    await stopAll(server);
  });

  const RAW = 'From: sender@example.test\r\nTo: rcpt@example.test\r\nSubject: auth\r\n\r\nover STARTTLS with AUTH\r\n';
  const request = (mechanism: 'PLAIN' | 'LOGIN', password = PASSWORD) =>
    hostRequest(server.port, rawDraft(RAW), { target: { kind: 'host', host: NAME, port: server.port }, tls: 'starttls', auth: { user: 'mxdesk', password, mechanism } });

  for (const mechanism of ['PLAIN', 'LOGIN'] as const) {
    test(`STARTTLS verified against the name, then AUTH ${mechanism}: the message arrives byte for byte, inside TLS, as the user`, async () => {
      const before = (await server.messages()).length;
      const r = await run(request(mechanism), deps);
      assert.equal(r.outcome, 'delivered', r.transcript().join('\n') + server.log());
      assert.equal(r.of('tls').find((t) => t.phase === 'done')?.verified, true);
      assert.ok(r.of('reply').some((x) => x.stage === 'auth' && x.code === 235));
      assertNoSecret(r.events, PASSWORD);
      const [m] = (await server.waitForMessages(before + 1)).slice(before);
      assert.equal(m.envelope.tls, true);
      assert.equal(m.envelope.authLogin, 'mxdesk');
      assert.deepEqual(m.raw, asReceived(RAW));
    });
  }

  test('a wrong password: 535 from aiosmtpd, one attempt, no MAIL', async () => {
    const wrong = 'wrong-Aio-pw-8q';
    const r = await run(request('PLAIN', wrong), deps);
    assert.equal(r.outcome, 'not_delivered');
    assert.equal(r.last.stage, 'auth');
    assert.match(r.last.reason, /535/);
    assert.equal(r.of('command').filter((x) => x.text.startsWith('AUTH')).length, 1);
    assert.ok(!r.of('command').some((x) => x.text.startsWith('MAIL')));
    assertNoSecret(r.events, wrong);
  });
});

describe('aiosmtpd LMTP (RFC 2033)', { skip }, () => {
  let lmtp: AiosmtpdServer;
  let unix: AiosmtpdServer;
  const tmp = tempDirs('mxdesk-interop-lmtp-');
  before(async () => {
    unix = await startAiosmtpd({ lmtp: true, socketPath: join(tmp(), 'lmtp.sock') });
    lmtp = await startAiosmtpd({
      lmtp: true,
      smtputf8: true,
      rcptReplies: { 'unknown@example.test': '550 5.1.1 <unknown@example.test> no such user' },
      dataReplies: { 'full@example.test': '452 4.2.2 <full@example.test> mailbox full' },
    });
  });
  after(async () => {
    await stopAll(lmtp, unix);
  });

  const lmtpRequest = (raw: string, rcpts: string[]) => hostRequest(lmtp.port, rawDraft(raw, rcpts), { protocol: { lmtp: true } });
  const RAW = 'From: sender@example.test\r\nTo: rcpt@example.test\r\nSubject: lmtp\r\nMessage-ID: <lmtp@example.test>\r\n\r\nover LMTP\r\n.\r\n';

  test('LHLO, then the message arrives byte for byte', async () => {
    const before = (await lmtp.messages()).length;
    const r = await run(lmtpRequest(RAW, ['rcpt@example.test']));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n') + lmtp.log());
    assert.equal(r.of('command')[0]?.text, 'LHLO client.example.test');
    const [m] = (await lmtp.waitForMessages(before + 1)).slice(before);
    assert.equal(m.envelope.heloName, 'client.example.test');
    assert.deepEqual(m.raw, asReceived(RAW));
  });

  test('one reply per accepted recipient after the dot: one delivered, one refused after DATA, one unknown at RCPT (RFC 2033 §4.2)', async () => {
    const rcpts = ['rcpt@example.test', 'full@example.test', 'unknown@example.test'];
    const r = await run(lmtpRequest(RAW, rcpts));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n') + lmtp.log());
    const rcptReplies = r.of('reply').filter((x) => x.stage === 'rcpt').map((x) => x.code);
    assert.deepEqual(rcptReplies, [250, 250, 550]);
    const afterDot = r.of('reply').filter((x) => x.stage === 'body').map((x) => x.code);
    assert.deepEqual(afterDot.slice(-2), [250, 452], 'two replies after the dot, in RCPT order, for the two accepted recipients');
    assert.match(r.last.reason, /1 of 3 recipients/);
    assert.match(r.last.reason, /full@example\.test/);
    assert.match(r.last.reason, /unknown@example\.test/);
  });

  test('LMTP over a UNIX-domain socket (the usual way an MTA reaches its LMTP server)', async () => {
    const r = await run({ ...lmtpRequest(RAW, ['rcpt@example.test']), transport: { socketPath: unix.socketPath } });
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n') + unix.log());
    assert.equal(r.of('connect_attempt')[0]?.address, `unix:${unix.socketPath}`);
    const [m] = await unix.waitForMessages(1);
    assert.deepEqual(m.raw, asReceived(RAW));
  });
});
