// The sending window end to end: Direct to MX for fallback.test, whose best MX (down.fallback.test,
// 127.0.0.3) refuses and whose second (up.fallback.test, 127.0.0.1) is a private Postfix. Web mode, Debian's
// Chromium, the real engine. Needs `npm run build` first (scripts/test.mjs does it).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright';
import { assertAccessible } from '../support/axe';
import { startDnsmasq, TEST_ZONE } from '../support/dnsmasq';
import type { Dnsmasq } from '../support/dnsmasq';
import { postfixAvailable, startPostfix, stripDeliveryHeaders } from '../support/postfix';
import type { PostfixInstance } from '../support/postfix';
import { stopAll } from '../support/stop-all';
import type { WebMode } from '../support/web-mode';
import { startWebUi } from '../support/web-ui';
import { assertNoPageErrors, copyLog, openSendPage, waitForOutcome, WAIT } from './send-page';

const skip = postfixAvailable().ok ? false : postfixAvailable().reason;

// Dot traps: a lone dot, a double dot, a dot-led word, and a last line without a line end.
const RAW = [
  'From: Ann Example <ann@example.test>',
  'To: Sink <sink@fallback.test>',
  'Subject: MX fallback from the sending window',
  'Date: Mon, 02 Jun 2025 10:00:00 +0000',
  'Message-ID: <fallback-ui@mxdesk.test>',
  '',
  'First line.',
  '.',
  '..',
  '.leading dot',
  'last line without a line end',
].join('\n');

describe('sending window: MX fallback to a private Postfix', { skip }, () => {
  let dns: Dnsmasq;
  let postfix: PostfixInstance;
  let web: WebMode;
  let browser: Browser;

  before(async () => {
    dns = await startDnsmasq(TEST_ZONE);
    postfix = await startPostfix();
    ({ web, browser } = await startWebUi({ dns: dns.server }));
  });

  after(() => stopAll(browser, web, postfix, dns));

  test('falls back from the refusing best MX to the second, and the maildir holds the form byte for byte', async () => {
    const p = await openSendPage(browser, web.url);
    const { page } = p;
    await page.getByLabel(/^Raw mode/).check();
    await page.getByLabel(/^Raw message/).fill(RAW);
    await page.getByLabel('MAIL FROM', { exact: true }).fill('ann@example.test');
    await page.getByLabel('RCPT TO', { exact: true }).fill('sink@fallback.test');
    // Direct to MX is the default target: the MX set of fallback.test appears, best first.
    const mx = page.locator('.mx-target');
    await mx.getByText('down.fallback.test', { exact: true }).waitFor(WAIT);
    assert.match(await mx.innerText(), /Tried first:\s*down\.fallback\.test \[127\.0\.0\.3\]/);
    await page.getByRole('textbox', { name: 'Port', exact: true }).fill(String(postfix.port));
    await page.getByRole('button', { name: 'Send', exact: true }).click();

    const outcome = await waitForOutcome(page);
    assert.equal(outcome.tone, 'ok', outcome.text);
    assert.match(outcome.text, /Delivered, queue id [0-9A-Za-z]+/);

    // Fallback is visible: both attempts, the first left with its reason, the second connected.
    const attempts = page.locator('.attempt-table');
    await attempts.waitFor(WAIT);
    const rows = await attempts.locator('tbody tr').allInnerTexts();
    assert.equal(rows.length, 2, rows.join('\n'));
    assert.match(rows[0], /down\.fallback\.test[\s\S]*127\.0\.0\.3[\s\S]*left[\s\S]*refused/i);
    assert.match(rows[1], /up\.fallback\.test[\s\S]*127\.0\.0\.1[\s\S]*connected/);
    const log = await copyLog(page);
    assert.match(log, /Could not connect to down\.fallback\.test \[127\.0\.0\.3\]/);
    assert.match(log, /Connected to up\.fallback\.test \[127\.0\.0\.1\]/);
    await assertAccessible(page, 'Send, delivered after an MX fallback');

    // What the user typed is what arrived: Postfix stores LF line ends and adds only its trace headers.
    const [file] = await postfix.readDelivered();
    assert.equal(stripDeliveryHeaders(file).toString('utf8'), `${RAW}\n`);
    assertNoPageErrors(p);
    await page.context().close();
  });
});
