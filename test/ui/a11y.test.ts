// Accessibility of every screen (MX inspector, Send, History, Analyse, Settings) with axe-core, WCAG 2 A/AA plus one
// h1 and one main landmark per screen: idle, after a finished lookup, after a finished send (its log and
// outcome on screen, then listed and opened in History), in the light and the dark theme.
// Needs `npm run build` first (scripts/test.mjs does it).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import { SMTPServer } from 'smtp-server';
import { assertAccessible } from '../support/axe';
import { startDnsmasq, TEST_ZONE } from '../support/dnsmasq';
import type { Dnsmasq } from '../support/dnsmasq';
import { stopAll } from '../support/stop-all';
import type { WebMode } from '../support/web-mode';
import { startWebUi } from '../support/web-ui';
import { assertNoPageErrors, chooseServer, chooseTls, fillMessage, openSendPage, waitForOutcome, WAIT } from './send-page';

const SHOTS = join(__dirname, '..', '..', 'test-results', 'ui');
const THEMES = ['light', 'dark'] as const;

/** nodemailer's smtp-server on a free loopback port, accepting every message. */
async function startSink(): Promise<{ port: number; stop(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      stream.on('data', () => undefined);
      stream.on('end', () => done());
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('accessibility of every screen (axe-core, web mode, Chromium)', () => {
  let dns: Dnsmasq;
  let sink: { port: number; stop(): Promise<void> };
  let web: WebMode;
  let browser: Browser;

  before(async () => {
    dns = await startDnsmasq(TEST_ZONE);
    sink = await startSink();
    ({ web, browser } = await startWebUi({ dns: dns.server }));
    mkdirSync(SHOTS, { recursive: true });
  });

  after(() => stopAll(browser, web, sink, dns));

  async function showTab(page: Page, name: string): Promise<void> {
    await page.getByRole('tab', { name }).click();
    await page.getByRole('tab', { name, selected: true }).waitFor(WAIT);
    // Each screen has exactly one h1 (Settings renders its own once it has loaded).
    await page.locator('[role="tabpanel"]:not([hidden]) h1').waitFor({ state: 'attached', ...WAIT });
  }

  for (const theme of THEMES) {
    test(`every screen passes axe while idle (${theme})`, async () => {
      const p = await openSendPage(browser, web.url, { colorScheme: theme });
      const { page } = p;
      for (const tab of ['MX inspector', 'Send', 'History', 'Analyse', 'Settings']) {
        await showTab(page, tab);
        await assertAccessible(page, `${tab}, idle, ${theme}`);
      }
      assertNoPageErrors(p);
      await page.context().close();
    });

    test(`the MX inspector passes axe after a finished lookup (${theme})`, async () => {
      const p = await openSendPage(browser, web.url, { colorScheme: theme });
      const { page } = p;
      await showTab(page, 'MX inspector');
      await page.getByLabel('Domain or e-mail address').fill('example.test');
      await page.getByRole('button', { name: 'Look up' }).click();
      await page.getByRole('status').locator('[data-verdict]').waitFor(WAIT);
      await page.screenshot({ path: join(SHOTS, `a11y-mx-${theme}.png`) });
      await assertAccessible(page, `MX inspector, after a lookup, ${theme}`);
      assertNoPageErrors(p);
      await page.context().close();
    });

    test(`Send and History pass axe after a finished send (${theme})`, async () => {
      const p = await openSendPage(browser, web.url, { colorScheme: theme });
      const { page } = p;
      await fillMessage(page, { from: 'ann@example.test', to: 'bob@example.test', subject: `a11y ${theme}`, text: 'Hello.' });
      await chooseServer(page, '127.0.0.1', sink.port);
      await chooseTls(page, 'No TLS (plain text)');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await waitForOutcome(page);
      await page.screenshot({ path: join(SHOTS, `a11y-send-${theme}.png`) });
      await assertAccessible(page, `Send, after a delivery, ${theme}`);

      await showTab(page, 'History');
      await page.locator('#panel-history .history-item', { hasText: String(sink.port) }).first().click();
      await page.locator('#panel-history').getByRole('heading', { level: 2 }).first().waitFor(WAIT);
      await page.screenshot({ path: join(SHOTS, `a11y-history-${theme}.png`) });
      await assertAccessible(page, `History, a session opened, ${theme}`);
      assertNoPageErrors(p);
      await page.context().close();
    });
  }
});
