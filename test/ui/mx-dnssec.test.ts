// The MX inspector's TTL and DNSSEC badges in web mode (Chromium), against the DNSSEC lab: a validating
// unbound in front of signed, bogus and unsigned zones, and a dnsmasq that does not validate. Needs
// `npm run build` first. UPDATE_SCREENSHOTS=1 also writes docs/screenshots/mx-dnssec-{light,dark}.png.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import { assertAccessible } from '../support/axe';
import { startDnssecLab, type DnssecLab } from '../support/dnssec';
import { stopAll } from '../support/stop-all';
import type { WebMode } from '../support/web-mode';
import { startWebUi } from '../support/web-ui';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results', 'ui');
const DOCS = join(ROOT, 'docs', 'screenshots');
const WAIT = { timeout: 10_000 };

describe('MX inspector with DNSSEC (web mode, Chromium, unbound + nsd)', () => {
  let lab: DnssecLab | undefined;
  let why = '';
  let web: WebMode | undefined;
  let browser: Browser | undefined;

  before(async () => {
    const r = await startDnssecLab();
    if (!r.ok) {
      if (!r.missing) throw new Error(r.why);
      why = r.why;
      console.log(`# ${why}`);
      return;
    }
    lab = r;
    ({ web, browser } = await startWebUi({ dns: lab.resolver }));
    mkdirSync(SHOTS, { recursive: true });
  });
  after(() => stopAll(browser, web, lab));

  async function lookUp(query: string, opts: { colorScheme?: 'light' | 'dark'; resolver?: string } = {}): Promise<Page> {
    assert.ok(browser && web);
    const page = await browser.newPage({ viewport: { width: 1180, height: 820 }, colorScheme: opts.colorScheme ?? 'light' });
    await page.goto(web.url);
    await page.getByLabel('Domain or e-mail address').fill(query);
    if (opts.resolver) {
      await page.getByRole('radio', { name: 'Custom' }).check();
      await page.getByLabel('Resolver address (host[:port])').fill(opts.resolver);
    }
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('status').locator('[data-verdict]').waitFor(WAIT);
    return page;
  }

  const badges = (page: Page, table: string) => page.getByRole('table', { name: table }).locator('[data-dnssec]').evaluateAll((els) => els.map((e) => e.getAttribute('data-dnssec')));

  test('a signed domain shows the MX TTL and a secure badge on the MX set and on every address RRset', async (t) => {
    if (!lab) return t.skip(why);
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await lookUp('secure.test', { colorScheme });
      const facts = page.getByRole('definition').filter({ has: page.locator('[data-dnssec]') });
      assert.equal(await facts.locator('[data-dnssec]').getAttribute('data-dnssec'), 'secure');
      // unbound counts the TTL down from 300 while the answer sits in its cache.
      assert.match(await page.locator('.facts').innerText(), /MX TTL\s+(29\d|300) s/);
      assert.deepEqual(await badges(page, 'MX hosts'), ['secure', 'secure']);
      assert.ok((await badges(page, 'DNS queries')).every((s) => s === 'secure'));
      const tip = await page.getByRole('table', { name: 'MX hosts' }).locator('[data-dnssec] .badge').first().getAttribute('title');
      assert.match(tip ?? '', /validated it \(AD bit/);
      await page.screenshot({ path: join(SHOTS, `mx-dnssec-secure-${colorScheme}.png`), fullPage: true });
      if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: join(DOCS, `mx-dnssec-${colorScheme}.png`) });
      await assertAccessible(page, `MX inspector, DNSSEC secure, ${colorScheme}`);
      await page.close();
    }
  });

  test('a bogus domain reads bogus, never secure, and the lookup failed', async (t) => {
    if (!lab) return t.skip(why);
    const page = await lookUp('bogus.test');
    assert.equal(await page.getByRole('status').locator('[data-verdict]').getAttribute('data-verdict'), 'dns_failure');
    assert.equal(await page.locator('.facts [data-dnssec]').getAttribute('data-dnssec'), 'bogus');
    assert.match(await page.locator('.dnssec-note').innerText(), /fails DNSSEC validation/);
    assert.ok(!(await badges(page, 'DNS queries')).includes('secure'));
    await page.screenshot({ path: join(SHOTS, 'mx-dnssec-bogus.png'), fullPage: true });
    await assertAccessible(page, 'MX inspector, DNSSEC bogus');
    await page.close();
  });

  test('through a resolver that does not validate, the page says DANE cannot be judged', async (t) => {
    if (!lab) return t.skip(why);
    const page = await lookUp('secure.test', { resolver: lab.nonValidating });
    assert.equal(await page.locator('.dnssec-note').innerText(), 'This resolver does not validate DNSSEC, so DANE cannot be judged.');
    assert.deepEqual(await badges(page, 'MX hosts'), ['unknown', 'unknown']);
    await page.screenshot({ path: join(SHOTS, 'mx-dnssec-not-validating.png'), fullPage: true });
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: join(DOCS, 'mx-dnssec-not-validating-light.png') });
    await assertAccessible(page, 'MX inspector, resolver not validating');
    await page.close();
  });
});
