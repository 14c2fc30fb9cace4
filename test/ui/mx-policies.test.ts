// The MX inspector's Policies section in web mode (Chromium), against the DNSSEC lab (validating unbound in
// front of signed and bogus zones), a scripted STARTTLS server presenting the certificate the lab's TLSA names,
// and a private HTTPS server for the MTA-STS policy. Needs `npm run build` first. UPDATE_SCREENSHOTS=1 also
// writes docs/screenshots/mx-policies-{light,dark}.png.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import { assertAccessible } from '../support/axe';
import { makeCert } from '../support/certs';
import { startDnssecLab, type DnssecLab } from '../support/dnssec';
import { freePort } from '../support/free-port';
import { startHostileServer, type HostileServer } from '../support/hostile-server';
import { tlsServer } from '../support/probe-peers';
import { stopAll } from '../support/stop-all';
import { tempDirs } from '../support/temp-dirs';
import type { WebMode } from '../support/web-mode';
import { startWebUi } from '../support/web-ui';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results', 'ui');
const DOCS = join(ROOT, 'docs', 'screenshots');
const WAIT = { timeout: 15_000 };

describe('MX inspector: Policies (DNSSEC, DANE, MTA-STS, TLS-RPT) in web mode, Chromium, unbound + nsd', () => {
  const dir = tempDirs('mxdesk-ui-policies-');
  let lab: DnssecLab | undefined;
  let why = '';
  let web: WebMode | undefined;
  let browser: Browser | undefined;
  let good: HostileServer | undefined;
  let wrong: HostileServer | undefined;
  let goodPort = 0;
  let wrongPort = 0;
  let https: Server | undefined;
  let body = '';
  const stsCert = makeCert('self-signed', 'mta-sts.secure.test');
  const other = makeCert('self-signed', 'mx.secure.test-other');

  before(async () => {
    const r = await startDnssecLab({ extra: { secure: ['mta-sts A 127.0.0.1'] } });
    if (!r.ok) {
      if (!r.missing) throw new Error(r.why);
      why = r.why;
      console.log(`# ${why}`);
      return;
    }
    lab = r;
    goodPort = await freePort();
    good = await startHostileServer(tlsServer('mx.secure.test', lab.cert), { port: goodPort });
    wrongPort = await freePort();
    wrong = await startHostileServer(tlsServer('mx.secure.test', other), { port: wrongPort });
    https = createServer({ cert: stsCert.cert, key: stsCert.key }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(body);
    });
    await new Promise<void>((resolve) => https!.listen(0, '127.0.0.1', resolve));
    const stsCa = join(dir(), 'sts-ca.pem');
    writeFileSync(stsCa, stsCert.cert);
    const mxCa = join(dir(), 'mx-ca.pem');
    writeFileSync(mxCa, lab.cert.cert);
    const env = { MXDESK_MTA_STS_PORT: String((https.address() as AddressInfo).port), MXDESK_MTA_STS_CA_FILE: stsCa, MXDESK_PROBE_CA_FILE: mxCa };
    ({ web, browser } = await startWebUi({ dns: lab.resolver, env }));
    mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    https?.closeAllConnections();
    https?.close();
    await stopAll(browser, web, good, wrong, lab);
  });

  async function checkPolicies(domain: string, port: number, colorScheme: 'light' | 'dark' = 'light', resolver?: string): Promise<Page> {
    assert.ok(browser && web);
    const page = await browser.newPage({ viewport: { width: 1180, height: 1000 }, colorScheme });
    await page.goto(web.url);
    await page.getByLabel('Domain or e-mail address').fill(domain);
    if (resolver) {
      await page.getByRole('radio', { name: 'Custom' }).check();
      await page.getByLabel('Resolver address (host[:port])').fill(resolver);
    }
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('status').locator('[data-verdict]').waitFor(WAIT);
    await page.getByLabel('Port for the certificate').fill(String(port));
    await page.getByRole('button', { name: 'Check policies' }).click();
    await page.locator('.policy-report').waitFor(WAIT);
    return page;
  }

  const tone = (page: Page, scope: string, what: string) => page.locator(`${scope} [data-what="${what}"]`).getAttribute('data-tone');
  const row = '.policy-hosts tr[data-host="mx.secure.test"]';

  test('a signed domain with a matching DANE-EE record and an enforce policy listing its MX: every verdict reads OK, in words', async (t) => {
    if (!lab) return t.skip(why);
    body = 'version: STSv1\r\nmode: enforce\r\nmx: mx.secure.test\r\nmax_age: 604800\r\n';
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await checkPolicies('secure.test', goodPort, colorScheme);
      assert.equal(await tone(page, '.policy-domain', 'mx'), 'pass');
      assert.equal(await page.locator('.policy-domain [data-dnssec]').first().getAttribute('data-dnssec'), 'secure');
      assert.equal(await page.locator('[data-sts="mode"]').innerText(), 'enforce');
      assert.equal(await page.locator('[data-sts="mx"]').innerText(), 'mx.secure.test');
      assert.equal(await page.locator('[data-sts="max_age"]').innerText(), '7 days (604800 s)');
      assert.equal(await page.locator('[data-sts="id"]').innerText(), 'lab1');
      assert.match(await page.locator('[data-what="tls-rpt"]').innerText(), /mailto:tlsrpt@secure\.test/);
      const cells = page.locator(row);
      assert.deepEqual(await cells.locator('[data-dnssec]').evaluateAll((els) => els.map((e) => e.getAttribute('data-dnssec'))), ['secure', 'secure', 'secure']);
      assert.match(await cells.locator('.policy-tlsa').innerText(), /3 1 1 \(DANE-EE, SPKI, SHA-256\)/);
      assert.equal(await tone(page, row, 'dane'), 'pass');
      assert.match(await cells.locator('[data-what="dane"]').innerText(), /^OK\s+The leaf certificate matches TLSA 3 1 1.*RFC 7672 §3\.1\.1$/s);
      assert.equal(await tone(page, row, 'mta-sts'), 'pass');
      assert.match(await cells.locator('[data-what="mta-sts"]').innerText(), /^OK\s+The host matches the enforce policy and presents a certificate valid for its name/);
      const section = page.getByRole('region', { name: 'Lookup result' }).locator('section.policies');
      await section.screenshot({ path: join(SHOTS, `mx-policies-${colorScheme}.png`) });
      if (process.env.UPDATE_SCREENSHOTS) await section.screenshot({ path: join(DOCS, `mx-policies-${colorScheme}.png`) });
      await assertAccessible(page, `MX inspector, policies, ${colorScheme}`);
      await page.close();
    }
  });

  test('a certificate the TLSA does not name and an MX missing from the enforce policy both read "Fails"', async (t) => {
    if (!lab) return t.skip(why);
    body = 'version: STSv1\r\nmode: enforce\r\nmx: *.elsewhere.test\r\nmax_age: 86400\r\n';
    const page = await checkPolicies('secure.test', wrongPort);
    assert.equal(await tone(page, row, 'dane'), 'fail');
    assert.match(await page.locator(`${row} [data-what="dane"]`).innerText(), /^Fails\s+No usable TLSA record matches/);
    assert.equal(await tone(page, row, 'mta-sts'), 'fail');
    assert.match(await page.locator(`${row} [data-what="mta-sts"]`).innerText(), /^Fails\s+The host is not in the enforce policy/);
    await page.screenshot({ path: join(SHOTS, 'mx-policies-failing.png'), fullPage: true });
    await assertAccessible(page, 'MX inspector, policies failing');
    await page.close();
  });

  test('after "Check all hosts" on the same port, the policy check reuses its certificates instead of connecting again', async (t) => {
    if (!lab || !browser || !web) return t.skip(why);
    body = 'version: STSv1\r\nmode: testing\r\nmx: mx.secure.test\r\nmax_age: 86400\r\n';
    const page = await browser.newPage({ viewport: { width: 1180, height: 1000 } });
    await page.goto(web.url);
    await page.getByLabel('Domain or e-mail address').fill('secure.test');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('status').locator('[data-verdict]').waitFor(WAIT);
    await page.getByLabel('Port to check').fill(String(goodPort));
    await page.getByRole('button', { name: 'Check all hosts' }).click();
    await page.locator('[data-health-verdict]').waitFor(WAIT);
    const connectionsBefore = good!.connections.length;
    await page.getByLabel('Port for the certificate').fill(String(goodPort));
    await page.getByRole('button', { name: 'Check policies' }).click();
    await page.locator('.policy-report').waitFor(WAIT);
    assert.match(await page.locator('.policy-footnote').innerText(), /by the last live check \(no new connection\)/);
    assert.equal(good!.connections.length, connectionsBefore);
    assert.equal(await tone(page, row, 'dane'), 'pass');
    assert.equal(await page.locator('[data-sts="mode"]').innerText(), 'testing');
    await page.close();
  });

  test('through a resolver that does not validate, DANE reads "cannot be judged" as a warning, never OK', async (t) => {
    if (!lab) return t.skip(why);
    body = 'version: STSv1\r\nmode: enforce\r\nmx: mx.secure.test\r\nmax_age: 86400\r\n';
    const page = await checkPolicies('secure.test', goodPort, 'light', lab.nonValidating);
    assert.equal(await tone(page, '.policy-domain', 'mx'), 'warn');
    assert.equal(await tone(page, row, 'dane'), 'warn');
    assert.match(await page.locator(`${row} [data-what="dane"]`).innerText(), /^Warning\s+The resolver does not validate DNSSEC, so DANE cannot be judged/);
    await page.close();
  });

  test('a bogus domain: the policy check reads bogus, never secure', async (t) => {
    if (!lab) return t.skip(why);
    const page = await checkPolicies('bogus.test', goodPort).catch(async (e: Error) => {
      throw new Error(`bogus.test: ${e.message}`);
    });
    assert.equal(await tone(page, '.policy-domain', 'mx'), 'fail');
    assert.equal(await page.locator('.policy-domain [data-dnssec]').first().getAttribute('data-dnssec'), 'bogus');
    assert.doesNotMatch(await page.locator('.policy-report').innerText(), /\bsecure\b/);
    assert.ok(!(await page.locator('.policy-report [data-dnssec]').evaluateAll((els) => els.map((e) => e.getAttribute('data-dnssec')))).includes('secure'));
    await page.close();
  });
});
