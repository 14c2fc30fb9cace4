// RELIABILITY.md "AUTH and secrets": redaction where commands are built, secrets echoed by a server, 535 not
// retried, bounded 334 challenges, and never AUTH in plaintext without the explicit loopback allowance. The
// password is a canary searched for in every event in every encoding (S), as runCase does in every case.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { afterEach, describe, test } from 'node:test';
import type { SessionEvent } from '../../shared/events';
import type { AuthMechanism, SessionRequest } from '../../shared/model';
import { expect, reply, startHostileServer, type HostileServer, type HostileStep } from '../support/hostile-server';
import { assertExplains, assertNoSecret, assertOneOutcome } from '../support/invariants';
import { CANARY, hostRequest, runCase, startOnly } from '../support/session-case';
import { acceptMessage, hello, quit } from '../support/smtp-script';

const USER = 'alice@example.test';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function serve(steps: HostileStep[]) {
  server = await startHostileServer(steps);
  return server;
}

/** Plaintext AUTH to a loopback test server, explicitly allowed (as a user would for a local relay). */
function authRequest(s: HostileServer, mechanism: AuthMechanism, over: Partial<SessionRequest> = {}): SessionRequest {
  return hostRequest(s, { request: { tls: 'none', allowPlaintextAuthOnLoopback: true, auth: { user: USER, password: CANARY, mechanism }, ...over } });
}

function commandTexts(events: SessionEvent[]): string[] {
  return events.flatMap((e) => (e.kind === 'command' ? [e.text] : []));
}

describe('redaction where the command is built', () => {
  test('AUTH PLAIN is shown redacted and the canary never appears in any event', async () => {
    const s = await serve([...hello('AUTH PLAIN LOGIN'), expect(/^AUTH PLAIN \S+$/), reply('235 2.7.0 Authentication successful'), ...acceptMessage()]);
    const r = await runCase(s, authRequest(s, 'PLAIN'));
    assertOneOutcome(r.events, { outcome: 'delivered' });
    const auth = commandTexts(r.events).find((t) => /^AUTH/i.test(t));
    assert.equal(auth, 'AUTH PLAIN ‹redacted›');
    // The server did get the real credential (so the redaction is display-only).
    const sent = s.connections[0].commands.find((c) => /^AUTH PLAIN/i.test(c)) ?? '';
    assert.equal(Buffer.from(sent.split(' ')[2], 'base64').toString('utf8').split('\0').slice(1).join('|'), `${USER}|${CANARY}`);
    assertNoSecret(r.events, CANARY);
  });

  test('AUTH LOGIN shows the user and password lines redacted', async () => {
    const s = await serve([
      ...hello('AUTH LOGIN'),
      expect(/^AUTH LOGIN$/i),
      reply(`334 ${b64('Username:')}`),
      expect(new RegExp(`^${b64(USER).replace(/[+/=]/g, '\\$&')}$`)),
      reply(`334 ${b64('Password:')}`),
      expect(new RegExp(`^${b64(CANARY).replace(/[+/=]/g, '\\$&')}$`)),
      reply('235 2.7.0 Authentication successful'),
      ...acceptMessage(),
    ]);
    const r = await runCase(s, authRequest(s, 'LOGIN'));
    assertOneOutcome(r.events, { outcome: 'delivered' });
    const texts = commandTexts(r.events);
    const i = texts.findIndex((t) => /^AUTH LOGIN/i.test(t));
    assert.ok(i >= 0);
    assert.match(texts[i + 2], /redacted/, 'the password line is redacted');
    assert.deepEqual(s.connections[0].problems, []);
  });

  test('CRAM-MD5 answers the challenge correctly and shows the response redacted', async () => {
    const challenge = '<1896.697170952@mx.example.test>';
    const expected = b64(`${USER} ${createHmac('md5', CANARY).update(challenge).digest('hex')}`);
    const s = await serve([
      ...hello('AUTH CRAM-MD5'),
      expect(/^AUTH CRAM-MD5$/i),
      reply(`334 ${b64(challenge)}`),
      expect(new RegExp(`^${expected.replace(/[+/=]/g, '\\$&')}$`)),
      reply('235 2.7.0 Authentication successful'),
      ...acceptMessage(),
    ]);
    const r = await runCase(s, authRequest(s, 'CRAM-MD5'));
    assertOneOutcome(r.events, { outcome: 'delivered' });
    assert.deepEqual(s.connections[0].problems, [], 'the server got the right HMAC');
    assert.ok(!commandTexts(r.events).some((t) => t.includes(expected)), 'the CRAM-MD5 response is redacted');
  });
});

