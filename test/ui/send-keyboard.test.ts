// A whole send without the mouse: reach the Send tab, fill the form, hear a field error, fix it, send with
// Ctrl+Enter, then read and copy log rows with the arrow keys. Against a private Postfix, in web mode.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import { postfixAvailable, startPostfix } from '../support/postfix';
import type { PostfixInstance } from '../support/postfix';
import { stopAll } from '../support/stop-all';
import type { WebMode } from '../support/web-mode';
import { startWebUi } from '../support/web-ui';
import { assertNoPageErrors, waitForOutcome, waitForTruthy, WAIT } from './send-page';

const skip = postfixAvailable().ok ? false : postfixAvailable().reason;

/** The focused element's accessible label (its <label>, aria-label, or text), in the page. */
const FOCUSED_NAME = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return '';
  const label = el.labels && el.labels[0] ? el.labels[0].textContent : '';
  return (label || el.getAttribute('aria-label') || el.textContent || '').trim();
})()`;

async function focusedName(page: Page): Promise<string> {
  return page.evaluate<string>(FOCUSED_NAME);
}

/** Presses Tab until the focused element's name matches (keyboard only: no clicks, no .focus()). */
async function tabTo(page: Page, name: RegExp, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (name.test(await focusedName(page))) return;
  }
  throw new Error(`Tab never reached ${name}; last focus: ${await focusedName(page)}`);
}

describe('sending window: keyboard only', { skip }, () => {
  let postfix: PostfixInstance;
  let web: WebMode;
  let browser: Browser;

  before(async () => {
    postfix = await startPostfix();
    ({ web, browser } = await startWebUi());
  });

  after(() => stopAll(browser, web, postfix));

  test('a whole send with the keyboard, with the form error announced to assistive technology', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(web.url).origin });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(web.url);
    await page.getByRole('tab', { name: 'MX inspector' }).waitFor(WAIT);

    // The feature tabs: Tab reaches the selected one, the arrow key selects Send.
    await tabTo(page, /MX inspector/);
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.getByRole('tab', { name: 'Send' }).getAttribute('aria-selected'), 'true');

    await tabTo(page, /^From$/);
    await page.keyboard.type('ann@');
    const from = page.getByLabel('From', { exact: true });
    await waitForTruthy(page, "document.activeElement && document.activeElement.getAttribute('aria-invalid') === 'true'");
    // The error sits next to the field, is tied to it, and is read out by the polite live region.
    const describedBy = (await from.getAttribute('aria-describedby')) ?? '';
    const errorText = await page.evaluate<string>(`document.getElementById(${JSON.stringify(describedBy.split(' ')[0])}).textContent`);
    assert.match(errorText, /domain/i, `the error says what is wrong: ${errorText}`);
    const announcer = page.locator('#panel-send').getByTestId('form-announcer');
    assert.equal(await announcer.getAttribute('aria-live'), 'polite');
    await waitForTruthy(page, `document.querySelector('#panel-send [data-testid="form-announcer"]').textContent.startsWith('From: ')`);

    await page.keyboard.type('example.test');
    assert.equal(await from.getAttribute('aria-invalid'), 'false');
    await tabTo(page, /^To$/);
    await page.keyboard.type('sink@example.test');
    await tabTo(page, /^Subject$/);
    await page.keyboard.type('Keyboard only');
    await tabTo(page, /^Text body$/);
    await page.keyboard.type('Sent without a mouse.');

    // Tab enters a radio group at its checked radio; the arrow key moves and checks.
    await tabTo(page, /Direct to MX/);
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.getByLabel('A specific server').isChecked(), true);
    await tabTo(page, /^Server$/);
    await page.keyboard.type('127.0.0.1');
    await tabTo(page, /^Port$/);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(String(postfix.port));

    await page.keyboard.press('Control+Enter');
    const outcome = await waitForOutcome(page);
    assert.equal(outcome.tone, 'ok', outcome.text);
    assert.equal((await postfix.readDelivered()).length, 1);

    // Into the log: End, up twice with Shift, Ctrl+C copies the two rows.
    await tabTo(page, /^Session log, \d+ rows/);
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+ArrowUp');
    await page.keyboard.press('Control+C');
    await page.getByText('Copied 2 rows.').waitFor({ state: 'attached', ...WAIT });
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    assert.match(copied, /Outcome: delivered/);
    assert.deepEqual(errors, []);
    assertNoPageErrors({ page, errors, frames: [] });
    await context.close();
  });
});
