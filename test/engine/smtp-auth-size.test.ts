// AUTH and SIZE against nodemailer's smtp-server: PLAIN, LOGIN and CRAM-MD5 after STARTTLS; 535 explained and
// never retried; an endless run of 334 challenges cut short; no AUTH without TLS ("your password was NOT
// sent") unless plaintext to a loopback relay was explicitly allowed; a message over the advertised SIZE
// stopped before MAIL. The password is a canary searched for in every event.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_USER, startAuthServer, type AuthServer } from '../support/smtp-auth-server';
import { assertNoSecret } from '../support/invariants';
import { hostRequest, makeDraft, run } from '../support/session-fixtures';
import type { AuthMechanism } from '../../shared/model';

const CANARY = 'Pw-canary-5f3!Zq8';

describe('AUTH and SIZE against smtp-server', () => {
  let tlsServer: AuthServer;
  let plainServer: AuthServer;
  let endless: AuthServer;
  let small: AuthServer;
  before(async () => {
    [tlsServer, plainServer, endless, small] = await Promise.all([
      startAuthServer({ users: { [DEFAULT_USER]: CANARY } }),
      startAuthServer({ users: { [DEFAULT_USER]: CANARY }, tls: false }),
      startAuthServer({ endless334: true }),
      startAuthServer({ tls: false, size: 1000, authOptional: true }),
    ]);
  });
  after(async () => {
    await Promise.all([tlsServer, plainServer, endless, small].map((s) => s?.stop()));
  });

  const authRequest = (port: number, mechanism: AuthMechanism, password = CANARY, over = {}) =>
    hostRequest(port, makeDraft(), { tls: 'starttls', certPolicy: 'override-once', auth: { user: DEFAULT_USER, password, mechanism }, ...over });

  for (const mechanism of ['PLAIN', 'LOGIN', 'CRAM-MD5'] as const) {
    test(`AUTH ${mechanism} over STARTTLS succeeds, redacted in the transcript`, async () => {
      const before = tlsServer.messages.length;
      const r = await run(authRequest(tlsServer.port, mechanism));
      assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
      assert.deepEqual(tlsServer.authAttempts.at(-1), { method: mechanism, username: DEFAULT_USER, ok: true });
      assert.equal(tlsServer.messages.length, before + 1);
      assert.equal(tlsServer.messages.at(-1)?.user, DEFAULT_USER);
      const auth = r.of('command').filter((c) => c.stage === 'auth');
      assert.ok(auth.length >= 1);
      for (const c of auth.slice(1)) assert.equal(c.text, '‹redacted›');
      if (mechanism === 'PLAIN') assert.equal(auth[0].text, 'AUTH PLAIN ‹redacted›');
      assertNoSecret(r.events, CANARY);
    });
  }

  test('535 is explained and not retried', async () => {
    const attempts = tlsServer.authAttempts.length;
    const r = await run(authRequest(tlsServer.port, 'auto', 'wrong-password-xyz'));
    assert.equal(r.outcome, 'not_delivered');
    assert.equal(r.last.stage, 'auth');
    assert.match(r.last.reason, /rejected the user name or password \(535\).*Not retried/);
    assert.equal(tlsServer.authAttempts.length, attempts + 1, 'exactly one AUTH attempt');
    assert.ok(!r.of('command').some((c) => c.text.startsWith('MAIL')), 'no MAIL after a failed AUTH');
    assertNoSecret(r.events, 'wrong-password-xyz');
  });

  test('an endless run of 334 challenges is cut short with "*"', async () => {
    const r = await run(authRequest(endless.port, 'LOGIN', CANARY));
    assert.equal(r.outcome, 'not_delivered');
    assert.match(r.last.reason, /kept sending AUTH challenges/);
    const answers = r.of('command').filter((c) => c.stage === 'auth');
    assert.ok(answers.length <= 6, `bounded: ${answers.length} AUTH lines`);
    assert.equal(answers.at(-1)?.text, '*', 'the exchange is cancelled (RFC 4954 §4)');
    assert.ok(endless.challenges() <= 7);
    assertNoSecret(r.events, CANARY);
  });

  test('without STARTTLS, AUTH is not attempted and the reason says the password was NOT sent', async () => {
    const attempts = plainServer.authAttempts.length;
    const r = await run(hostRequest(plainServer.port, makeDraft(), { tls: 'auto', auth: { user: DEFAULT_USER, password: CANARY, mechanism: 'auto' } }));
    assert.equal(r.outcome, 'not_delivered');
    assert.match(r.last.reason, /password was NOT sent/);
    assert.equal(plainServer.authAttempts.length, attempts, 'the server saw no AUTH');
    assert.ok(!r.of('command').some((c) => c.stage === 'auth'));
  });

  test('plaintext AUTH to a loopback relay works only when explicitly allowed, and prefers CRAM-MD5', async () => {
    const r = await run(hostRequest(plainServer.port, makeDraft(), { tls: 'auto', allowPlaintextAuthOnLoopback: true, auth: { user: DEFAULT_USER, password: CANARY, mechanism: 'auto' } }));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    assert.equal(plainServer.authAttempts.at(-1)?.method, 'CRAM-MD5', 'the password itself never crosses the wire in clear');
    assertNoSecret(r.events, CANARY);
  });

  test('a message larger than the advertised SIZE stops before MAIL with a clear message', async () => {
    const r = await run(hostRequest(small.port, makeDraft({ text: 'x'.repeat(5000) })));
    assert.equal(r.outcome, 'not_delivered');
    assert.equal(r.last.stage, 'mail');
    assert.match(r.last.reason, /server accepts at most 1000/);
    assert.equal(r.last.dotSent, false);
    assert.ok(!r.of('command').some((c) => c.text.startsWith('MAIL')), 'no MAIL for an oversized message');
    assert.equal(small.messages.length, 0);
  });

  test('a message within the SIZE limit is sent with SIZE= in MAIL (RFC 1870)', async () => {
    const r = await run(hostRequest(small.port, makeDraft({ text: 'short' })));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    assert.match(r.of('command').find((c) => c.text.startsWith('MAIL'))?.text ?? '', /SIZE=\d+/);
    assert.equal(small.messages.length, 1);
  });
});
