// MX health in the inspector (web mode, Chromium): "Check all hosts" after a lookup probes every address live
// against scripted servers started here (a good host with a certificate from a test CA, a refusing address,
// a black hole, an IPv6-only host without STARTTLS, a host with an expired certificate and a PTR for another
// name), and shows the verdict, the egress message, the matrix with its differing cells, keyboard use, the
// relay check, light and dark. Needs `npm run build` first.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import { parseEventsExport } from '../../shared/export/events-json';
import { assertAccessible } from '../support/axe';
import { startBlackHole, type BlackHole } from '../support/black-hole';
import { makeCert } from '../support/certs';
import { startDnsmasq, type Dnsmasq } from '../support/dnsmasq';
import { freePort } from '../support/free-port';
import { startHostileServer, type HostileServer } from '../support/hostile-server';
import { caSignedCert, plainServer, tlsServer } from '../support/probe-peers';
import { stopAll } from '../support/stop-all';
import { tempDirs } from '../support/temp-dirs';
import type { WebMode } from '../support/web-mode';
import { startWebUi } from '../support/web-ui';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results', 'ui');
const DOCS = join(ROOT, 'docs', 'screenshots');
const WAIT = { timeout: 15_000 };

const ZONE = [
  'mx-host=health.test,mx.health.test,10',
  'host-record=mx.health.test,127.0.0.31',
  'mx-host=health.test,refuse.health.test,20',
  'host-record=refuse.health.test,127.0.0.32',
  'mx-host=health.test,hole.health.test,30',
  'host-record=hole.health.test,127.0.0.33',
  'mx-host=health.test,v6.health.test,40',
  'host-record=v6.health.test,::1',
  'mx-host=health.test,odd.health.test,50',
  'address=/odd.health.test/127.0.0.34',
  'ptr-record=34.0.0.127.in-addr.arpa,elsewhere.other.test',
  'mx-host=blocked.test,a.blocked.test,10',
  'mx-host=blocked.test,b.blocked.test,20',
  'host-record=a.blocked.test,127.0.0.33',
  'host-record=b.blocked.test,127.0.0.35',
];

