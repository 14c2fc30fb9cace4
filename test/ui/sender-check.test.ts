// "Will it pass?" in the sending window: the sender check (SPF tree, lookup gauge, DMARC alignment table,
// verdict) against a private dnsmasq, and DKIM signing with a pasted key and then a saved one, delivered to
// a recording SMTP server. The key never comes back to the page (WebSocket frames) or into the DOM after
// saving. Needs `npm run build` first; UPDATE_SCREENSHOTS=1 also writes docs/screenshots/sender-check-*.png.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import { assertAccessible } from '../support/axe';
import { startDnsmasq, type Dnsmasq } from '../support/dnsmasq';
import { startRecordingServer, type RecordingServer } from '../support/smtp-recording-server';
import { stopAll } from '../support/stop-all';
import type { WebMode } from '../support/web-mode';
import { startWebUi } from '../support/web-ui';
import { SENDER_ZONE } from '../engine/sender-auth-zone';
import { assertNoPageErrors, chooseServer, fillMessage, openSendPage, waitForOutcome, WAIT } from './send-page';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results', 'ui');
const DOCS = join(ROOT, 'docs', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const KEY_LINES = PEM.split('\n').filter((l) => l.length > 0 && !l.startsWith('-----'));

describe('sending window: will it pass?', () => {
  let dns: Dnsmasq;
  let smtp: RecordingServer;
  let web: WebMode;
  let browser: Browser;

  before(async () => {
    dns = await startDnsmasq(SENDER_ZONE);
    smtp = await startRecordingServer();
    ({ web, browser } = await startWebUi({ dns: dns.server }));
  });
  after(() => stopAll(browser, web, smtp, dns));

  async function checkSender(page: Page): Promise<void> {
    await page.getByLabel('Outgoing address').fill('127.0.0.1');
    await page.getByRole('button', { name: 'Check sender' }).click();
    await page.locator('.sender-verdict').waitFor(WAIT);
  }

  for (const theme of ['light', 'dark'] as const) {
    test(`the sender check shows the verdict, the SPF tree, the gauge and the DMARC table (${theme})`, async () => {
      const p = await openSendPage(browser, web.url, { colorScheme: theme, viewport: { width: 1280, height: 1400 } });
      const { page } = p;
      await fillMessage(page, { from: 'Ann <ann@shot.test>', to: 'sink@example.test', subject: 'Will it pass?' });
      await page.getByLabel('DKIM-sign this message').check();
      await page.getByLabel('Domain (d=)').fill('shot.test');
      await page.getByLabel('Selector (s=)').fill('mail2026');
      await checkSender(page);
      const report = page.locator('.sender-report');
      assert.match(await page.locator('.sender-verdict').innerText(), /Will pass: DMARC passes for shot\.test/);
      const text = await report.innerText();
      assert.match(text, /SPF\s+pass\s+shot\.test for 127\.0\.0\.1/);
      assert.match(text, /DNS lookups 2 of 10/);
      assert.match(text, /a\.chain\.test/);
      assert.match(text, /b\.chain\.test/);
      assert.match(text, /_dmarc\.shot\.test: v=DMARC1; p=quarantine/);
      assert.equal(await report.locator('.spf-match').count() >= 3, true, 'the matched terms are marked along the include path');
      assert.match(await report.locator('.dkim-key-check').innerText(), /key published.*mail2026\._domainkey\.shot\.test/);
      assert.match(await report.locator('.dmarc-table').innerText(), /SPF \(MAIL FROM\)\s+shot\.test\s+strict\s+yes/);
      // Every question went to the chosen resolver (the private dnsmasq), and the panel says so.
      assert.match(await report.locator('.sender-queries summary').innerText(), new RegExp(`\\d+ DNS questions via ${dns.server.replace(/\./g, '\\.')}`));
      await report.locator('.sender-h').first().scrollIntoViewIfNeeded();
      await page.locator('#send-h-sender').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, `sender-check-${theme}.png`) });
      if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: join(DOCS, `sender-check-${theme}.png`) });
      await assertAccessible(page, `Send, sender check, ${theme}`);
      assertNoPageErrors(p);
      await page.context().close();
    });
  }

  test('an SPF record over the lookup limit shows a permerror and a full gauge', async () => {
    const p = await openSendPage(browser, web.url);
    await fillMessage(p.page, { from: 'ann@many.test', to: 'sink@example.test' });
    await checkSender(p.page);
    const text = await p.page.locator('.sender-report').innerText();
    assert.match(text, /SPF\s+permerror/);
    assert.match(text, /DNS lookups 11 of 10/);
    assert.match(text, /more than 10 DNS lookups/);
    await p.page.context().close();
  });

  test('DKIM: a pasted key signs the send; a saved key leaves the page and still signs; the key never comes back', async () => {
    const p = await openSendPage(browser, web.url);
    const { page } = p;
    await fillMessage(page, { from: 'ann@example.test', to: 'sink@example.test', subject: 'signed', text: 'hello\n' });
    await chooseServer(page, '127.0.0.1', smtp.port);
    await page.getByLabel('TLS', { exact: true }).selectOption('none');
    await page.getByLabel('DKIM-sign this message').check();
    await page.getByLabel('Domain (d=)').fill('example.test');
    await page.getByLabel('Selector (s=)').fill('ui1');
    await page.getByLabel('Private key (PEM)').fill(PEM);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    assert.equal((await waitForOutcome(page)).tone, 'ok');
    assert.match(smtp.messages.at(-1)?.toString() ?? '', /^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=example\.test;[\s\S]*s=ui1;/);

    await page.getByRole('button', { name: 'Save key' }).click();
    await page.locator('.dkim-record').waitFor(WAIT);
    assert.equal(await page.getByLabel('Private key (PEM)').inputValue(), '', 'the key field is emptied after saving');
    assert.match(await page.locator('.dkim-record').innerText(), /ui1\._domainkey\.example\.test: v=DKIM1; k=rsa; p=/);
    // The preview shows the signed message, signed with the saved key.
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByRole('region', { name: 'Message preview' }).getByText(/DKIM-Signature: v=1; a=rsa-sha256/).waitFor(WAIT);
    await page.getByRole('tab', { name: 'Session log' }).click();
    const before = smtp.messages.length;
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    assert.equal((await waitForOutcome(page)).tone, 'ok');
    assert.equal(smtp.messages.length, before + 1);
    assert.match(smtp.messages.at(-1)?.toString() ?? '', /^DKIM-Signature: [\s\S]*s=ui1;/, 'the saved key signed the second send');

    const dom = await page.content();
    const frames = p.frames.join('\n');
    for (const line of KEY_LINES) {
      assert.ok(!dom.includes(line), 'no line of the key is in the DOM after saving');
      assert.ok(!frames.includes(line), 'no line of the key came back over the WebSocket');
    }
    assertNoPageErrors(p);
    await page.context().close();
  });
});
