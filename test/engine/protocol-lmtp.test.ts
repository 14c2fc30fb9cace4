// LMTP (RFC 2033) end to end against aiosmtpd's LMTP server (Debian's python3-aiosmtpd, a server we did not
// write): LHLO instead of EHLO, and after the final dot one reply per accepted recipient, each shown per
// recipient in the events and counted in the outcome (partial delivery when some fail). Also over a UNIX
// socket, and the exported swaks command (--protocol LMTP) against the same server, byte for byte.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { SessionEvent } from '../../shared/events';
import { sendSpecs } from '../../shared/export/send-spec';
import { swaksScript } from '../../shared/export/swaks';
import { aiosmtpdAvailable, startAiosmtpd, type AiosmtpdServer } from '../support/aiosmtpd';
import { hostRequest, runCase } from '../support/session-case';

const avail = aiosmtpdAvailable();
const hasSwaks = spawnSync('swaks', ['--version'], { stdio: 'ignore' }).status === 0;
if (!avail.ok) console.log(`# skipping LMTP tests: ${avail.reason}`);

const OK = 'ok@example.test';
const FULL = 'full@example.test';
const UNKNOWN = 'nobody@example.test';

let lmtp: AiosmtpdServer;
before(async () => {
  if (!avail.ok) return;
  lmtp = await startAiosmtpd({ lmtp: true, rcptReplies: { [UNKNOWN]: '550 5.1.1 <nobody@example.test> no such user' }, dataReplies: { [FULL]: '452 4.2.2 <full@example.test> mailbox full' } });
});
after(async () => {
  await lmtp?.stop();
});

function recipients(events: SessionEvent[]) {
  return events.flatMap((e) => (e.kind === 'recipient' ? [{ rcpt: e.rcpt, accepted: e.accepted, code: e.code, text: e.text }] : []));
}

describe('LMTP against aiosmtpd', { skip: !avail.ok && avail.reason }, () => {
  test('sends LHLO, and shows one reply per accepted recipient after the dot: partial delivery', async () => {
    const before = (await lmtp.messages()).length;
    const draft = { to: `${OK}, ${FULL}, ${UNKNOWN}`, rcptTo: [OK, FULL, UNKNOWN] };
    const r = await runCase(undefined, hostRequest(lmtp, { draft, request: { tls: 'none', protocol: { lmtp: true } } }), { deadlineMs: 5000 });
    assert.match(r.commands[0], /^LHLO client\.example\.test$/);
    assert.ok(!r.commands.some((c) => /^(EHLO|HELO)\b/.test(c)), 'no EHLO or HELO in LMTP');
    const rc = recipients(r.events);
    // RCPT replies first (three), then the per-recipient replies after the message (two accepted).
    assert.deepEqual(
      rc.map((x) => [x.rcpt, x.accepted, x.code]),
      [
        [OK, true, 250],
        [FULL, true, 250],
        [UNKNOWN, false, 550],
        [OK, true, 250],
        [FULL, false, 452],
      ],
    );
    assert.match(rc[4].text, /after the message \(LMTP\): .*mailbox full/);
    // The outcome: delivered to one, and says who did not get it (refused at RCPT and after the dot).
    assert.equal(r.outcome.outcome, 'delivered');
    assert.match(r.outcome.reason, /1 of 3 recipients/);
    assert.match(r.outcome.reason, /full@example\.test/);
    assert.match(r.outcome.reason, /nobody@example\.test/);
    assert.ok(r.events.some((e) => e.kind === 'info' && e.level === 'warn' && /did not deliver the message to full@example\.test/.test(e.text)));
    const got = await lmtp.waitForMessages(before + 1);
    assert.deepEqual(got[got.length - 1].envelope.rcptTos, [OK, FULL]);
    assert.equal(got[got.length - 1].envelope.heloName, 'client.example.test');
  });

  test('every recipient refused after the dot: not delivered, with the first refusal quoted', async () => {
    const draft = { to: FULL, rcptTo: [FULL] };
    const r = await runCase(undefined, hostRequest(lmtp, { draft, request: { tls: 'none', protocol: { lmtp: true } } }), { deadlineMs: 5000 });
    assert.equal(r.outcome.outcome, 'not_delivered');
    assert.equal(r.outcome.stage, 'body');
    assert.equal(r.outcome.dotSent, true);
    assert.match(r.outcome.reason, /LMTP server refused the message for full@example\.test .*452/);
  });

  test('without --lmtp the client says EHLO, which the LMTP server refuses: LMTP must be asked for', async () => {
    const smtp = await runCase(undefined, hostRequest(lmtp, { request: { tls: 'none' } }), { deadlineMs: 5000 });
    assert.equal(smtp.commands[0].split(' ')[0], 'EHLO');
    assert.equal(smtp.outcome.outcome, 'not_delivered');
  });

  test('the exported swaks command (--protocol LMTP) delivers the same bytes to the same server', { skip: !hasSwaks && 'swaks is not installed' }, async () => {
    const before = (await lmtp.messages()).length;
    const request = hostRequest(lmtp, { draft: { to: OK, rcptTo: [OK] }, request: { tls: 'none', protocol: { lmtp: true } } });
    const script = swaksScript(sendSpecs(request, []), 'message.eml');
    assert.match(script, /--protocol LMTP/);
    const eml = 'From: sender@example.test\r\nTo: ok@example.test\r\nSubject: swaks LMTP\r\n\r\n.leading dot\r\nbye\r\n';
    const dir = await mkdtemp(join(tmpdir(), 'mxdesk-lmtp-swaks-'));
    try {
      await writeFile(join(dir, 'message.eml'), eml);
      await new Promise<void>((resolve, reject) => execFile('sh', ['-c', script], { cwd: dir, timeout: 20_000 }, (e, out) => (e ? reject(new Error(`${e.message}\n${out}`)) : resolve())));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const got = await lmtp.waitForMessages(before + 1);
    assert.equal(got[got.length - 1].raw.toString('utf8'), eml);
    assert.equal(got[got.length - 1].envelope.heloName, 'client.example.test');
  });

  test('LMTP over a UNIX-domain socket (--socket), as local delivery agents listen', async () => {
    // A UNIX socket in front of the same aiosmtpd (its script listens on TCP only): bytes pass unchanged.
    const dir = await mkdtemp(join(tmpdir(), 'mxdesk-lmtp-sock-'));
    const path = join(dir, 'lmtp.sock');
    const front = createServer((c) => {
      const back = connect(lmtp.port, '127.0.0.1');
      c.pipe(back).pipe(c);
      c.on('error', () => back.destroy());
      back.on('error', () => c.destroy());
    });
    await new Promise<void>((r) => front.listen(path, r));
    try {
      const before = (await lmtp.messages()).length;
      const req = { ...hostRequest({ host: 'localhost', port: 24 }, { request: { tls: 'none', protocol: { lmtp: true } } }), transport: { socketPath: path } };
      const r = await runCase(undefined, req, { deadlineMs: 5000 });
      assert.equal(r.outcome.outcome, 'delivered', r.outcome.reason);
      assert.match(r.commands[0], /^LHLO /);
      assert.equal((await lmtp.waitForMessages(before + 1)).length, before + 1);
    } finally {
      await new Promise<void>((r) => front.close(() => r()));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
