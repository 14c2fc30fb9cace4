// AUTH against nodemailer's smtp-server from the sending window. The password is a canary: it must never
// appear in the page's DOM, in the session log, or in any WebSocket frame the page received, in plain text,
// base64 at every offset, hex or URL encoding (RELIABILITY invariant S).
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright';
import { SMTPServer } from 'smtp-server';
import { assertNoSecret } from '../support/invariants';
import { stopAll } from '../support/stop-all';
import type { WebMode } from '../support/web-mode';
import { startWebUi } from '../support/web-ui';
import { assertNoPageErrors, copyLog, openSendPage, sendWithPlaintextAuth, waitForOutcome } from './send-page';

const USER = 'ann';
const CANARY = 'Canary-pw-7Qx!z9-ui';

describe('sending window: AUTH with a password that never comes back', () => {
  let server: SMTPServer;
  let port: number;
  let web: WebMode;
  let browser: Browser;
  const logins: string[] = [];
  const messages: Buffer[] = [];

  before(async () => {
    server = new SMTPServer({
      authMethods: ['PLAIN', 'LOGIN'],
      // Plain text on loopback, allowed explicitly in the form; no STARTTLS so nothing else can be chosen.
      allowInsecureAuth: true,
      hideSTARTTLS: true,
      logger: false,
      onAuth(auth, _session, cb) {
        logins.push(`${auth.method} ${auth.username}`);
        if (auth.username === USER && auth.password === CANARY) cb(null, { user: USER });
        else cb(new Error('Invalid username or password'));
      },
      onData(stream, _session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          messages.push(Buffer.concat(chunks));
          cb(null, 'queued as AUTHUI1');
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
    ({ web, browser } = await startWebUi());
  });

  after(async () => {
    await stopAll(browser, web);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('logs in and delivers, and the password is in no DOM, log or frame the page received', async () => {
    const p = await openSendPage(browser, web.url);
    const { page } = p;
    await sendWithPlaintextAuth(page, { subject: 'AUTH', port, user: USER, password: CANARY });

    const outcome = await waitForOutcome(page);
    assert.equal(outcome.tone, 'ok', outcome.text);
    assert.equal(logins.length, 1, `one login: ${logins.join(', ')}`);
    assert.equal(messages.length, 1);

    const log = await copyLog(page);
    assert.match(log, /AUTH \w+/, 'the AUTH command is in the log');
    assert.match(log, /‹redacted›/, 'with its secret redacted');
    assertNoSecret(log, CANARY, 'the copied session log');
    assertNoSecret(await page.content(), CANARY, 'the page DOM');
    assertNoSecret(await page.locator('body').innerText(), CANARY, 'the page text');
    assert.ok(p.frames.length > 0, 'frames were recorded');
    assertNoSecret(p.frames.join('\n'), CANARY, 'the WebSocket frames the page received');
    // The field keeps its value for the next run but never writes it into an attribute.
    assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('value'), null);
    assertNoPageErrors(p);
    await page.context().close();
  });
});
