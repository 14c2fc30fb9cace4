// Settings and saved targets in web mode: the theme overrides the system colour scheme and is kept; the
// timeouts preset and the HELO name go with the next send; web mode says it never stores passwords and a
// profile shows only "password saved: no"; a saved target fills the Send form, which asks for the password;
// the default resolver serves the MX inspector too. Needs `npm run build` first.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright';
import type { SessionRequest } from '../../shared/model';
import { QUICK_TIMEOUTS } from '../../shared/store-model';
import { dataPaths } from '../../electron/store/data-dir';
import { assertAccessible } from '../support/axe';
import { freePort } from '../support/free-port';
import { startSilentDns } from '../support/silent-dns';
import type { SilentDns } from '../support/silent-dns';
import { stopAll } from '../support/stop-all';
import { tempDirs } from '../support/temp-dirs';
import type { WebMode } from '../support/web-mode';
import { startWebUi } from '../support/web-ui';
import { assertNoPageErrors, chooseServer, fillMessage, openSendPage, waitForOutcome, WAIT } from './send-page';

const tempDir = tempDirs('mxdesk-settings-ui-');

describe('settings and saved targets (web mode, Chromium)', () => {
  let dataDir: string;
  let web: WebMode;
  let browser: Browser;
  /** A resolver that answers SERVFAIL to everything: the Settings' default resolver in the last test. */
  let servfail: SilentDns;

  before(async () => {
    dataDir = tempDir();
    ({ web, browser } = await startWebUi({ dataDir }));
    servfail = await startSilentDns({ rcode: 2 });
  });

  after(() => stopAll(browser, web, servfail));

  const settings = (page: Page): Locator => page.locator('#panel-settings');

  async function openSettings(page: Page): Promise<void> {
    await page.getByRole('tab', { name: 'Settings' }).click();
    await settings(page).getByRole('heading', { name: 'Settings' }).waitFor(WAIT);
  }

  /** Fills Settings' "Add a target or relay" form (not submitted); `tls` is the option's label. */
  async function fillProfile(page: Page, p: { name: string; host: string; port: string; tls: string; user: string }): Promise<Locator> {
    const form = settings(page).getByRole('form', { name: 'New profile' });
    await form.getByRole('textbox', { name: 'Name' }).fill(p.name);
    await form.getByRole('textbox', { name: 'Server' }).fill(p.host);
    await form.getByRole('textbox', { name: 'Port' }).fill(p.port);
    await form.getByRole('combobox', { name: 'TLS' }).selectOption({ label: p.tls });
    await form.getByRole('textbox', { name: 'AUTH user' }).fill(p.user);
    return form;
  }

  async function background(page: Page): Promise<string> {
    return (await page.evaluate('getComputedStyle(document.body).backgroundColor')) as string;
  }

  async function theme(page: Page): Promise<string | null> {
    return page.locator('html').getAttribute('data-theme');
  }

  test('the theme overrides the system colour scheme, and is kept across a reload', async () => {
    const p = await openSendPage(browser, web.url, { colorScheme: 'light' });
    const { page } = p;
    const light = await background(page);
    await openSettings(page);
    await settings(page).getByLabel(/^Dark/).check();
    await settings(page).getByText(/^Settings saved \d{2}:\d{2}:\d{2}$/).waitFor(WAIT);
    assert.equal(await theme(page), 'dark');
    const dark = await background(page);
    assert.notEqual(dark, light, 'the page turned dark while the system is light');
    await assertAccessible(page, 'Settings, dark theme forced while the system is light');

    await page.reload();
    await page.getByRole('tab', { name: 'MX inspector' }).waitFor(WAIT);
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached', ...WAIT });
    assert.equal(await background(page), dark, 'still dark after a reload');

    await openSettings(page);
    await settings(page).getByLabel(/^System/).check();
    await settings(page).getByText(/^Settings saved/).waitFor(WAIT);
    assert.equal(await theme(page), null, 'system: no override');
    assert.equal(await background(page), light);
    assertNoPageErrors(p);
    await page.context().close();
  });

  test('the quick-diagnose timeouts and the HELO name setting go with the next send', async () => {
    const p = await openSendPage(browser, web.url);
    const { page } = p;
    await openSettings(page);
    await settings(page).getByLabel(/^Quick diagnose/).check();
    await settings(page).getByText(/^Settings saved/).waitFor(WAIT);
    const helo = settings(page).getByRole('textbox', { name: 'HELO name' });
    await helo.fill('settings.example.test');
    await helo.press('Enter');
    await settings(page).getByRole('button', { name: 'Save' }).and(page.locator(':disabled')).waitFor(WAIT);

    await page.getByRole('tab', { name: 'Send' }).click();
    const send = page.locator('#panel-send');
    assert.equal(await send.getByRole('textbox', { name: 'HELO name' }).inputValue(), 'settings.example.test', 'the prefill is the setting');
    await fillMessage(page, { from: 'ann@example.test', to: 'bob@example.test', subject: 'Settings', text: 'x' });
    // A port nobody listens on: the send is refused at once, which is all this test needs.
    await chooseServer(page, '127.0.0.1', await freePort());
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    assert.equal((await waitForOutcome(page)).tone, 'error');

    const dir = dataPaths(dataDir).history;
    const file = readdirSync(dir).find((n) => n.endsWith('.request.json'));
    assert.ok(file, 'the run-again request was journaled');
    const req = JSON.parse(readFileSync(join(dir, file), 'utf8')) as SessionRequest;
    assert.equal(req.heloName, 'settings.example.test');
    assert.deepEqual(req.timeouts, QUICK_TIMEOUTS);
    assertNoPageErrors(p);
    await page.context().close();
  });

  test('web mode says passwords are never stored, and a saved target shows only "password saved: no"', async () => {
    const p = await openSendPage(browser, web.url);
    const { page } = p;
    await openSettings(page);
    const note = settings(page).locator('[data-secret-storage]');
    await note.waitFor(WAIT);
    assert.equal(await note.getAttribute('data-secret-storage'), 'none');
    assert.match(await note.innerText(), /Passwords are never stored in web mode/);

    const form = await fillProfile(page, { name: 'Office relay', host: '127.0.0.1', port: '2525', tls: 'No TLS', user: 'ann' });
    assert.equal(await form.getByLabel('Password').isDisabled(), true, 'no password field where nothing can be kept');
    await form.getByRole('button', { name: 'Add profile' }).click();

    const row = settings(page).getByRole('row', { name: /Office relay/ });
    await row.waitFor(WAIT);
    const cells = (await row.innerText()).replace(/\s+/g, ' ');
    assert.match(cells, /Office relay 127\.0\.0\.1:2525 no TLS ann no/);
    await settings(page).getByText(/Added “Office relay”\. Password saved: no\./).waitFor(WAIT);
    assertNoPageErrors(p);
    await page.context().close();
  });

  test('a saved target fills the Send form, which asks for the password that web mode never keeps', async () => {
    const p = await openSendPage(browser, web.url);
    const { page } = p;
    await openSettings(page);
    const form = await fillProfile(page, { name: 'Lab submission', host: 'relay.lab.example.test', port: '587', tls: 'STARTTLS required (587)', user: 'lab-user' });
    await form.getByRole('button', { name: 'Add profile' }).click();
    await settings(page).getByText(/Added “Lab submission”/).waitFor(WAIT);

    await page.getByRole('tab', { name: 'Send' }).click();
    const send = page.locator('#panel-send');
    const picker = send.getByRole('combobox', { name: 'Saved target' });
    await picker.selectOption({ label: 'Lab submission — relay.lab.example.test:587 (lab-user, password not saved)' });
    assert.equal(await send.getByLabel('A specific server').isChecked(), true);
    assert.equal(await send.getByLabel('Server', { exact: true }).inputValue(), 'relay.lab.example.test');
    assert.equal(await send.getByLabel('Port', { exact: true }).inputValue(), '587');
    assert.equal(await send.getByLabel('TLS', { exact: true }).inputValue(), 'starttls');
    assert.equal(await send.getByLabel('AUTH', { exact: true }).isChecked(), true);
    assert.equal(await send.getByLabel('User', { exact: true }).inputValue(), 'lab-user');
    const password = send.getByLabel('Password', { exact: true });
    assert.equal(await password.inputValue(), '', 'no password reaches the page');
    assert.match((await password.getAttribute('aria-describedby')) ?? '', /\S/);
    await send.getByText('None is saved with “Lab submission”: type it.').waitFor(WAIT);

    // Another port is another server: the saved target no longer applies, and the picker says so.
    await send.getByLabel('Port', { exact: true }).fill('2587');
    assert.equal(await picker.inputValue(), '');
    await send.getByText('sent only to the server; never shown in the log').waitFor(WAIT);
    assertNoPageErrors(p);
    await page.context().close();
  });

  test('the default resolver of the Settings is the MX inspector’s default too', async () => {
    const p = await openSendPage(browser, web.url);
    const { page } = p;
    await openSettings(page);
    const resolver = settings(page).getByRole('textbox', { name: 'Default DNS resolver' });
    await resolver.fill(servfail.server);
    await resolver.press('Enter');
    await settings(page).getByRole('button', { name: 'Save' }).and(page.locator(':disabled')).waitFor(WAIT);

    await page.getByRole('tab', { name: 'MX inspector' }).click();
    const mx = page.locator('#panel-mx');
    const choice = mx.getByRole('radio', { name: `Default ${servfail.server} (Settings)` });
    assert.equal(await choice.isChecked(), true);
    await mx.getByLabel('Domain or e-mail address').fill('example.test');
    await mx.getByRole('button', { name: 'Look up' }).click();
    await mx.getByRole('status').getByText('Lookup failed, try again').waitFor(WAIT);
    assert.match(await mx.locator('dl.facts').innerText(), new RegExp(`Resolver\\s+${servfail.server.replace(/\./g, '\\.')}`), 'asked the resolver of the Settings');

    // Emptied again: the system's resolver, named as such.
    await openSettings(page);
    await settings(page).getByRole('textbox', { name: 'Default DNS resolver' }).fill('');
    await settings(page).getByRole('textbox', { name: 'Default DNS resolver' }).press('Enter');
    await settings(page).getByRole('button', { name: 'Save' }).and(page.locator(':disabled')).waitFor(WAIT);
    await page.getByRole('tab', { name: 'MX inspector' }).click();
    await mx.getByRole('radio', { name: 'System default' }).waitFor(WAIT);
    assertNoPageErrors(p);
    await page.context().close();
  });
});
