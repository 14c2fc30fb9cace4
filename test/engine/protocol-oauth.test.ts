// XOAUTH2 and OAUTHBEARER (RFC 7628): the bearer token goes as the SASL initial response (RFC 4954 §4) and
// is a secret: shown redacted where the command is built, and absent from every event, the history journal
// and every export, in any encoding (a canary). XOAUTH2 against nodemailer's smtp-server (a real
// implementation, success and its error challenge); OAUTHBEARER against scripted servers for the RFC 7628
// §3.2.3 error challenge and for a server that ignores the initial response and asks with an empty 334.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { createStoreMethods } from '../../electron/host/store-methods';
import { createJournalSink } from '../../electron/store/journal';
import type { AuthMechanism, SessionRequest } from '../../shared/model';
import { MAX_AUTH_LINE, MAX_BEARER_TOKEN, oauthStart } from '../../shared/smtp/oauth';
import { parseSessionRequest } from '../../shared/validate/session-request';
import { findCanary, scanDirForCanary } from '../support/canary';
import { expect, reply, startHostileServer, type HostileServer } from '../support/hostile-server';
import { hostRequest, runCase } from '../support/session-case';
import { acceptMessage, hello, quit } from '../support/smtp-script';
import { memorySecrets, value } from '../support/store-fixtures';
import { tempDirs } from '../support/temp-dirs';

const TOKEN = 'ya29.Canary-tok_7Qx9z~Zq';
const USER = 'alice@example.test';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const tempDir = tempDirs('mxdesk-oauth-');

function oauthRequest(port: number, mechanism: AuthMechanism, token = TOKEN): SessionRequest {
  return hostRequest({ host: '127.0.0.1', port }, { request: { tls: 'none', allowPlaintextAuthOnLoopback: true, auth: { user: USER, password: token, mechanism } } });
}