describe('secrets echoed by the server are redacted too', () => {
  test('a 535 that echoes the base64 credential back leaks nothing into the events', async () => {
    const echoed = b64(`\0${USER}\0${CANARY}`);
    const s = await serve([...hello('AUTH PLAIN'), expect(/^AUTH PLAIN/), reply(`535 5.7.8 Bad credentials: ${echoed}`), ...quit()]);
    const r = await runCase(s, authRequest(s, 'PLAIN'));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'auth' });
    assertExplains(o, { dotSent: false });
  });

  test('a 535 that echoes the password in plain text leaks nothing into the events', async () => {
    const s = await serve([...hello('AUTH PLAIN'), expect(/^AUTH PLAIN/), reply(`535 5.7.8 Password ${CANARY} is wrong`), ...quit()]);
    const r = await runCase(s, authRequest(s, 'PLAIN'));
    assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'auth' });
  });
});

describe('failures are bounded', () => {
  test('535 is explained and not retried', async () => {
    const s = await serve([...hello('AUTH PLAIN LOGIN'), expect(/^AUTH PLAIN/), reply('535 5.7.8 Authentication credentials invalid'), ...quit()]);
    const r = await runCase(s, authRequest(s, 'PLAIN'));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'auth' });
    assertExplains(o, { dotSent: false, quotes: 'Authentication credentials invalid', mentions: /password|credential|user name|authenticat/i });
    assert.equal(s.connections[0].commands.filter((c) => /^AUTH/i.test(c)).length, 1, 'AUTH is tried once');
    assert.equal(s.connections.length, 1, 'no reconnect to try again');
  });

  test('endless 334 is bounded', async () => {
    const endless: HostileStep[] = [];
    for (let i = 0; i < 50; i++) endless.push(reply(`334 ${b64('Again:')}`), expect(/.*/));
    const s = await serve([...hello('AUTH LOGIN'), expect(/^AUTH LOGIN/i), ...endless]);
    const r = await runCase(s, authRequest(s, 'LOGIN'));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'auth' });
    const answered = s.connections[0].commands.length - 2; // minus EHLO and AUTH
    assert.ok(answered <= 6, `the client answered ${answered} challenges`);
    assertExplains(o, { dotSent: false });
  });
});

describe('never AUTH in plaintext by accident', () => {
  test('AUTH without TLS and without the loopback allowance is refused before AUTH', async () => {
    const s = await serve([...hello('AUTH PLAIN LOGIN'), ...quit()]);
    const req = authRequest(s, 'PLAIN', { allowPlaintextAuthOnLoopback: false });
    const early = startOnly(req);
    if (!early.result.ok) {
      // Refused before any socket opens, naming the setting at fault.
      assert.match(early.result.error.message, /TLS/);
      assert.ok(early.result.error.field);
      assert.equal(s.connections.length, 0);
      return;
    }
    await early.done();
    const r = await runCase(s, req);
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered' });
    assertExplains(o, { dotSent: false, mentions: /password was NOT sent/i });
    assert.ok(!s.connections.some((c) => c.commands.some((x) => /^AUTH/i.test(x))));
    for (const c of s.connections) assertNoSecret(c.received().toString('latin1'), CANARY, 'the bytes the server received');
  });
});