describe('MX health matrix (web mode, Chromium)', () => {
  const dir = tempDirs('mxdesk-ui-health-');
  let dns: Dnsmasq;
  let web: WebMode;
  let browser: Browser;
  let port: number;
  const peers: (HostileServer | BlackHole)[] = [];

  before(async () => {
    dns = await startDnsmasq(ZONE);
    port = await freePort();
    const ca = caSignedCert('mx.health.test');
    peers.push(await startHostileServer(tlsServer('mx.health.test', ca), { host: '127.0.0.31', port }));
    peers.push(await startBlackHole('127.0.0.33', port));
    peers.push(await startBlackHole('127.0.0.35', port));
    peers.push(await startHostileServer(plainServer('v6.health.test'), { host: '::1', port }));
    peers.push(await startHostileServer(tlsServer('odd.health.test', makeCert('expired', 'odd.health.test')), { host: '127.0.0.34', port }));
    const caFile = join(dir(), 'ca.pem');
    writeFileSync(caFile, ca.caCert);
    ({ web, browser } = await startWebUi({ dns: dns.server, env: { MXDESK_PROBE_CA_FILE: caFile } }));
    mkdirSync(SHOTS, { recursive: true });
  });
  after(() => stopAll(browser, web, ...peers, dns));

  async function openApp(colorScheme: 'light' | 'dark' = 'light', viewport = { width: 1280, height: 800 }): Promise<Page> {
    const page = await browser.newPage({ viewport, colorScheme });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(web.url);
    await page.getByRole('button', { name: 'Look up' }).waitFor(WAIT);
    assert.deepEqual(errors, []);
    return page;
  }

  async function checkDomain(page: Page, domain: string): Promise<void> {
    await page.getByLabel('Domain or e-mail address').fill(domain);
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.locator('[data-verdict]').waitFor(WAIT);
    await page.getByLabel('Port to check').fill(String(port));
    await page.getByLabel('Wait per step').selectOption('1000');
    if (process.env.HEALTH_DEBUG) await page.screenshot({ path: join(SHOTS, 'debug.png') });
    await page.getByRole('button', { name: 'Check all hosts' }).click();
    await page.locator('[data-health-verdict]').waitFor(WAIT);
  }

  test('shows the verdict, the egress message and one row per address with the differing cells marked', async () => {
    const page = await openApp();
    await checkDomain(page, 'health.test');
    const verdict = page.locator('[data-health-verdict]');
    assert.equal(await verdict.getAttribute('data-health-verdict'), 'degraded');
    assert.match(await verdict.innerText(), /Mail to health\.test can be delivered from here \(3 of 5 hosts accept connections on port \d+\), but refuse\.health\.test \(127\.0\.0\.32\) refuses connections/);
    assert.equal(await page.locator('[data-egress]').getAttribute('data-egress'), 'ok');

    const grid = page.getByRole('grid', { name: 'MX health of health.test' });
    const rows = grid.locator('tbody tr');
    assert.equal(await rows.count(), 5);
    const cell = (row: number, check: string) => rows.nth(row).locator(`[data-check="${check}"]`);
    const text = async (row: number, check: string) => (await cell(row, check).textContent()) ?? '';
    assert.equal(await cell(0, 'certificate').getAttribute('data-verdict'), 'pass');
    assert.match(await text(1, 'connect'), /Fail: refused/);
    assert.match(await text(2, 'connect'), /filtered/);
    assert.match(await text(3, 'starttls'), /not offered/);
    assert.equal(await cell(3, 'starttls').getAttribute('data-differs'), 'true');
    assert.match(await text(4, 'certificate'), /expired \d+ days ago/);
    assert.equal(await cell(4, 'certificate').getAttribute('data-differs'), 'true');
    assert.equal(await cell(0, 'connect').getAttribute('data-differs'), null, 'the usual verdict is not highlighted');
    // Never colour alone: every cell says its verdict in words for assistive technology and shows an icon.
    assert.match(await text(4, 'certificate'), /✕/);

    await page.screenshot({ path: join(DOCS, 'mx-health-light.png') });
    await assertAccessible(page, 'MX health matrix (light)');
    await page.close();
  });

  test('the matrix is one tab stop, arrow keys move between cells, and the focused check is explained', async () => {
    const page = await openApp();
    await checkDomain(page, 'health.test');
    const grid = page.getByRole('grid', { name: 'MX health of health.test' });
    assert.equal(await grid.locator('[tabindex="0"]').count(), 1);
    await grid.locator('[tabindex="0"]').focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    const focused = page.locator(':focus');
    assert.equal(await focused.getAttribute('data-check'), 'starttls');
    assert.match(await page.locator('.health-detail').innerText(), /v6\.health\.test \(::1\) · STARTTLS: Fail.*unencrypted/);
    await page.keyboard.press('Home');
    assert.equal(await page.locator(':focus').getAttribute('data-cell'), '3-0');
    await page.keyboard.press('Control+End');
    assert.equal(await page.locator(':focus').getAttribute('data-cell'), '4-6');
    // Enter opens the probe's own event stream as a session log: the conversation, and no MAIL FROM in it.
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Enter');
    const log = page.getByRole('region', { name: 'Probe log of mx.health.test (127.0.0.31)' });
    await log.waitFor(WAIT);
    const logText = await log.innerText();
    assert.match(logText, /STARTTLS/);
    assert.match(logText, /QUIT/);
    assert.doesNotMatch(logText, /MAIL FROM/);
    // The probe's events export like a session's: the same format, which History can open again.
    const [download] = await Promise.all([page.waitForEvent('download'), log.getByRole('button', { name: 'Save events JSON' }).click()]);
    const saved = join(dir(), 'probe.events.json');
    await download.saveAs(saved);
    const parsed = parseEventsExport(readFileSync(saved, 'utf8'));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
    assert.equal(parsed.value.events.at(-1)?.kind, 'probe_result');
    await log.getByRole('button', { name: 'Waterfall' }).click();
    await log.getByRole('region', { name: 'Waterfall' }).waitFor(WAIT);
    assert.match(await log.innerText(), /Whole session/);
    await log.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'mx-health-log.png') });
    await page.close();
  });

  test('when every MX is filtered the egress message says port 25 looks blocked and offers the relay', async () => {
    const page = await openApp('dark');
    await checkDomain(page, 'blocked.test');
    assert.equal(await page.locator('[data-health-verdict]').getAttribute('data-health-verdict'), 'undeliverable');
    const egress = page.locator('[data-egress]');
    assert.equal(await egress.getAttribute('data-egress'), 'filtered');
    assert.match(await egress.innerText(), /typical of an ISP or cloud provider blocking outbound port/);
    assert.match(await egress.innerText(), /587 \(STARTTLS\) or 465/);
    // The same probe against the relay the user names.
    await page.getByLabel('Relay', { exact: true }).fill('127.0.0.32');
    await page.getByRole('button', { name: 'Check relay' }).click();
    await page.locator('[data-relay]').waitFor(WAIT);
    assert.match(await page.locator('[data-relay]').innerText(), /No way out works through 127\.0\.0\.32: port 587 fails at connect: refused; port 465 fails at connect: refused/);
    await page.screenshot({ path: join(SHOTS, 'mx-health-blocked-dark.png'), fullPage: true });
    await assertAccessible(page, 'MX health, egress blocked (dark)');
    await page.close();
  });

  test('dark theme, and a narrower window, keep the matrix readable', async () => {
    const page = await openApp('dark');
    await checkDomain(page, 'health.test');
    await page.screenshot({ path: join(DOCS, 'mx-health-dark.png') });
    await assertAccessible(page, 'MX health matrix (dark)');
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: join(SHOTS, 'mx-health-1024.png') });
    const overflow = await page.getByRole('grid').evaluate((g) => g.scrollWidth - g.clientWidth);
    assert.ok(overflow <= 1, `the grid fits at 1024 px (overflow ${overflow})`);
    await page.close();
  });

  test('a finished check is kept in History: its verdict, matrix and each address\'s log open again', async () => {
    const page = await openApp();
    await checkDomain(page, 'health.test');
    await page.getByRole('tab', { name: 'History' }).click();
    const item = page.getByRole('list', { name: 'Past sessions' }).getByRole('button').filter({ hasText: 'health.test' }).first();
    await item.waitFor(WAIT);
    await item.click();
    const detail = page.locator('.check-detail');
    await detail.waitFor(WAIT);
    assert.match(await detail.innerText(), /health\.test/);
    const grid = detail.getByRole('grid');
    await grid.waitFor(WAIT);
    assert.equal(await grid.locator('tbody tr').count(), 5);
    assert.equal(await detail.getByRole('button', { name: 'Run again' }).count(), 0, 'a check has nothing to run again from the Send panel');
    await page.screenshot({ path: join(SHOTS, 'history-check.png') });
    await assertAccessible(page, 'history: a past MX health check');
    await page.close();
  });

  test('"Check automatically after each lookup" runs the check without the button', async () => {
    const page = await openApp();
    await page.getByLabel('Domain or e-mail address').fill('blocked.test');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.locator('[data-verdict]').waitFor(WAIT);
    await page.getByLabel('Check automatically after each lookup').check();
    await page.getByLabel('Port to check').fill(String(port));
    await page.getByLabel('Domain or e-mail address').fill('health.test');
    await page.getByRole('button', { name: 'Look up' }).click();
    // The port field keeps its value between lookups, so the automatic run checks the test port.
    await page.locator('[data-health-verdict]').waitFor(WAIT);
    assert.equal(await page.getByRole('grid', { name: 'MX health of health.test' }).locator('tbody tr').count(), 5);
    // The choice is remembered (localStorage); leave it off for whoever opens a page next.
    await page.getByLabel('Check automatically after each lookup').uncheck();
    await page.close();
  });
});
