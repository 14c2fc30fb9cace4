// The target form's Advanced section in Chromium through web mode: closed by default with a count, opened
// with the keyboard, each field checked live with the shared validator's own message (Send disabled while
// one is invalid), NOTIFY=NEVER exclusive, and a send whose address family, local address and port and DSN
// NOTIFY reach the engine: a real smtp-server peer records the client's address and port and the RCPT
// parameters. `npm run build` first. Every shot (light and dark, open and closed, 1280×800 and 1024×700) goes
// to test-results/ui/ for a look; UPDATE_SCREENSHOTS=1 also writes docs/screenshots/target-advanced-{light,dark}.png.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import { SMTPServer } from 'smtp-server';
import { validateTransportGroups } from '../../shared/validate/transport';
import { xclientProblem } from '../../shared/smtp/xclient';
import { assertAccessible } from '../support/axe';
import { findCanary, scanDirForCanary } from '../support/canary';
import { tempDirs } from '../support/temp-dirs';
import { freePort } from '../support/free-port';
import { stopAll } from '../support/stop-all';
import { startWebMode, type WebMode } from '../support/web-mode';
import { startWebUi } from '../support/web-ui';
import { assertNoPageErrors, chooseServer, chooseTls, copyLog, fillMessage, openSendPage, waitForOutcome, WAIT } from './send-page';

const ROOT = join(__dirname, '..', '..');
const tmp = tempDirs('mxdesk-advanced-');
const SHOTS = join(ROOT, 'test-results', 'ui');
/** The README's pictures; written to docs/screenshots only with UPDATE_SCREENSHOTS=1. */
const README_SHOTS = new Set(['target-advanced-light', 'target-advanced-dark']);

interface Seen {
  remoteAddress: string;
  remotePort: number;
  rcptArgs: Array<Record<string, unknown>>;
  /** The AUTH mechanism, user and bearer token the server was given. */
  auth?: { method: string; user?: string; token?: string };
}

/**
 * nodemailer's smtp-server (offers DSN): records each client's address and port, its RCPT parameters and its
 * AUTH. With `path` it listens on a UNIX socket; `lmtp` makes it an LMTP server (RFC 2033); `oauth` offers
 * only XOAUTH2 and accepts that one token.
 */
