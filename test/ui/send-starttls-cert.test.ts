// STARTTLS against a private Postfix with a self-signed certificate: verification fails and the page shows
// the certificate with its SHA-256 fingerprint; "Trust it for one run" sends again and it is delivered,
// while the form keeps verifying for the next run (RELIABILITY "TLS": an override applies to one run).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright';
import { postfixAvailable, startPostfix } from '../support/postfix';
import type { PostfixInstance } from '../support/postfix';
import { stopAll } from '../support/stop-all';
import type { WebMode } from '../support/web-mode';
import { startWebUi } from '../support/web-ui';
import { assertNoPageErrors, chooseServer, chooseTls, copyLog, fillMessage, openSendPage, waitForOutcome, WAIT } from './send-page';

const skip = postfixAvailable().ok ? false : postfixAvailable().reason;
const hex = (fp: string) => fp.replace(/[^0-9a-f]/gi, '').toUpperCase();

describe('sending window: self-signed STARTTLS certificate', { skip }, () => {
  let postfix: PostfixInstance;
  let web: WebMode;
  let browser: Browser;

  before(async () => {
    postfix = await startPostfix({ tls: true });
    ({ web, browser } = await startWebUi());
  });

  after(() => stopAll(browser, web, postfix));

  test('shows the failed certificate with its fingerprint, then delivers after a one-run override', async () => {
    const p = await openSendPage(browser, web.url);
    const { page } = p;
    await fillMessage(page, { from: 'ann@example.test', to: 'sink@example.test', subject: 'STARTTLS', text: 'Over TLS.' });
    await chooseServer(page, '127.0.0.1', postfix.port);
    await chooseTls(page, 'STARTTLS required');
    assert.equal(await page.getByLabel('Certificate', { exact: true }).inputValue(), 'verify');
    await page.getByRole('button', { name: 'Send', exact: true }).click();

    const failed = await waitForOutcome(page);
    assert.equal(failed.tone, 'error', failed.text);
    const panel = page.getByRole('region', { name: 'Server certificate' });
    await panel.waitFor(WAIT);
    const shown = await panel.innerText();
    assert.match(shown, /could not be verified/);
    assert.ok(hex(shown).includes(hex(postfix.fingerprint256 ?? 'missing')), `the fingerprint ${postfix.fingerprint256} is shown:\n${shown}`);
    assert.equal((await postfix.readDelivered({ count: 1, timeoutMs: 300 })).length, 0, 'nothing was delivered');

    await panel.getByRole('button', { name: 'Trust it for one run and send again' }).click();
    await page.locator('.outcome-banner[data-tone="ok"]').waitFor(WAIT);
    const log = await copyLog(page);
    assert.match(log, /accepted for this run only/);
    assert.equal((await postfix.readDelivered()).length, 1);
    // The override was for that run only: the form still says verify.
    assert.equal(await page.getByLabel('Certificate', { exact: true }).inputValue(), 'verify');
    assertNoPageErrors(p);
    await page.context().close();
  });
});
