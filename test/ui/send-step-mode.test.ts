// Step mode against a private Postfix: the suggested EHLO is edited before it is sent, a VRFY is slipped in,
// then "Run to end" finishes the delivery. Web mode, Debian's Chromium, the real engine.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright';
import { postfixAvailable, startPostfix } from '../support/postfix';
import type { PostfixInstance } from '../support/postfix';
import { stopAll } from '../support/stop-all';
import type { WebMode } from '../support/web-mode';
import { startWebUi } from '../support/web-ui';
import { assertNoPageErrors, chooseServer, copyLog, fillMessage, openSendPage, waitForOutcome, waitForTruthy, WAIT } from './send-page';

const skip = postfixAvailable().ok ? false : postfixAvailable().reason;

describe('sending window: step mode', { skip }, () => {
  let postfix: PostfixInstance;
  let web: WebMode;
  let browser: Browser;

  before(async () => {
    postfix = await startPostfix();
    ({ web, browser } = await startWebUi());
  });

  after(() => stopAll(browser, web, postfix));

  test('an edited EHLO and a VRFY go out as typed, and the rest runs to the end', async () => {
    const p = await openSendPage(browser, web.url);
    const { page } = p;
    await fillMessage(page, { from: 'ann@example.test', to: 'sink@example.test', subject: 'Step mode', text: 'Sent one command at a time.' });
    await chooseServer(page, '127.0.0.1', postfix.port);
    await page.getByRole('button', { name: 'Step', exact: true }).click();

    const command = page.getByRole('textbox', { name: 'Next command' });
    await command.waitFor(WAIT);
    assert.match(await command.inputValue(), /^EHLO /, 'the first suggestion is EHLO');
    await command.fill('EHLO edited.example.test');
    await command.press('Enter');

    // The next prompt: slip a VRFY in before the envelope.
    await page.locator('.log-row', { hasText: 'edited.example.test' }).first().waitFor(WAIT);
    await waitForTruthy(page, "(() => { const i = document.querySelector('#step-command'); return i !== null && !/^EHLO/.test(i.value); })()");
    await page.getByRole('button', { name: 'VRFY…' }).click();
    assert.equal(await command.inputValue(), 'VRFY sink@example.test');
    await command.press('Enter');
    await page.locator('.log-row', { hasText: 'VRFY sink@example.test' }).first().waitFor(WAIT);

    // Postfix answers VRFY with 252 (RFC 5321 §3.5.3): the reply row carries its code.
    await page.locator('.log-row.dir-server .code-badge', { hasText: '252' }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Run to end' }).click();

    const outcome = await waitForOutcome(page);
    assert.equal(outcome.tone, 'ok', outcome.text);
    const log = await copyLog(page);
    assert.match(log, /> EHLO edited\.example\.test/);
    assert.match(log, /> VRFY sink@example\.test/);
    assert.match(log, /< 252 /);
    assert.ok(log.indexOf('> VRFY') < log.indexOf('> MAIL FROM'), 'VRFY went before the envelope');
    const delivered = await postfix.readDelivered();
    assert.equal(delivered.length, 1);
    assertNoPageErrors(p);
    await page.context().close();
  });
});
