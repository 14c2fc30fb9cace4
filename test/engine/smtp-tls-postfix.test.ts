// STARTTLS against the private Postfix with its certificate made at test time: verified against the host
// NAME with SNI, the certificate summary in the event, the exact failure when it can't be verified, and an
// override that applies to one run and is written in the transcript.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postfixAvailable, startPostfix, type PostfixInstance } from '../support/postfix';
import { hostRequest, rawDraft, run } from '../support/session-fixtures';
import type { SessionDeps } from '../../electron/engine/run-session';

const skip = postfixAvailable().ok ? false : postfixAvailable().reason;
const RAW = 'From: sender@example.test\r\nTo: rcpt@example.test\r\nSubject: tls\r\n\r\nover TLS\r\n';

describe('STARTTLS to a private Postfix', { skip }, () => {
  let pf: PostfixInstance;
  before(async () => {
    pf = await startPostfix({ tls: true });
  });
  after(async () => {
    await pf?.stop();
  });

  // The host is named mx.example.test (the certificate's name) and resolves to Postfix on loopback.
  const byName = (over = {}) => hostRequest(pf.port, rawDraft(RAW), { target: { kind: 'host', host: 'mx.example.test', port: pf.port }, tls: 'starttls', ...over });
  const lookupHost: SessionDeps['lookupHost'] = async () => [{ address: '127.0.0.1', family: 4 }];

  test('verifies the certificate against the host name, with SNI, and reports its summary', async () => {
    const r = await run(byName(), { lookupHost, tlsCa: [pf.certPem!] });
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    const done = r.of('tls').find((t) => t.phase === 'done');
    assert.ok(done);
    assert.equal(done.servername, 'mx.example.test');
    assert.equal(done.verified, true);
    assert.equal(done.overridden, false);
    assert.match(done.protocol ?? '', /^TLSv1\.[23]$/);
    assert.ok(done.cipher);
    assert.equal(done.cert?.fingerprint256, pf.fingerprint256);
    assert.match(done.cert?.subject ?? '', /CN=mx\.example\.test/);
    assert.deepEqual(done.cert?.subjectAltNames, ['DNS:mx.example.test']);
    assert.equal(done.cert?.selfSigned, true);
    assert.ok(Date.parse(done.cert?.validTo ?? '') > Date.now());
  });

  test('an unverifiable certificate stops the session, names the failure, and nothing is sent after STARTTLS', async () => {
    const r = await run(byName(), { lookupHost });
    assert.equal(r.outcome, 'not_delivered');
    assert.equal(r.last.stage, 'tls');
    assert.match(r.last.reason, /self-signed/);
    assert.equal(r.of('tls').find((t) => t.phase === 'failed')?.cert?.fingerprint256, pf.fingerprint256, 'the certificate is still shown');
    assert.ok(!r.of('command').some((c) => c.text.startsWith('MAIL')));
  });

  test('connecting by IP address is a name mismatch even with the CA trusted (SNI never carries an IP)', async () => {
    const r = await run(hostRequest(pf.port, rawDraft(RAW), { tls: 'starttls' }), { tlsCa: [pf.certPem!] });
    assert.equal(r.outcome, 'not_delivered');
    assert.match(r.last.reason, /name mismatch/);
  });

  test('override-once proceeds, records the override in the transcript, and does not carry over to the next run', async () => {
    const r = await run(byName({ certPolicy: 'override-once' }), { lookupHost });
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    const done = r.of('tls').find((t) => t.phase === 'done');
    assert.equal(done?.overridden, true);
    assert.match(done?.verifyError ?? '', /self-signed/);
    assert.ok(r.of('info').some((i) => i.level === 'warn' && /overridden for this run only/.test(i.text)));
    const next = await run(byName(), { lookupHost });
    assert.equal(next.outcome, 'not_delivered', 'the next run verifies again');
  });

  test('after the handshake EHLO is sent again and the pre-TLS capabilities are forgotten (RFC 3207 §4.2)', async () => {
    const r = await run(byName({ certPolicy: 'override-once' }), { lookupHost });
    const ehlos = r.of('reply').filter((x) => x.stage === 'ehlo');
    assert.equal(ehlos.length, 2);
    assert.ok(ehlos[0].lines.includes('STARTTLS'));
    assert.ok(!ehlos[1].lines.includes('STARTTLS'), 'Postfix stops offering STARTTLS inside TLS');
    assert.equal(r.of('command').filter((c) => c.text === 'STARTTLS').length, 1, 'STARTTLS is sent once');
  });
});
