// Page helpers for the sending window's ui tests (test/ui/send-*.test.ts). They drive the page the way a
// person does: labels, roles and keys, never component internals.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright';

export const WAIT = { timeout: 15_000 };

export interface SendPage {
  page: Page;
  /** Script errors and console errors seen so far. */
  errors: string[];
  /** Text of every WebSocket frame the page received. */
  frames: string[];
}

export async function openSendPage(browser: Browser, url: string, opts: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {}): Promise<SendPage> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 820 }, colorScheme: opts.colorScheme ?? 'light' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  const page = await context.newPage();
  const errors: string[] = [];
  const frames: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    errors.push(`unexpected dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => frames.push(typeof payload === 'string' ? payload : payload.toString('utf8'))));
  await page.goto(url);
  await page.getByRole('tab', { name: 'Send' }).click();
  await page.getByLabel('From', { exact: true }).waitFor(WAIT);
  return { page, errors, frames };
}

export async function fillMessage(page: Page, m: { from: string; to: string; subject?: string; text?: string }): Promise<void> {
  await page.getByLabel('From', { exact: true }).fill(m.from);
  await page.getByLabel('To', { exact: true }).fill(m.to);
  if (m.subject !== undefined) await page.getByLabel('Subject', { exact: true }).fill(m.subject);
  if (m.text !== undefined) await page.getByLabel('Text body', { exact: true }).fill(m.text);
}

/** "A specific server" at host:port. */
export async function chooseServer(page: Page, host: string, port: number): Promise<void> {
  await page.getByLabel('A specific server').check();
  await page.getByLabel('Server', { exact: true }).fill(host);
  await page.getByLabel('Port', { exact: true }).fill(String(port));
}

export async function chooseTls(page: Page, label: string): Promise<void> {
  await page.getByLabel('TLS', { exact: true }).selectOption({ label });
}

/** Waits for the Send panel's final banner and returns its tone (ok, error, warn, neutral) and text. */
/** A send through a loopback AUTH relay without TLS (the explicit plaintext allowance), started with Send. */
export async function sendWithPlaintextAuth(page: Page, m: { subject: string; port: number; user: string; password: string }): Promise<void> {
  await fillMessage(page, { from: 'ann@example.test', to: 'bob@example.test', subject: m.subject, text: 'Authenticated.' });
  await chooseServer(page, '127.0.0.1', m.port);
  await chooseTls(page, 'No TLS (plain text)');
  await page.getByLabel('AUTH', { exact: true }).check();
  await page.getByLabel('User', { exact: true }).fill(m.user);
  await page.getByLabel('Password', { exact: true }).fill(m.password);
  await page.getByLabel('Allow AUTH without TLS to a loopback relay').check();
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

export async function waitForOutcome(page: Page, timeout = 20_000): Promise<{ tone: string; text: string }> {
  const banner = page.locator('#panel-send .outcome-banner:not([data-tone="info"])');
  await banner.waitFor({ timeout });
  return { tone: (await banner.getAttribute('data-tone')) ?? '', text: (await banner.innerText()).replace(/\s+/g, ' ') };
}

/**
 * Polls an in-page expression (text: the test tsconfig has no DOM types) until it is truthy. Playwright's
 * waitForFunction would eval() the text inside the page, which the app's CSP (no 'unsafe-eval') refuses.
 */
export async function waitForTruthy<T>(page: Page, expression: string, timeout = WAIT.timeout): Promise<T> {
  const until = Date.now() + timeout;
  for (;;) {
    const value = await page.evaluate<T>(expression);
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeout} ms waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The whole session log as transcript text, through the log's own "Copy shown" button. */
export async function copyLog(page: Page): Promise<string> {
  // In-page code as text: the test tsconfig has no DOM types.
  await page.evaluate("navigator.clipboard.writeText('')");
  await page.getByRole('button', { name: 'Copy shown' }).click();
  return waitForTruthy<string>(page, 'navigator.clipboard.readText()');
}

export function assertNoPageErrors(p: SendPage): void {
  // The CSP meta tag's frame-ancestors warning is Chromium's, not ours.
  assert.deepEqual(
    p.errors.filter((e) => !/frame-ancestors/.test(e)),
    [],
    'no script errors or dialogs in the page',
  );
}
