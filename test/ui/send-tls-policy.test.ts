// The sending window with "TLS policy: as a DANE/MTA-STS-aware MTA would": Direct to MX for secure.test in the
// DNSSEC lab, whose MX is a private Postfix presenting the lab's self-signed certificate, with its DANE-EE
// TLSA published at _<port>._tcp.mx.secure.test. Web mode, Debian's Chromium, the real engine. Needs
// `npm run build` first. UPDATE_SCREENSHOTS=1 writes docs/screenshots/send-tls-policy-{light,dark}.png.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright';
import { assertAccessible } from '../support/axe';
import { startDnssecLab, type DnssecLab } from '../support/dnssec';
import { postfixAvailable, startPostfix, type PostfixInstance } from '../support/postfix';
import type { WebMode } from '../support/web-mode';
import { startWebUi } from '../support/web-ui';
import { assertNoPageErrors, copyLog, fillMessage, openSendPage, waitForOutcome, WAIT } from './send-page';

const ROOT = join(__dirname, '..', '..');
const SHOTS = process.env.UPDATE_SCREENSHOTS ? join(ROOT, 'docs', 'screenshots') : join(ROOT, 'test-results', 'ui');
const skip = postfixAvailable().ok ? false : postfixAvailable().reason;

describe('sending window: TLS policy as a DANE/MTA-STS-aware MTA would', { skip }, () => {
  let lab: DnssecLab | undefined;
  let why: string | undefined;
  let postfix: PostfixInstance | undefined;
  let web: WebMode | undefined;
  let browser: Browser | undefined;

  before(async () => {
    const r = await startDnssecLab({ nonValidating: false });
    if (!r.ok) {
      if (!r.missing) throw new Error(`DNSSEC lab failed to start: ${r.why}`);
      why = r.why;
      console.log(`# skipping: ${why}`);
      return;
    }
    lab = r;
    postfix = await startPostfix({ tls: true, tlsCert: { cert: lab.cert.cert, key: lab.cert.key }, domains: ['secure.test'] });
    await lab.setExtra('secure', [`_${postfix.port}._tcp.mx TLSA ${lab.tlsa}`]);
    ({ web, browser } = await startWebUi({ dns: lab.resolver }));
  });

  after(async () => {
    await browser?.close();
    await web?.stop();
    await postfix?.stop();
    await lab?.stop();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`delivers after DANE-EE matched, each decision in the log (${colorScheme})`, async (t) => {
      if (!lab || !browser || !web || !postfix) return t.skip(why);
      const p = await openSendPage(browser, web.url, { colorScheme, viewport: { width: 1600, height: 1000 } });
      const { page } = p;
      await fillMessage(page, { from: 'ann@example.test', to: 'sink@secure.test', subject: 'Under the domain’s TLS policy', text: 'Sent as a DANE-aware MTA would.' });
      await page.locator('.mx-target').getByText('mx.secure.test', { exact: true }).waitFor(WAIT);
      await page.getByRole('textbox', { name: 'Port', exact: true }).fill(String(postfix.port));
      await page.getByLabel('TLS policy', { exact: true }).selectOption({ label: 'As a DANE/MTA-STS-aware MTA would' });
      await page.getByRole('button', { name: 'Send', exact: true }).click();

      const outcome = await waitForOutcome(page);
      assert.equal(outcome.tone, 'ok', outcome.text);
      const log = await copyLog(page);
      assert.match(log, /TLS policy for mx\.secure\.test: DANE: 1 usable DNSSEC-secure TLSA record/);
      assert.match(log, /DANE-EE matched for mx\.secure\.test/);
      await assertAccessible(page, `Send, delivered under the DANE policy, ${colorScheme}`);
      // The picture: the policy choice in the form, and the log without the SMTP lines (DNS, TLS, info).
      await page.getByLabel('Show client lines', { exact: true }).uncheck();
      await page.getByLabel('Show server lines', { exact: true }).uncheck();
      await page.getByLabel('TLS policy', { exact: true }).scrollIntoViewIfNeeded();
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `send-tls-policy-${colorScheme}.png`), fullPage: false });
      assertNoPageErrors(p);
      await page.context().close();
      await postfix.clearDelivered();
    });
  }
});
