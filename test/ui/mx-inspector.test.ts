// The MX inspector in web mode, driven through Debian's Chromium against the real main-process code and a
// private dnsmasq serving TEST_ZONE. Needs `npm run build` first (scripts/test.mjs does it); builds nothing.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright';
import { assertAccessible } from '../support/axe';
import { startDnsmasq, TEST_ZONE } from '../support/dnsmasq';
import type { Dnsmasq } from '../support/dnsmasq';
import { startSilentDns } from '../support/silent-dns';
import type { SilentDns } from '../support/silent-dns';
import { stopAll } from '../support/stop-all';
import type { WebMode } from '../support/web-mode';
import { startWebUi } from '../support/web-ui';

const SHOTS = join(__dirname, '..', '..', 'test-results', 'ui');
const WAIT = { timeout: 10_000 };

describe('MX inspector (web mode, Chromium, dnsmasq)', () => {
  let dns: Dnsmasq;
  let silent: SilentDns;
  let servfail: SilentDns;
  let web: WebMode;
  let browser: Browser;

  before(async () => {
    dns = await startDnsmasq(TEST_ZONE);
    silent = await startSilentDns();
    servfail = await startSilentDns({ rcode: 2 });
    ({ web, browser } = await startWebUi({ dns: dns.server }));
    mkdirSync(SHOTS, { recursive: true });
  });

  after(() => stopAll(browser, web, servfail, silent, dns));

  async function openApp(colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1180, height: 760 }, colorScheme });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(web.url);
    await page.getByRole('button', { name: 'Look up' }).waitFor(WAIT);
    assert.deepEqual(errors, [], 'the page loads without script errors');
    return page;
  }

  /** Types the query, submits with the button, and waits for the verdict (not the progress line). */
  async function lookUp(page: Page, query: string): Promise<Locator> {
    await page.getByLabel('Domain or e-mail address').fill(query);
    await page.getByRole('button', { name: 'Look up' }).click();
    return verdict(page);
  }

  async function verdict(page: Page): Promise<Locator> {
    const banner = page.getByRole('status').locator('[data-verdict]');
    await banner.waitFor(WAIT);
    return banner;
  }

  /** MX host names in table order (the row headers of the MX hosts table). */
  async function hostOrder(page: Page): Promise<string[]> {
    const names = await page.getByRole('table', { name: 'MX hosts' }).locator('tbody th[scope="row"]').allInnerTexts();
    return names.map((n) => n.split('\n')[0].trim());
  }

  test('lists the MX hosts sorted by preference and boxes the two hosts that tie', async () => {
    const page = await openApp();
    const banner = await lookUp(page, 'example.test');
    assert.equal(await banner.getAttribute('data-verdict'), 'mx');
    assert.match(await banner.innerText(), /Accepts mail: 4 MX hosts/);

    const order = await hostOrder(page);
    assert.deepEqual(order.slice(0, 2), ['mx0.example.test', 'mx1.example.test']);
    assert.deepEqual([...order.slice(2)].sort(), ['mx2a.example.test', 'mx2b.example.test']);

    // The tie shares one preference cell that says so, and both hosts sit in that one row group.
    const table = page.getByRole('table', { name: 'MX hosts' });
    const tieCell = table.getByRole('rowheader', { name: /20.*tie: tried in random order/ });
    assert.equal(await tieCell.count(), 1);
    const tieGroup = table.locator('tbody.tie');
    assert.equal(await tieGroup.count(), 1);
    assert.match(await tieGroup.innerText(), /mx2a\.example\.test[\s\S]*mx2b\.example\.test|mx2b\.example\.test[\s\S]*mx2a\.example\.test/);

    // mx1 has both families, each with the TTL dnsmasq gives (local-ttl=300).
    const mx1 = table.locator('tbody', { hasText: 'mx1.example.test' });
    const mx1Text = await mx1.innerText();
    assert.match(mx1Text, /\bA\s+127\.0\.0\.1\b[\s\S]*300 s/);
    assert.match(mx1Text, /AAAA\s+::1\b/);

    // Who answered, in how many round trips, and one row per query: MX, then A + AAAA for 4 hosts.
    const facts = await page.locator('dl.facts').innerText();
    assert.match(facts, new RegExp(`Resolver\\s+${dns.server.replace(/\./g, '\\.')}`));
    assert.match(facts, /Round trips\s+2\b/);
    const queryRows = page.getByRole('table', { name: 'DNS queries' }).locator('tbody tr');
    assert.equal(await queryRows.count(), 9);
    await page.close();
  });

  test('shows a host with no address, an IP-literal target and a loopback address as warnings', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const page = await openApp(scheme);
      const banner = await lookUp(page, 'warnings.test');
      assert.match(await banner.innerText(), /Accepts mail: 3 MX hosts, 3 with warnings/);
      const table = page.getByRole('table', { name: 'MX hosts' });
      assert.deepEqual(await hostOrder(page), ['mx1.example.test', 'ghost.warnings.test', '192.0.2.1']);
      assert.match(await table.locator('tbody', { hasText: 'mx1.example.test' }).innerText(), /Loopback address/);
      assert.match(await table.locator('tbody', { hasText: 'ghost.warnings.test' }).innerText(), /No address/);
      assert.match(await table.locator('tbody', { hasText: '192.0.2.1' }).innerText(), /IP literal/);
      // Each warning kind is explained once, in words, under the table.
      const legend = await page.getByRole('list', { name: 'What the warnings mean' }).innerText();
      assert.match(legend, /No address[\s\S]*neither an A nor an AAAA/);
      assert.match(legend, /IP literal/);
      assert.match(legend, /Loopback address/);
      // Looked at by a person (see the report); kept out of the repository under test-results/.
      await page.screenshot({ path: join(SHOTS, `mx-warnings-${scheme}.png`) });
      await assertAccessible(page, `MX inspector, a report with warnings, ${scheme}`);
      await page.close();
    }
  });

  test('says implicit MX when the domain has no MX records but an address', async () => {
    const page = await openApp();
    const banner = await lookUp(page, 'implicit.test');
    assert.equal(await banner.getAttribute('data-verdict'), 'implicit_mx');
    assert.match(await banner.innerText(), /Implicit MX: no MX records, the domain itself receives mail/);
    assert.match(await page.getByRole('table', { name: 'MX hosts' }).innerText(), /implicit\s+implicit\.test\s+A\s+127\.0\.0\.1/);
    await page.close();
  });

  test('says a null-MX domain accepts no mail', async () => {
    const page = await openApp();
    const banner = await lookUp(page, 'postmaster@nullmx.test');
    assert.equal(await banner.getAttribute('data-verdict'), 'null_mx');
    assert.match(await banner.innerText(), /This domain accepts no mail/);
    assert.equal(await page.getByRole('table', { name: 'MX hosts' }).count(), 0);
    await page.close();
  });

  test('says a domain that does not exist does not exist (NXDOMAIN)', async () => {
    const page = await openApp();
    const banner = await lookUp(page, 'does-not-exist.test');
    assert.equal(await banner.getAttribute('data-verdict'), 'nxdomain');
    assert.match(await banner.innerText(), /Domain does not exist[\s\S]*NXDOMAIN/);
    await page.close();
  });

  test('says there is no mail host when a domain has neither MX nor address records', async () => {
    const page = await openApp();
    const banner = await lookUp(page, 'nomail.test');
    assert.equal(await banner.getAttribute('data-verdict'), 'no_mail_host');
    assert.match(await banner.innerText(), /No mail host/);
    await page.close();
  });

  test('says lookup failed, try again, when the resolver answers SERVFAIL', async () => {
    const page = await openApp();
    await page.getByRole('radio', { name: 'Custom' }).check();
    await page.getByLabel('Resolver address (host[:port])').fill(servfail.server);
    const banner = await lookUp(page, 'example.test');
    assert.equal(await banner.getAttribute('data-verdict'), 'dns_failure');
    assert.match(await banner.innerText(), /Lookup failed, try again/);
    await page.close();
  });

  test('shows an IDN domain both as U-label and as A-label', async () => {
    const page = await openApp();
    await lookUp(page, 'bücher.test');
    const facts = await page.locator('dl.facts').innerText();
    assert.match(facts, /bücher\.test/);
    assert.match(facts, /xn--bcher-kva\.test/);
    assert.match(await page.getByRole('table', { name: 'MX hosts' }).innerText(), /mx\.bücher\.test[\s\S]*mx\.xn--bcher-kva\.test/);
    await page.close();
  });

  test('asks the custom resolver typed in, and shows an unusable one next to its field', async () => {
    const page = await openApp();
    await page.getByRole('radio', { name: 'Custom' }).check();
    const resolverField = page.getByLabel('Resolver address (host[:port])');
    await resolverField.fill('not a resolver');
    await page.getByLabel('Domain or e-mail address').fill('example.test');
    await page.getByRole('button', { name: 'Look up' }).click();
    assert.equal(await resolverField.getAttribute('aria-invalid'), 'true');
    // Next to its field, tied to it, and read out once by the form's polite live region (not an alert).
    const errorId = ((await resolverField.getAttribute('aria-describedby')) ?? '').split(' ')[0];
    assert.match(await page.locator(`[id="${errorId}"]`).innerText(), /IP address/);
    await page.locator('#panel-mx').getByTestId('form-announcer').getByText(/^Resolver address: .*IP address/).waitFor(WAIT);

    await resolverField.fill(dns.server);
    await page.getByRole('button', { name: 'Look up' }).click();
    await verdict(page);
    assert.match(await page.locator('dl.facts').innerText(), new RegExp(`Resolver\\s+${dns.server.replace(/\./g, '\\.')}`));
    await page.close();
  });

  test('shows progress while the resolver is silent, and Cancel stops the lookup', async () => {
    const page = await openApp();
    await page.getByRole('radio', { name: 'Custom' }).check();
    await page.getByLabel('Resolver address (host[:port])').fill(silent.server);
    await page.getByLabel('Domain or e-mail address').fill('example.test');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('status').getByText('Looking up example.test…').waitFor(WAIT);
    const cancel = page.getByRole('button', { name: 'Cancel' });
    assert.equal(await cancel.isEnabled(), true);
    await cancel.click();
    await page.getByRole('status').getByText('Lookup cancelled').waitFor(WAIT);
    assert.equal(await cancel.isEnabled(), false);
    await page.close();
  });

  test('a new lookup supersedes a running one', async () => {
    const page = await openApp();
    await page.getByRole('radio', { name: 'Custom' }).check();
    await page.getByLabel('Resolver address (host[:port])').fill(silent.server);
    await page.getByLabel('Domain or e-mail address').fill('implicit.test');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('status').getByText('Looking up implicit.test…').waitFor(WAIT);

    await page.getByRole('radio', { name: 'System default' }).check();
    const banner = await lookUp(page, 'example.test');
    assert.equal(await banner.getAttribute('data-verdict'), 'mx');
    assert.match(await banner.innerText(), /example\.test has 4 MX hosts/);
    await page.close();
  });

  test('works with the keyboard alone, with a visible focus ring', async () => {
    const page = await openApp();
    // The domain field has focus when the window opens.
    assert.equal(await page.locator(':focus').getAttribute('name'), 'query');
    await page.keyboard.type('nullmx.test');
    await page.keyboard.press('Enter');
    assert.equal(await (await verdict(page)).getAttribute('data-verdict'), 'null_mx');

    // Tab reaches Look up next; its focus ring is drawn.
    await page.getByLabel('Domain or e-mail address').focus();
    await page.keyboard.press('Tab');
    // Evaluated in the page (a string, because this file is type-checked without DOM types).
    const focused = await page.evaluate<{ text: string; outline: string; width: string }>(
      '(() => { const el = document.activeElement; const s = getComputedStyle(el); return { text: el.textContent, outline: s.outlineStyle, width: s.outlineWidth }; })()',
    );
    assert.equal(focused.text, 'Look up');
    assert.equal(focused.outline, 'solid');
    assert.notEqual(focused.width, '0px');

    // Replace the query and submit with Space on the focused button.
    await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    await page.keyboard.up('Shift');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('nomail.test');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.getByRole('status').locator('[data-verdict="no_mail_host"]').waitFor(WAIT);

    // The feature tabs move with the arrow keys, and the inspector keeps its result meanwhile.
    await page.getByRole('tab', { name: 'MX inspector' }).focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.getByRole('tab', { name: 'Send' }).getAttribute('aria-selected'), 'true');
    assert.equal(await page.getByRole('tabpanel', { name: 'Send' }).isVisible(), true);
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.getByRole('status').locator('[data-verdict="no_mail_host"]').count(), 1);
    await page.close();
  });

  test('follows the operating system: dark colours in dark mode, light in light mode', async () => {
    const luminance = async (page: Page): Promise<number> => {
      const color = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
      const m = /rgba?\((\d+), (\d+), (\d+)/.exec(color);
      assert.ok(m, `a colour: ${color}`);
      const [r, g, b] = [m[1], m[2], m[3]].map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    };
    const dark = await openApp('dark');
    const light = await openApp('light');
    assert.ok((await luminance(dark)) < 0.25, 'dark background');
    assert.ok((await luminance(light)) > 0.8, 'light background');
    await dark.close();
    await light.close();
  });
});
