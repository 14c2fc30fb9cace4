// The Analyse panel in web mode (Chromium): a bounce and a multi-hop message pasted, analysed by the main
// process (DKIM keys from a private dnsmasq), shown with hostile text inert; a paste too large for the box is
// kept out of it and cut. Needs `npm run build` first. UPDATE_SCREENSHOTS=1 also writes
// docs/screenshots/analyse-light.png and analyse-bounce-dark.png.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import { assertAccessible } from '../support/axe';
import { startDnsmasq, type Dnsmasq } from '../support/dnsmasq';
import { stopAll } from '../support/stop-all';
import type { WebMode } from '../support/web-mode';
import { startWebUi } from '../support/web-ui';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'bounces');
const SHOTS = join(ROOT, 'test-results', 'ui');
const DOCS = join(ROOT, 'docs', 'screenshots');
const WAIT = { timeout: 15_000 };

type DkimSign = (input: string, options: unknown) => Promise<{ signatures: string }>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { dkimSign } = require('mailauth/lib/dkim/sign') as { dkimSign: DkimSign };
const keys = generateKeyPairSync('ed25519');
// RFC 8463 §4.2: an Ed25519 key record holds the raw 32-byte key (the last 32 bytes of the SPKI).
const rawKey = keys.publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('base64');

describe('Analyse in web mode, Chromium', () => {
  let dns: Dnsmasq | undefined;
  let web: WebMode | undefined;
  let browser: Browser | undefined;
  let signedMessage = '';

  before(async () => {
    // The fixture's ARC seal (by google.example) is made up: its key is NXDOMAIN here, so it fails when verified.
    dns = await startDnsmasq([`txt-record=ed1._domainkey.sender.example,"v=DKIM1; k=ed25519; p=${rawKey}"`, 'local=/example/']);
    ({ web, browser } = await startWebUi({ dns: dns.server }));
    mkdirSync(SHOTS, { recursive: true });
    const message = readFileSync(join(FIXTURES, 'not-a-bounce-multi-hop.txt'), 'utf8').replace(/\r?\n/g, '\r\n');
    const { signatures } = await dkimSign(message, {
      canonicalization: 'relaxed/relaxed',
      signatureData: [{ signingDomain: 'sender.example', selector: 'ed1', privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }), algorithm: 'ed25519-sha256' }],
    });
    signedMessage = signatures + message;
  });
  after(() => stopAll(browser, web, dns));

  async function openAnalyse(colorScheme: 'light' | 'dark'): Promise<Page> {
    assert.ok(browser && web);
    const page = await browser.newPage({ viewport: { width: 1180, height: 1000 }, colorScheme });
    await page.goto(web.url);
    await page.getByRole('tab', { name: 'Analyse' }).click();
    return page;
  }

  async function analyse(page: Page, text: string): Promise<void> {
    await page.getByLabel('Message, headers or bounce').fill(text);
    await page.getByLabel('Message, headers or bounce').evaluate((box) => box.scrollTo(0, 0));
    await page.getByRole('button', { name: 'Analyse', exact: true }).click();
    await page.locator('[data-analysis]').waitFor(WAIT);
  }

  test('a multi-hop message: hops with delays, TLS and clock skew; results explained; DKIM verified now', async () => {
    const page = await openAnalyse('light');
    await analyse(page, signedMessage);
    assert.equal(await page.locator('[data-analysis]').getAttribute('data-analysis'), 'message');
    const hops = page.locator('.hop');
    assert.equal(await hops.count(), 4);
    assert.match((await hops.nth(0).innerText()).replace(/\s+/g, ' '), /filter\.sender\.example.*TLS 1\.3.*\+10 s/);
    assert.equal(await page.locator('.hop[data-hop="2"]').getAttribute('data-skew'), 'yes');
    assert.match(await page.locator('.hop[data-hop="2"]').innerText(), /clock skew/);
    assert.match(await page.locator('.hop[data-hop="2"]').innerText(), /no TLS named/);
    assert.match(await page.locator('#analyse-hops-heading').innerText(), /13 s in transit/i);
    assert.match(await page.locator('tr[data-method="dmarc"]').innerText(), /DMARC passed for From: sender\.example/);
    assert.equal(await page.locator('tr[data-dkim="sender.example"]').getAttribute('data-result'), 'pass');
    assert.match(await page.locator('.analyse-dkim-note').innerText(), new RegExp(`Keys asked through ${dns!.server.replace(/\./g, '\\.')}`));
    assert.equal(await page.locator('[data-arc-verified]').getAttribute('data-arc-verified'), 'fail');
    assert.match(await page.locator('[data-analysis]').innerText(), /the ARC chain does not verify now/);
    // The panel scrolls inside the window: a taller window shows the whole analysis in one picture.
    await page.setViewportSize({ width: 1180, height: 1140 });
    await page.screenshot({ path: join(SHOTS, 'analyse-light.png') });
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: join(DOCS, 'analyse-light.png') });
    await assertAccessible(page, 'Analyse, multi-hop message, light');
    await page.close();
  });

  test('a pasted bounce: who refused, the stage, the code explained, the server text and what to do', async () => {
    const page = await openAnalyse('dark');
    await analyse(page, readFileSync(join(FIXTURES, 'postfix-user-unknown.eml'), 'utf8'));
    assert.equal(await page.locator('[data-analysis]').getAttribute('data-analysis'), 'bounce');
    const card = page.locator('[data-recipient="bob@receiver.example"]');
    const text = (await card.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Refused by mx1\.receiver\.example/);
    assert.match(text, /Stage RCPT TO/);
    assert.match(text, /5\.1\.1: the mailbox does not exist/);
    assert.match(text, /Server said 550 5\.1\.1 <bob@receiver\.example>: Recipient address rejected/);
    assert.match(text, /What to do: Check the address for typos/);
    await page.getByText('Headers of the returned message (6)').click();
    await page.screenshot({ path: join(SHOTS, 'analyse-bounce-dark.png') });
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: join(DOCS, 'analyse-bounce-dark.png') });
    await assertAccessible(page, 'Analyse, bounce, dark');
    await page.close();
  });

  test('hostile text is shown inert, and a 20 MB paste stays out of the box and is cut to 16 MiB', async () => {
    const page = await openAnalyse('light');
    await analyse(page, 'From: \u001b[31mCEO\u001b[0m <ceo@example.org>\nSubject: invoice \u202efdp.exe\nFrom: second@example.org\n');
    const banner = await page.locator('[data-analysis]').innerText();
    assert.match(banner, /\\x1b\[31mCEO\\x1b\[0m/);
    assert.match(banner, /invoice \\u202efdp\.exe/);
    assert.match(await page.locator('.analysis').innerText(), /2 From: headers/);
    // A real paste event (the test tsconfig has no DOM types, so the page code is given as text).
    await page.evaluate(`(() => {
      const data = new DataTransfer();
      data.setData('text/plain', 'From: big@example.org\\r\\nSubject: huge\\r\\n\\r\\n' + 'B'.repeat(20 * 1024 * 1024));
      document.querySelector('.analyse-input').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    })()`);
    await page.locator('.analyse-large').waitFor(WAIT);
    assert.match(await page.locator('.analyse-large').innerText(), /Pasted text of 20 MiB: too large to show here\. Only the first 16 MiB are analysed\./);
    assert.equal(await page.getByLabel('Message, headers or bounce').inputValue(), '');
    await page.getByText('The input is 20 MiB; only the first 16 MiB were read.').waitFor(WAIT);
    await page.close();
  });
});