describe('XOAUTH2 against smtp-server', () => {
  let server: SMTPServer;
  let port = 0;
  const seen: { method: string; user?: string; token?: string }[] = [];
  before(async () => {
    server = new SMTPServer({
      name: 'mx.example.test',
      authMethods: ['PLAIN', 'XOAUTH2'],
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, cb) {
        seen.push({ method: auth.method, user: auth.username, token: auth.accessToken });
        if (auth.method === 'XOAUTH2' && auth.accessToken === TOKEN) return cb(null, { user: auth.username });
        // smtp-server's error challenge: a 334 with base64 JSON, then 535 after the client's empty line.
        cb(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.example.test/' } });
      },
      onData(stream, _session, cb) {
        stream.resume();
        stream.on('end', () => cb());
      },
    });
    server.on('error', () => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const a = server.server.address();
    port = typeof a === 'object' && a ? a.port : 0;
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  test('sends the token as the initial response, shown redacted; smtp-server reads user and token from it', async () => {
    seen.length = 0;
    const r = await runCase(undefined, oauthRequest(port, 'XOAUTH2'), { secret: TOKEN, deadlineMs: 5000 });
    assert.equal(r.outcome.outcome, 'delivered', r.outcome.reason);
    assert.ok(r.commands.includes('AUTH XOAUTH2 ‹redacted›'), r.commands.join('\n'));
    assert.deepEqual(seen, [{ method: 'XOAUTH2', user: USER, token: TOKEN }]);
  });

  test('a JWT-sized token (4 KB) goes as the initial response on one AUTH line (RFC 4954 §4 allows 12288 octets)', async () => {
    seen.length = 0;
    const jwt = `eyJhbGciOiJSUzI1NiJ9.${'A'.repeat(4000)}.sig-${TOKEN}`;
    const r = await runCase(undefined, oauthRequest(port, 'XOAUTH2', jwt), { secret: jwt, deadlineMs: 5000 });
    assert.equal(seen[0]?.token, jwt);
    // smtp-server accepts only TOKEN; what matters is that the long token arrived whole, in one line.
    assert.equal(r.outcome.stage, 'auth');
    assert.ok(r.commands.includes('AUTH XOAUTH2 ‹redacted›'));
  });

  test('a refused token: the error challenge is acknowledged with an empty line, then 535 ends it, not retried', async () => {
    seen.length = 0;
    const r = await runCase(undefined, oauthRequest(port, 'XOAUTH2', 'ya29.wrong-token'), { secret: 'ya29.wrong-token', deadlineMs: 5000 });
    assert.equal(r.outcome.outcome, 'not_delivered');
    assert.equal(r.outcome.stage, 'auth');
    assert.match(r.outcome.reason, /535/);
    assert.match(r.outcome.reason, /Not retried/);
    assert.equal(seen.length, 1, 'one attempt only');
    assert.ok(r.commands.some((c) => /^\(empty line: acknowledges the error\); the server's error status: 401$/.test(c)), r.commands.join('\n'));
    assert.ok(!r.commands.some((c) => /^MAIL/.test(c)));
  });
});

describe('OAUTHBEARER (RFC 7628) against scripted servers', () => {
  let s: HostileServer | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  test('the initial response is the GS2 header and the bearer token; accepted with 235', async () => {
    s = await startHostileServer([...hello('AUTH OAUTHBEARER XOAUTH2'), expect(/^AUTH OAUTHBEARER \S+$/), reply('235 2.7.0 Accepted'), ...acceptMessage()]);
    const r = await runCase(s, oauthRequest(s.port, 'OAUTHBEARER'), { secret: TOKEN, deadlineMs: 5000 });
    assert.equal(r.outcome.outcome, 'delivered', r.outcome.reason);
    assert.ok(r.commands.includes('AUTH OAUTHBEARER ‹redacted›'));
    const line = s.connections[0].commands.find((c) => c.startsWith('AUTH OAUTHBEARER')) ?? '';
    // RFC 7628 §3.1: gs2-header "n,a=<authzid>," then kvpairs separated by ^A, ending ^A^A.
    assert.equal(Buffer.from(line.split(' ')[2], 'base64').toString('utf8'), `n,a=${USER},\x01auth=Bearer ${TOKEN}\x01\x01`);
  });

  test('the error challenge (334 with a JSON status) is answered with ^A and the 535 is reported', async () => {
    const status = b64(JSON.stringify({ status: 'invalid_token', scope: 'mail', 'openid-configuration': 'https://idp.example.test/.well-known/openid-configuration' }));
    s = await startHostileServer([...hello('AUTH OAUTHBEARER'), expect(/^AUTH OAUTHBEARER \S+$/), reply(`334 ${status}`), expect(/^AQ==$/), reply('535 5.7.8 Authentication credentials invalid'), ...quit()]);
    const r = await runCase(s, oauthRequest(s.port, 'OAUTHBEARER'), { secret: TOKEN, deadlineMs: 5000 });
    assert.equal(r.outcome.outcome, 'not_delivered');
    assert.equal(r.outcome.stage, 'auth');
    assert.match(r.outcome.reason, /535 5\.7\.8/);
    assert.ok(r.commands.includes("AQ== (^A: acknowledges the error); the server's error status: invalid_token"), r.commands.join('\n'));
    assert.deepEqual(s.connections[0].problems, []);
  });

  test('a server that ignores the initial response and sends an empty 334 gets the payload again', async () => {
    const payload = b64(`n,a=${USER},\x01auth=Bearer ${TOKEN}\x01\x01`);
    s = await startHostileServer([...hello('AUTH OAUTHBEARER'), expect(/^AUTH OAUTHBEARER \S+$/), reply('334 '), expect(new RegExp(`^${payload.replace(/[+/=]/g, '\\$&')}$`)), reply('235 2.7.0 Accepted'), ...acceptMessage()]);
    const r = await runCase(s, oauthRequest(s.port, 'OAUTHBEARER'), { secret: TOKEN, deadlineMs: 5000 });
    assert.equal(r.outcome.outcome, 'delivered', r.outcome.reason);
    assert.deepEqual(s.connections[0].problems, []);
  });

  test('a server that echoes the token back in its refusal has it redacted from every event', async () => {
    s = await startHostileServer([...hello('AUTH OAUTHBEARER'), expect(/^AUTH OAUTHBEARER \S+$/), reply(`535 5.7.8 token ${TOKEN} expired`), ...quit()]);
    const r = await runCase(s, oauthRequest(s.port, 'OAUTHBEARER'), { secret: TOKEN, deadlineMs: 5000 });
    assert.equal(r.outcome.outcome, 'not_delivered');
    assert.match(r.outcome.reason, /535 5\.7\.8 token ‹redacted› expired/);
  });

  test('the longest token and user accepted still fit one AUTH line with the initial response (RFC 4954 §4: 12288)', async () => {
    const long = `t${'x'.repeat(MAX_BEARER_TOKEN - 1)}`;
    const user = `${'u'.repeat(490)}@example.test`;
    s = await startHostileServer([...hello('AUTH XOAUTH2'), expect(/^AUTH XOAUTH2 [A-Za-z0-9+/=]{11000,}$/), reply('235 2.7.0 Accepted'), ...acceptMessage()]);
    const req = oauthRequest(s.port, 'XOAUTH2', long);
    req.auth = { ...req.auth!, user };
    const r = await runCase(s, req, { secret: long, deadlineMs: 5000 });
    assert.equal(r.outcome.outcome, 'delivered', r.outcome.reason);
    const line = s.connections[0].commands.find((c) => c.startsWith('AUTH')) ?? '';
    assert.ok(line.length <= MAX_AUTH_LINE, `${line.length} octets`);
    assert.equal(Buffer.from(line.split(' ')[2], 'base64').toString('utf8'), `user=${user}\x01auth=Bearer ${long}\x01\x01`);
    // One more character is refused before anything is sent.
    assert.match(JSON.stringify(parseSessionRequest(oauthRequest(1, 'XOAUTH2', `${long}x`))), /too long/);
  });

  test('a line that would still be too long goes without the initial response (the 334 then gets the payload)', () => {
    const start = oauthStart('OAUTHBEARER', USER, 'x'.repeat(10_000));
    assert.ok(start.ok);
    assert.equal(start.value.wire, 'AUTH OAUTHBEARER\r\n');
  });

  test('--auth-mechanism picks one: XOAUTH2 asked, only OAUTHBEARER offered, stops before AUTH', async () => {
    s = await startHostileServer([...hello('AUTH OAUTHBEARER PLAIN'), ...quit()]);
    const r = await runCase(s, oauthRequest(s.port, 'XOAUTH2'), { secret: TOKEN, deadlineMs: 5000 });
    assert.equal(r.outcome.outcome, 'not_delivered');
    assert.match(r.outcome.reason, /offers AUTH OAUTHBEARER PLAIN, not XOAUTH2\. Your bearer token was NOT sent\./);
    assert.ok(!r.commands.some((c) => /^AUTH/.test(c)));
  });

  test('a token that is not an RFC 6750 bearer token is refused before any connection, without quoting it', () => {
    const bad = 'has space-Canary';
    const r = parseSessionRequest(oauthRequest(1, 'OAUTHBEARER', bad));
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.error.field, 'auth.password');
      assert.match(r.error.message, /RFC 6750/);
      assert.ok(!r.error.message.includes(bad));
    }
  });

  test('the token never reaches the history journal or any export (canary, every encoding)', async () => {
    s = await startHostileServer([...hello('AUTH OAUTHBEARER'), expect(/^AUTH OAUTHBEARER \S+$/), reply('235 2.7.0 Accepted'), ...acceptMessage()]);
    const req = oauthRequest(s.port, 'OAUTHBEARER');
    const r = await runCase(s, req, { secret: TOKEN, deadlineMs: 5000 });
    assert.equal(r.outcome.outcome, 'delivered');
    const dir = tempDir();
    const sink = createJournalSink(dir);
    const id = r.events[0].sessionId;
    sink.begin(id, req);
    for (const e of r.events) sink.onEvent(e);
    const api = createStoreMethods({ dataDir: dir, secrets: memorySecrets(), journal: sink });
    const [entry] = value(await api.listHistory({}));
    assert.ok(entry, 'the session is in the history');
    for (const format of ['text', 'json', 'eml', 'swaks', 'curl', 'openssl'] as const) {
      const file = value(await api.exportSession({ id: entry.id, format }));
      assert.deepEqual(findCanary(file.content, TOKEN), [], format);
    }
    const curl = value(await api.exportSession({ id: entry.id, format: 'curl' })).content;
    assert.match(curl, /--oauth2-bearer "\$MXDESK_OAUTH_TOKEN"/);
    assert.match(curl, /--sasl-ir/);
    assert.deepEqual(scanDirForCanary(dir, TOKEN), []);
  });
});
