// DSN (RFC 3461) and XCLIENT (Postfix) against a private Postfix that offers both: the parameters are sent
// and honoured (Postfix's own success notice carries the ENVID and the original recipient; its Received
// header names the client XCLIENT announced), and a server that does not offer them stops the session
// before MAIL with the reason. The exported swaks command's --xclient-* flags are run against it too.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { SessionRequest } from '../../shared/model';
import { sendSpecs } from '../../shared/export/send-spec';
import { swaksScript } from '../../shared/export/swaks';
import { postfixAvailable, startPostfix, type PostfixInstance } from '../support/postfix';
import { hostRequest, runCase } from '../support/session-case';
import { tempDirs } from '../support/temp-dirs';

const tempDir = tempDirs('mxdesk-protocol-postfix-');
const hasSwaks = spawnSync('swaks', ['--version'], { stdio: 'ignore' }).status === 0;

const avail = postfixAvailable();
const skip = avail.ok ? false : avail.reason;
if (skip) console.log(`# skipping the Postfix DSN/XCLIENT tests: ${skip}`);

const FROM = 'sender@example.test';
const TO = 'rcpt@example.test';

describe('DSN and XCLIENT against a private Postfix', { skip }, () => {
  let pf: PostfixInstance;
  let plain: PostfixInstance;
  before(async () => {
    [pf, plain] = await Promise.all([
      startPostfix({ authorizedXclientHosts: ['127.0.0.1'] }),
      // XCLIENT is not offered to unlisted clients; DSN is switched off here.
      startPostfix({ discardEhloKeywords: ['dsn'] }),
    ]);
  });
  after(async () => {
    await Promise.all([pf?.stop(), plain?.stop()]);
  });
  beforeEach(async () => {
    await Promise.all([pf.clearDelivered(), plain.clearDelivered()]);
  });

  const req = (port: number, over: Partial<SessionRequest>): SessionRequest =>
    hostRequest({ host: '127.0.0.1', port }, { draft: { from: FROM, mailFrom: FROM, to: TO, rcptTo: [TO] }, request: { tls: 'none', ...over } });

  test('NOTIFY, RET, ENVID and ORCPT are sent, accepted, and come back in Postfix’s success notice', async () => {
    const envid = 'mxdesk test+1=ok';
    const r = await runCase(undefined, req(pf.port, { protocol: { dsn: { notify: ['SUCCESS', 'FAILURE'], ret: 'HDRS', envid, orcpt: true } } }), { deadlineMs: 5000 });
    assert.equal(r.outcome.outcome, 'delivered', r.outcome.reason);
    // ENVID is xtext (RFC 3461 §4): "+" and "=" and the space are hex-encoded.
    assert.ok(r.commands.some((c) => c === `MAIL FROM:<${FROM}> SIZE=${/SIZE=(\d+)/.exec(c)?.[1]} RET=HDRS ENVID=mxdesk+20test+2B1+3Dok`), r.commands.join('\n'));
    assert.ok(r.commands.includes(`RCPT TO:<${TO}> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;${TO}`), r.commands.join('\n'));
    // The message, and Postfix's "delivered" notice to the sender (which is in the sink domain too).
    const files = (await pf.readDelivered({ count: 2, timeoutMs: 10_000 })).map((b) => b.toString('utf8'));
    const notice = files.find((f) => /Content-Type: message\/delivery-status/i.test(f));
    assert.ok(notice, `no delivery status notice arrived; log:\n${await pf.readLog()}`);
    assert.match(notice, new RegExp(`Original-Envelope-Id: ${envid.replace(/[+]/g, '\\+')}`, 'i'));
    assert.match(notice, new RegExp(`Original-Recipient: rfc822;\\s*${TO}`, 'i'));
    assert.match(notice, /Action: delivered/i);
  });

  test('ORCPT of a non-ASCII recipient has the type utf-8 (RFC 6533 §3), and Postfix decodes it', async () => {
    const to = 'jürgen+x@example.test';
    const r = await runCase(undefined, hostRequest({ host: '127.0.0.1', port: pf.port }, { draft: { from: FROM, mailFrom: FROM, to, rcptTo: [to] }, request: { tls: 'none', protocol: { dsn: { notify: ['SUCCESS'], orcpt: true } } } }), { deadlineMs: 5000 });
    assert.equal(r.outcome.outcome, 'delivered', r.outcome.reason);
    assert.ok(r.commands.includes('RCPT TO:<jürgen+x@example.test> NOTIFY=SUCCESS ORCPT=utf-8;jürgen\\x{2B}x@example.test'), r.commands.join('\n'));
    const files = (await pf.readDelivered({ count: 2, timeoutMs: 10_000 })).map((b) => b.toString('utf8'));
    const notice = files.find((f) => /message\/(global-)?delivery-status/i.test(f));
    assert.ok(notice, 'a delivery status notice arrived');
    assert.match(notice, /Original-Recipient: utf-8;\s*jürgen\+x@example\.test/);
  });

  test('DSN options to a server that does not offer DSN stop before MAIL, nothing sent', async () => {
    const r = await runCase(undefined, req(plain.port, { protocol: { dsn: { notify: ['NEVER'] } } }), { deadlineMs: 5000 });
    assert.equal(r.outcome.outcome, 'not_delivered');
    assert.equal(r.outcome.stage, 'mail');
    assert.match(r.outcome.reason, /does not offer DSN \(RFC 3461\)/);
    assert.ok(!r.commands.some((c) => /^MAIL/.test(c)), 'no MAIL was sent');
  });

  test('XCLIENT after EHLO, EHLO again after its 220; the Received header names the announced client', async () => {
    const xclient = [
      { name: 'NAME' as const, value: 'client.example.net' },
      { name: 'ADDR' as const, value: '192.0.2.7' },
      { name: 'HELO' as const, value: 'announced.example.net' },
    ];
    const r = await runCase(undefined, req(pf.port, { protocol: { xclient } }), { deadlineMs: 5000 });
    assert.equal(r.outcome.outcome, 'delivered', r.outcome.reason);
    const verbs = r.commands.map((c) => c.split(' ')[0]);
    assert.deepEqual(verbs.slice(0, 3), ['EHLO', 'XCLIENT', 'EHLO']);
    assert.equal(r.commands[1], 'XCLIENT NAME=client.example.net ADDR=192.0.2.7 HELO=announced.example.net');
    const xreply = r.replies.find((x) => x.code === 220 && x.stage === 'ehlo');
    assert.ok(xreply, 'the 220 to XCLIENT is shown');
    const [file] = await pf.readDelivered({ count: 1 });
    // Postfix's trace header: "from <HELO> (<NAME> [<ADDR>])".
    assert.match(file.toString('utf8'), /^Received: from client\.example\.test \(client\.example\.net \[192\.0\.2\.7\]\)/m);
  });

  test('the exported swaks command sends the same XCLIENT (--xclient-name, --xclient-addr) and Postfix honours it', { skip: !hasSwaks && 'swaks is not installed' }, async () => {
    const request = req(pf.port, { protocol: { xclient: [{ name: 'NAME', value: 'swaks.example.net' }, { name: 'ADDR', value: '198.51.100.9' }] } });
    const script = swaksScript(sendSpecs(request, []), 'message.eml');
    assert.match(script, /--xclient-name 'swaks\.example\.net'[\s\\]+--xclient-addr '198\.51\.100\.9'/);
    const dir = tempDir();
    writeFileSync(join(dir, 'message.eml'), 'From: sender@example.test\r\nTo: rcpt@example.test\r\nSubject: swaks xclient\r\n\r\nhi\r\n');
    await new Promise<void>((resolve, reject) => execFile('sh', ['-c', script], { cwd: dir, timeout: 20_000 }, (e, out) => (e ? reject(new Error(`${e.message}\n${out}`)) : resolve())));
    const [file] = await pf.readDelivered({ count: 1 });
    assert.match(file.toString('utf8'), /^Received: from client\.example\.test \(swaks\.example\.net \[198\.51\.100\.9\]\)/m);
  });

  test('XCLIENT to a server that does not offer it (client not authorised) stops before MAIL', async () => {
    const r = await runCase(undefined, req(plain.port, { protocol: { xclient: [{ name: 'ADDR', value: '192.0.2.7' }] } }), { deadlineMs: 5000 });
    assert.equal(r.outcome.outcome, 'not_delivered');
    assert.match(r.outcome.reason, /does not offer XCLIENT/);
    assert.ok(!r.commands.some((c) => /^(XCLIENT|MAIL)/.test(c)));
  });
});
