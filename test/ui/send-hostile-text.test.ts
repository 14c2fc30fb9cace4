// A hostile server's text in the sending window: ANSI escapes, bidi overrides and markup in the greeting,
// the EHLO reply and the final reply are shown inert: escaped (`\x1b`, `\u202e`), never interpreted, and no
// element or script of the server's making ever exists in the page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright';
import { expect as expectLine, expectData, reply, startHostileServer } from '../support/hostile-server';
import type { HostileServer } from '../support/hostile-server';
import { ehloReply, quit } from '../support/smtp-script';
import { stopAll } from '../support/stop-all';
import type { WebMode } from '../support/web-mode';
import { startWebUi } from '../support/web-ui';
import { assertNoPageErrors, chooseServer, chooseTls, copyLog, fillMessage, openSendPage, waitForOutcome, WAIT } from './send-page';

const GREETING = '220 mx.example.test ESMTP \u001b[31mRED\u001b[0m \u202eevil\u202c <img src=x onerror="window.__pwned=1">';

describe('sending window: hostile server text', () => {
  let server: HostileServer;
  let web: WebMode;
  let browser: Browser;

  before(async () => {
    server = await startHostileServer([
      reply(GREETING),
      expectLine(/^EHLO /i),
      ehloReply('8BITMIME', '<script>window.__pwned=2</script>', 'X-\u2066ISOLATE\u2069-\u0007BEL'),
      expectLine(/^MAIL FROM:/i),
      reply('250 2.1.0 \u001b]0;title\u0007 Ok'),
      expectLine(/^RCPT TO:/i),
      reply('250 2.1.5 <b onmouseover="window.__pwned=3">bold</b>'),
      expectLine(/^DATA$/i),
      reply('354 go ahead'),
      expectData(),
      reply('250 2.0.0 Ok: queued as HOSTILE1 \u202edesrever\u202c'),
      ...quit(),
    ]);
    ({ web, browser } = await startWebUi());
  });

  after(() => stopAll(browser, web, server));

  test('ANSI escapes, bidi overrides and markup from the server are rendered inert', async () => {
    const p = await openSendPage(browser, web.url);
    const { page } = p;
    await fillMessage(page, { from: 'ann@example.test', to: 'bob@example.test', subject: 'Hostile', text: 'Hello.' });
    await chooseServer(page, server.host, server.port);
    await chooseTls(page, 'No TLS (plain text)');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await waitForOutcome(page);
    await page.getByRole('button', { name: 'Hide the form' }).click();
    await page.locator('.log-scroll').focus();
    await page.keyboard.press('Home');
    const greeting = page.locator('.log-row', { hasText: 'ESMTP' }).first();
    await greeting.waitFor(WAIT);

    // Shown as visible escapes, with the markup as plain text.
    const text = await greeting.innerText();
    assert.ok(text.includes('\\x1b[31mRED\\x1b[0m'), text);
    assert.ok(text.includes('\\u202eevil\\u202c'), text);
    assert.ok(text.includes('<img src=x onerror="window.__pwned=1">'), text);

    // Nothing of the server's making became an element, ran, or reached the page as a raw control character.
    const state = await page.evaluate<{ pwned: unknown; elements: number; raw: boolean }>(
      "({ pwned: window.__pwned, elements: document.querySelectorAll('img, script:not([src]), b[onmouseover], [onerror]').length, raw: /[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f\\u202a-\\u202e\\u2066-\\u2069]/.test(document.body.innerText) })",
    );
    assert.deepEqual(state, { pwned: undefined, elements: 0, raw: false });
    const log = await copyLog(page);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(log, /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/, 'the copied log has no raw control characters');
    assert.match(log, /\\x07BEL/);
    assertNoPageErrors(p);
    await page.context().close();
  });
});
