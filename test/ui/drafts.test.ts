// Draft autosave in web mode: what is typed in the compose form is on disk within about a second, survives
// a reload, and survives leaving the page before the autosave delay has passed. Needs `npm run build`.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import { dataPaths } from '../../electron/store/data-dir';
import { stopAll } from '../support/stop-all';
import { tempDirs } from '../support/temp-dirs';
import type { WebMode } from '../support/web-mode';
import { startWebUi } from '../support/web-ui';
import { assertNoPageErrors, fillMessage, openSendPage, WAIT } from './send-page';

const SAVED = /^Draft saved \d{2}:\d{2}:\d{2}$/;
const tempDir = tempDirs('mxdesk-drafts-ui-');

describe('draft autosave (web mode, Chromium)', () => {
  let dataDir: string;
  let web: WebMode;
  let browser: Browser;

  before(async () => {
    dataDir = tempDir();
    ({ web, browser } = await startWebUi({ dataDir }));
  });

  after(() => stopAll(browser, web));

  const status = (page: Page) => page.getByTestId('draft-status');
  const storedDraft = (): Record<string, unknown> => {
    const file = dataPaths(dataDir).draft;
    assert.ok(existsSync(file), `the draft file ${file} exists`);
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    // The store may wrap the draft with metadata; find it either way.
    return (typeof parsed.draft === 'object' && parsed.draft !== null ? parsed.draft : parsed) as Record<string, unknown>;
  };

  /** Waits until the loaded draft is in the form (React mirrors a text input's value into its attribute). */
  async function subjectIs(page: Page, subject: string): Promise<void> {
    await page.locator(`#panel-send input[value="${subject}"]`).waitFor(WAIT);
  }

  async function backOnSend(page: Page): Promise<void> {
    await page.getByRole('tab', { name: 'Send' }).click();
    await page.getByLabel('From', { exact: true }).waitFor(WAIT);
  }

  test('a typed draft is saved within about a second and is back after a reload', async () => {
    const p = await openSendPage(browser, web.url);
    const { page } = p;
    await fillMessage(page, { from: 'Ann Example <ann@example.test>', to: 'bob@example.test, carol@example.test', subject: 'Draft that must survive', text: 'Line one\n.\nLine three' });
    const typedAt = Date.now();
    // Locators, not waitForFunction: the page's CSP forbids evaluating strings.
    await status(page).filter({ hasText: SAVED }).waitFor(WAIT);
    const took = Date.now() - typedAt;
    // The rule is "within about a second of the last edit" (700 ms delay + the write); 2 s leaves slack for CI.
    assert.ok(took < 2000, `saved ${took} ms after the last edit`);
    assert.equal(storedDraft().subject, 'Draft that must survive');

    await page.reload();
    await backOnSend(page);
    await page.getByLabel('Subject', { exact: true }).waitFor(WAIT);
    await subjectIs(page, 'Draft that must survive');
    assert.equal(await page.getByLabel('From', { exact: true }).inputValue(), 'Ann Example <ann@example.test>');
    assert.equal(await page.getByLabel('To', { exact: true }).inputValue(), 'bob@example.test, carol@example.test');
    assert.equal(await page.getByLabel('Text body', { exact: true }).inputValue(), 'Line one\n.\nLine three');
    assert.match((await status(page).innerText()).trim(), SAVED);
    assertNoPageErrors(p);
    await page.context().close();
  });

  test('leaving the page right after an edit still keeps it (saved on pagehide, not only after the delay)', async () => {
    const p = await openSendPage(browser, web.url);
    const { page } = p;
    await subjectIs(page, 'Draft that must survive');
    await page.getByLabel('Subject', { exact: true }).fill('Edited just before closing');
    // No wait for the autosave: close at once, as a user closing the tab would.
    await page.close({ runBeforeUnload: true });
    await p.page.context().close();

    const again = await openSendPage(browser, web.url);
    await subjectIs(again.page, 'Edited just before closing');
    assert.equal(storedDraft().subject, 'Edited just before closing');
    assertNoPageErrors(again);
    await again.page.context().close();
  });
});