async function startPeer(o: { path?: string; lmtp?: boolean; oauth?: { user: string; token: string } } = {}): Promise<{ port: number; seen: Seen[]; stop(): Promise<void> }> {
  const seen: Seen[] = [];
  const byId = new Map<string, Seen>();
  const server = new SMTPServer({
    authOptional: !o.oauth,
    ...(o.oauth ? { authMethods: ['XOAUTH2'], allowInsecureAuth: true } : {}),
    lmtp: o.lmtp === true,
    disabledCommands: ['STARTTLS'],
    hideDSN: false,
    logger: false,
    onConnect(session, cb) {
      const s: Seen = { remoteAddress: session.remoteAddress, remotePort: session.remotePort, rcptArgs: [] };
      byId.set(session.id, s);
      seen.push(s);
      cb();
    },
    onAuth(auth, session, cb) {
      const rec = byId.get(session.id);
      if (rec) rec.auth = { method: auth.method, user: auth.username, token: auth.accessToken };
      if (o.oauth && auth.username === o.oauth.user && auth.accessToken === o.oauth.token) cb(null, { user: auth.username });
      else cb(new Error('Invalid token'));
    },
    onRcptTo(address, session, cb) {
      byId.get(session.id)?.rcptArgs.push({ ...(address.args as Record<string, unknown>) });
      cb();
    },
    onData(stream, _session, cb) {
      stream.on('data', () => undefined);
      stream.on('end', () => cb(null));
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => (o.path ? server.listen(o.path, resolve) : server.listen(0, '127.0.0.1', resolve)));
  const addr = (server as unknown as { server: import('node:net').Server }).server.address();
  return { port: typeof addr === 'object' && addr ? addr.port : 0, seen, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The message under a field, through its aria-describedby (what a screen reader reads with it). */
async function fieldError(page: Page, label: string): Promise<string> {
  const control = page.getByLabel(label, { exact: true });
  const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(' ').filter((id) => id.endsWith('-error'));
  if (ids.length === 0) return '';
  return page.locator(`[id="${ids[0]}"]`).innerText();
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  if (process.env.UPDATE_SCREENSHOTS && README_SHOTS.has(name)) await page.screenshot({ path: join(ROOT, 'docs', 'screenshots', `${name}.png`) });
}

/** Scrolls the compose column so `selector`'s top is in view, without focusing anything. */
async function showAdvanced(page: Page, selector = '.advanced'): Promise<void> {
  // In-page code as text (the test tsconfig has no DOM types); only the compose column scrolls.
  await page.evaluate(`(() => {
    const col = document.getElementById('send-compose');
    const adv = col.querySelector(${JSON.stringify(selector)});
    col.scrollTop += adv.getBoundingClientRect().top - col.getBoundingClientRect().top - 8;
  })()`);
}

describe('target form: Advanced options', () => {
  let web: WebMode;
  let browser: Browser;
  let peer: Awaited<ReturnType<typeof startPeer>>;

  before(async () => {
    peer = await startPeer();
    ({ web, browser } = await startWebUi());
  });

  after(() => stopAll(browser, web, peer));

  test('options are checked by the shared validators as typed, and a send carries -4, the local address and port, and NOTIFY', async () => {
    const p = await openSendPage(browser, web.url, { viewport: { width: 1280, height: 800 } });
    const { page } = p;
    await fillMessage(page, { from: 'ann@example.test', to: 'bob@example.test', subject: 'Advanced options', text: 'Bound to 127.0.0.2.' });
    await chooseServer(page, '127.0.0.1', peer.port);

    // Closed by default, saying that nothing is set.
    const toggle = page.getByRole('button', { name: /^Advanced/ });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.match(await toggle.innerText(), /none set/);
    assert.equal(await page.getByLabel('Local address', { exact: true }).isVisible(), false);

    // Opened with the keyboard.
    await toggle.focus();
    await page.keyboard.press('Enter');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate<string>("document.activeElement.labels[0].textContent"), 'Address family');

    // A bad local address: the field shows exactly what the shared validator (main's and the CLI's) says.
    const send = page.getByRole('button', { name: 'Send', exact: true });
    const local = page.getByLabel('Local address', { exact: true });
    await local.fill('mail.example.test');
    const expected = validateTransportGroups({ transport: { localAddress: 'mail.example.test' } }).errors['transport.localAddress'];
    assert.ok(expected, 'the shared validator refuses a host name as local address');
    assert.equal(await fieldError(page, 'Local address'), expected);
    assert.equal(await local.getAttribute('aria-invalid'), 'true');
    assert.equal(await send.isDisabled(), true, 'Send is disabled while an option is invalid');

    // A cross-field rule of the same validator: an IPv4 local address with IPv6 forced.
    const localPort = await freePort();
    await local.fill(`127.0.0.2:${localPort}`);
    await page.getByLabel('Address family', { exact: true }).selectOption({ label: 'IPv6 only (-6)' });
    const mismatch = validateTransportGroups({ transport: { family: 6, localAddress: '127.0.0.2', localPort } }).errors['transport.localAddress'];
    assert.equal(await fieldError(page, 'Local address'), mismatch);
    await page.getByLabel('Address family', { exact: true }).selectOption({ label: 'IPv4 only (-4)' });
    assert.equal(await fieldError(page, 'Local address'), '');
    assert.equal(await send.isDisabled(), false);

    // An XCLIENT row with a bad value, refused with the shared rule's message, then removed.
    await page.getByRole('button', { name: 'Add XCLIENT attribute' }).click();
    await page.getByLabel('XCLIENT attribute 1', { exact: true }).selectOption('PORT');
    const xvalue = page.getByLabel('XCLIENT PORT value', { exact: true });
    await xvalue.fill('http');
    assert.equal(await fieldError(page, 'XCLIENT PORT value'), xclientProblem('PORT', 'http'));
    assert.equal(await send.isDisabled(), true);
    await page.getByRole('button', { name: 'Remove XCLIENT PORT' }).click();

    // NOTIFY: NEVER is exclusive (RFC 3461 §4.1); then SUCCESS and FAILURE are what is sent.
    const notify = page.getByRole('group', { name: 'NOTIFY' });
    await notify.getByLabel('SUCCESS').check();
    await notify.getByLabel('NEVER').check();
    assert.equal(await notify.getByLabel('SUCCESS').isChecked(), false);
    await notify.getByLabel('SUCCESS').check();
    await notify.getByLabel('FAILURE').check();
    assert.equal(await notify.getByLabel('NEVER').isChecked(), false);

    // For the picture: a TLS name, and an XCLIENT attribute (removed again: this peer does not offer XCLIENT).
    await page.getByLabel('TLS name', { exact: true }).fill('mx.example.test');
    await page.getByRole('button', { name: 'Add XCLIENT attribute' }).click();
    await page.getByLabel('XCLIENT ADDR value', { exact: true }).fill('192.0.2.10');
    await showAdvanced(page, '.advanced-group:nth-of-type(2)');
    await shoot(page, 'target-advanced-light');
    await assertAccessible(page, 'send, Advanced open, light');
    await page.getByRole('button', { name: 'Remove XCLIENT ADDR' }).click();
    await page.getByLabel('TLS name', { exact: true }).fill('');

    // Closed again, it counts what is set: family, local address, NOTIFY.
    await toggle.click();
    assert.match(await toggle.innerText(), /IPv4 only, local address, DSN\s*3 options set/);
    await showAdvanced(page);
    await shoot(page, 'target-advanced-closed-light');

    await send.click();
    const outcome = await waitForOutcome(page);
    assert.equal(outcome.tone, 'ok', outcome.text);
    assert.equal(peer.seen.length, 1, 'one connection');
    assert.equal(peer.seen[0].remoteAddress, '127.0.0.2', 'the local address reached the engine');
    assert.equal(peer.seen[0].remotePort, localPort, 'the local port reached the engine');
    assert.equal(peer.seen[0].rcptArgs[0]?.NOTIFY, 'SUCCESS,FAILURE', 'NOTIFY went out on RCPT');
    const log = await copyLog(page);
    assert.match(log, /Forced to IPv4/, '-4 reached the engine, which says so in the log');
    assert.match(log, /RCPT TO:<bob@example\.test> NOTIFY=SUCCESS,FAILURE/);
    await assertAccessible(page, 'send, after an Advanced session, light');

    // History keeps the options with the request: Run again puts every one back in the form.
    await page.getByRole('tab', { name: 'History' }).click();
    await page.locator('#panel-history .history-item').first().click();
    await page.locator('#panel-history').getByRole('button', { name: 'Run again…' }).click();
    await page.locator('#panel-send').getByText(/Loaded from History/).waitFor(WAIT);
    assert.match(await toggle.innerText(), /3 options set/);
    await toggle.click();
    assert.equal(await page.getByLabel('Address family', { exact: true }).inputValue(), '4');
    assert.equal(await local.inputValue(), `127.0.0.2:${localPort}`);
    assert.deepEqual(
      await Promise.all(['NEVER', 'SUCCESS', 'FAILURE', 'DELAY'].map((n) => notify.getByLabel(n).isChecked())),
      [false, true, true, false],
    );
    assertNoPageErrors(p);
    await page.context().close();
  });

  test('XOAUTH2: the bearer token takes the password’s place and stays a secret; then LMTP over a UNIX socket', async () => {
    const TOKEN = 'ya29.F3-Canary-Bearer-Token-q7Zp';
    const dataDir = tmp();
    const path = join(tmp(), 'lmtp.sock');
    const oauth = await startPeer({ oauth: { user: 'ann@example.test', token: TOKEN } });
    const lmtp = await startPeer({ path, lmtp: true });
    // A web mode of its own, so its data dir can be searched for the token afterwards.
    const ownWeb = await startWebMode({ dataDir });
    try {
      const p = await openSendPage(browser, ownWeb.url);
      const { page } = p;
      await fillMessage(page, { from: 'ann@example.test', to: 'bob@example.test', subject: 'OAuth, then LMTP', text: 'Advanced.' });
      await chooseServer(page, '127.0.0.1', oauth.port);
      await chooseTls(page, 'No TLS (plain text)');
      await page.getByLabel('AUTH', { exact: true }).check();
      await page.getByLabel('User', { exact: true }).fill('ann@example.test');
      await page.getByLabel('Mechanism', { exact: true }).selectOption('XOAUTH2');
      // The token goes where the password goes: the same uncontrolled secret field, relabelled.
      assert.equal(await page.getByLabel('Password', { exact: true }).count(), 0);
      const token = page.getByLabel('Bearer token', { exact: true });
      assert.equal(await token.getAttribute('type'), 'password');
      await token.fill(TOKEN);
      await page.getByLabel('Allow AUTH without TLS to a loopback relay').check();
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      const first = await waitForOutcome(page);
      assert.equal(first.tone, 'ok', first.text);
      assert.deepEqual(oauth.seen[0]?.auth, { method: 'XOAUTH2', user: 'ann@example.test', token: TOKEN }, 'the token reached the server, as XOAUTH2');
      const log = await copyLog(page);
      assert.match(log, /AUTH XOAUTH2/);
      assert.deepEqual(findCanary(log, TOKEN), [], 'the token is not in the log');

      // The LMTP socket preset: LMTP on, AUTH off, Dovecot's socket path, which is edited to the test's own.
      await page.getByRole('button', { name: 'LMTP socket' }).click();
      assert.equal(await page.getByLabel('AUTH', { exact: true }).isChecked(), false);
      await page.getByRole('button', { name: /^Advanced/ }).click();
      assert.equal(await page.getByLabel('Protocol', { exact: true }).inputValue(), 'lmtp');
      assert.equal(await page.getByLabel('UNIX socket', { exact: true }).inputValue(), '/run/dovecot/lmtp');
      await page.getByLabel('UNIX socket', { exact: true }).fill(path);
      assert.match(await page.locator('.run-target-text').innerText(), /localhost over .*lmtp\.sock \(LMTP\)/);
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      // The first run's banner is still "delivered" for a moment: wait for this run's own log to end.
      let second = '';
      for (const until = Date.now() + WAIT.timeout; !/LHLO [\s\S]*Outcome: delivered/.test(second); ) {
        assert.ok(Date.now() < until, `the LMTP run ends delivered; its log so far:\n${second}`);
        second = await copyLog(page);
      }
      assert.equal(lmtp.seen.length, 1, 'the socket peer saw the session');

      assert.deepEqual(findCanary(p.frames.join('\n'), TOKEN), [], 'the token never came back to the page');
      assert.deepEqual(findCanary(await page.content(), TOKEN), [], 'nor into the DOM');
      assertNoPageErrors(p);
      await page.context().close();
      await ownWeb.stop();
      assert.deepEqual(scanDirForCanary(dataDir, TOKEN), [], 'nor into history or any stored file');
    } finally {
      await stopAll(ownWeb, oauth, lmtp);
    }
  });

  test('dark and narrow: the section lays out at 1024×700, open and closed', async () => {
    for (const colorScheme of ['dark', 'light'] as const) {
      for (const viewport of [{ width: 1024, height: 700 }, { width: 1280, height: 800 }]) {
        if (colorScheme === 'light' && viewport.width === 1280) continue; // taken by the test above
        const p = await openSendPage(browser, web.url, { colorScheme, viewport });
        const { page } = p;
        await chooseServer(page, '127.0.0.1', peer.port);
        const toggle = page.getByRole('button', { name: /^Advanced/ });
        await toggle.waitFor(WAIT);
        await showAdvanced(page);
        const size = `${viewport.width}x${viewport.height}`;
        await shoot(page, `target-advanced-closed-${colorScheme}-${size}`);
        await toggle.click();
        await page.getByLabel('TLS name', { exact: true }).fill('mx.example.test');
        await page.getByLabel('Protocol', { exact: true }).selectOption({ label: 'LMTP (LHLO, RFC 2033)' });
        await page.getByLabel('Minimum TLS version', { exact: true }).selectOption({ label: 'TLS 1.3' });
        await page.getByLabel('Maximum TLS version', { exact: true }).selectOption({ label: 'TLS 1.2' });
        // The shared rule: the maximum is below the minimum.
        assert.match(await fieldError(page, 'Maximum TLS version'), /below the minimum/);
        await showAdvanced(page);
        await shoot(page, `target-advanced-${colorScheme}-${size}`);
        if (colorScheme === 'dark' && viewport.width === 1280) await shoot(page, 'target-advanced-dark');
        await assertAccessible(page, `send, Advanced open with an error, ${colorScheme}, ${size}`);
        assertNoPageErrors(p);
        await page.context().close();
      }
    }
  });
});
