// History in web mode, end to end: real sessions against a private Postfix and an AUTH peer (nodemailer's
// smtp-server) are journaled by the host, listed, opened with their log and waterfall exactly as they
// were, exported without their password, opened again from the JSON export, run again and deleted. A
// journal without an end (written with the store's own journal sink, as a crash leaves it) shows as
// "interrupted — outcome unknown". Needs `npm run build` first (scripts/test.mjs does it).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright';
import { SMTPServer } from 'smtp-server';
import type { SessionEvent, SessionEventBody } from '../../shared/events';
import type { SessionRequest } from '../../shared/model';
import { dataPaths } from '../../electron/store/data-dir';
import { createJournalSink } from '../../electron/store/journal';
import { assertAccessible } from '../support/axe';
import { findCanary, scanDirForCanary } from '../support/canary';
import { postfixAvailable, startPostfix } from '../support/postfix';
import type { PostfixInstance } from '../support/postfix';
import { stopAll } from '../support/stop-all';
import type { WebMode } from '../support/web-mode';
import { startWebUi } from '../support/web-ui';
import { assertNoPageErrors, chooseServer, copyLog, fillMessage, openSendPage, sendWithPlaintextAuth, waitForOutcome, WAIT } from './send-page';
import type { SendPage } from './send-page';

const skip = postfixAvailable().ok ? false : postfixAvailable().reason;
const ROOT = join(__dirname, '..', '..');
// UPDATE_SCREENSHOTS=1 writes the README pictures; otherwise they go to test-results/ for a look.
const SHOTS = process.env.UPDATE_SCREENSHOTS ? join(ROOT, 'docs', 'screenshots') : join(ROOT, 'test-results', 'ui');
const USER = 'ann';
const CANARY = 'Hist0ry-Canary-pw!q7';
const SUBJECT = 'Quarterly report (history test)';
const INTERRUPTED_ID = 'crashed-session-0001';

/** A session as a crash leaves it: journaled up to the body and the final dot, no outcome. */
function seedInterruptedJournal(dataDir: string): void {
  const sink = createJournalSink(dataDir);
  const req: SessionRequest = {
    draft: {
      from: 'ops@example.test',
      to: 'sink@example.test',
      cc: '',
      bcc: '',
      replyTo: '',
      subject: 'Left in flight',
      customHeaders: [],
      text: 'This one was cut off.',
      html: '',
      attachments: [],
      mailFrom: 'ops@example.test',
      rcptTo: ['sink@example.test'],
      envelopeEdited: false,
      rawMode: false,
      raw: '',
    },
    target: { kind: 'host', host: 'relay.example.test', port: 25 },
    tls: 'none',
    certPolicy: 'verify',
    pipelining: true,
    chunking: false,
    mode: 'auto',
  };
  sink.begin(INTERRUPTED_ID, req);
  const sid = INTERRUPTED_ID;
  const timing = (sentAt: number, at: number) => ({ sentAt, firstByteAt: at - 0.4, completeAt: at });
  const bodies: Array<SessionEventBody & { at: number }> = [
    { kind: 'session_start', at: 0, startedAt: new Date(Date.now() - 3_600_000).toISOString(), target: 'relay.example.test:25', mode: 'auto', envelope: { mailFrom: 'ops@example.test', rcptTo: ['sink@example.test'] } },
    { kind: 'connect_attempt', at: 1, host: 'relay.example.test', address: '192.0.2.25', port: 25, family: 4 },
    { kind: 'connect_result', at: 31, host: 'relay.example.test', address: '192.0.2.25', port: 25, ok: true, ms: 30 },
    { kind: 'reply', at: 95, stage: 'greeting', code: 220, lines: ['relay.example.test ESMTP'], explanation: 'The server is ready.', timing: timing(31, 95) },
    { kind: 'command', at: 96, stage: 'ehlo', text: 'EHLO client.example.test', pipelined: false, bytes: 26 },
    { kind: 'reply', at: 128, stage: 'ehlo', code: 250, lines: ['relay.example.test', 'PIPELINING', '8BITMIME'], explanation: 'The server listed its extensions.', timing: timing(96, 128) },
    { kind: 'command', at: 129, stage: 'mail', text: 'MAIL FROM:<ops@example.test>', pipelined: true, bytes: 30 },
    { kind: 'command', at: 129, stage: 'rcpt', text: 'RCPT TO:<sink@example.test>', pipelined: true, bytes: 29 },
    { kind: 'command', at: 129, stage: 'data', text: 'DATA', pipelined: true, bytes: 6 },
    { kind: 'reply', at: 160, stage: 'mail', code: 250, lines: ['2.1.0 Ok'], explanation: 'The sender was accepted.', timing: timing(129, 160) },
    { kind: 'reply', at: 160, stage: 'rcpt', code: 250, lines: ['2.1.5 Ok'], explanation: 'Recipient accepted.', timing: timing(129, 160) },
    { kind: 'recipient', at: 160, rcpt: 'sink@example.test', accepted: true, code: 250, text: '2.1.5 Ok' },
    { kind: 'reply', at: 161, stage: 'data', code: 354, lines: ['End data with <CR><LF>.<CR><LF>'], explanation: 'Go ahead with the message.', timing: timing(129, 161) },
    { kind: 'data_body', at: 170, bytes: 180, lines: 6, preview: 'Subject: Left in flight\r\n\r\nThis one was cut off.', truncated: false, method: 'DATA' },
    { kind: 'wait', at: 170, stage: 'body', deadlineMs: 600_000, what: 'the reply to the final dot' },
  ];
  bodies.forEach((b, seq) => sink.onEvent({ ...b, sessionId: sid, seq }));
  sink.closeAll();
}

describe('History (web mode, Chromium, private Postfix, AUTH peer)', { skip }, () => {
  let postfix: PostfixInstance;
  let auth: SMTPServer;
  let authPort: number;
  let dataDir: string;
  let web: WebMode;
  let browser: Browser;
  let p: SendPage;
  let liveLog = '';
  let liveBanner = '';

  before(async () => {
    postfix = await startPostfix();
    auth = new SMTPServer({
      authMethods: ['PLAIN', 'LOGIN'],
      allowInsecureAuth: true,
      hideSTARTTLS: true,
      logger: false,
      onAuth: (a, _s, cb) => (a.username === USER && a.password === CANARY ? cb(null, { user: USER }) : cb(new Error('Invalid username or password'))),
      onData(stream, _s, cb) {
        stream.resume();
        stream.on('end', () => cb(null, 'queued as HISTAUTH1'));
      },
    });
    await new Promise<void>((r) => auth.listen(0, '127.0.0.1', r));
    authPort = (auth.server.address() as AddressInfo).port;
    dataDir = mkdtempSync(join(tmpdir(), 'mxdesk-history-ui-'));
    seedInterruptedJournal(dataDir);
    ({ web, browser } = await startWebUi({ dataDir }));
    mkdirSync(SHOTS, { recursive: true });
    p = await openSendPage(browser, web.url);
  });

  after(async () => {
    await p?.page.context().close();
    await stopAll(browser, web);
    await new Promise<void>((r) => (auth ? auth.close(() => r()) : r()));
    await postfix?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const history = (page: Page): Locator => page.locator('#panel-history');
  const item = (page: Page, target: string | RegExp, status?: RegExp): Locator => {
    const l = history(page).locator('.history-item', { hasText: target });
    return status ? l.filter({ hasText: status }) : l;
  };
  /** The first Postfix session: delivered (the refused one went to the same server). */
  const delivered = (page: Page): Locator => item(page, `127.0.0.1:${postfix.port}`, /^Delivered/).last();

  async function openHistory(page: Page): Promise<void> {
    await page.getByRole('tab', { name: 'History' }).click();
    await history(page).locator('.history-item').first().waitFor(WAIT);
  }

  async function sendToPostfix(page: Page): Promise<{ tone: string; text: string }> {
    await page.getByRole('tab', { name: 'Send' }).click();
    await fillMessage(page, { from: 'Ann Example <ann@example.test>', to: 'sink@example.test', subject: SUBJECT, text: 'Numbers attached.\n.\nA lone dot above.' });
    await chooseServer(page, '127.0.0.1', postfix.port);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    return waitForOutcome(page);
  }

  /** Export → Save <label>: the file the page offered. */
  async function saveExport(page: Page, label: RegExp): Promise<{ name: string; path: string; text: string }> {
    await history(page).getByRole('button', { name: /^Export/ }).click();
    const [download] = await Promise.all([page.waitForEvent('download', WAIT), history(page).getByRole('button', { name: label }).click()]);
    const path = join(dataDir, '..', `${download.suggestedFilename()}-${Date.now()}`);
    await download.saveAs(path);
    const text = readFileSync(path, 'utf8');
    rmSync(path, { force: true });
    return { name: download.suggestedFilename(), path, text };
  }

  test('a session journaled as it ran is listed with its date, target, envelope, outcome and duration', async () => {
    const { page } = p;
    const outcome = await sendToPostfix(page);
    assert.equal(outcome.tone, 'ok', outcome.text);
    liveBanner = outcome.text;
    liveLog = await copyLog(page);

    await openHistory(page);
    const row = delivered(page);
    await row.waitFor(WAIT);
    const text = (await row.innerText()).replace(/\s+/g, ' ');
    assert.match(text, new RegExp(`^Delivered \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} 127\\.0\\.0\\.1:${postfix.port} \\d+(\\.\\d)? (ms|s) `), text);
    assert.match(text, /ann@example\.test → sink@example\.test/);

    // A relay refusal is journaled too, as not delivered (Postfix relays for its own domains only).
    await page.getByRole('tab', { name: 'Send' }).click();
    await page.locator('#panel-send').getByLabel('To', { exact: true }).fill('someone@elsewhere.example');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    assert.equal((await waitForOutcome(page)).tone, 'error');
    await openHistory(page);
    await item(page, /Not delivered/).waitFor(WAIT);
    assert.match((await item(page, /Not delivered/).innerText()).replace(/\s+/g, ' '), /ann@example\.test → someone@elsewhere\.example/);

    // The crashed session: outcome unknown, and whether the final dot had gone out.
    const crashed = item(page, 'relay.example.test:25');
    assert.match((await crashed.innerText()).replace(/\s+/g, ' '), /^Interrupted .*outcome unknown · final dot sent$/);
    assertNoPageErrors(p);
  });

  test('a past session opens with its outcome, log and waterfall exactly as they were', async () => {
    const { page } = p;
    await delivered(page).click();
    const detail = history(page).locator('.history-detail');
    await detail.waitFor(WAIT);
    const banner = (await detail.locator('.outcome-banner').innerText()).replace(/\s+/g, ' ');
    assert.equal(banner, liveBanner, 'the same final word as when it ran');
    // A record is read from its start: the log opens at the top (the live one follows its tail).
    await detail.locator('.log-row').first().waitFor(WAIT);
    const scroll = await page.evaluate<{ top: number; overflow: boolean }>(
      "(() => { const el = document.querySelector('#panel-history .log-scroll'); return { top: el.scrollTop, overflow: el.scrollHeight > el.clientHeight }; })()",
    );
    assert.deepEqual(scroll, { top: 0, overflow: true });
    assert.equal(await copyLog(page), liveLog, 'the same log rows, row for row');

    await detail.getByRole('tab', { name: 'Waterfall' }).click();
    const phases = await detail.locator('.waterfall-table tbody th').allInnerTexts();
    assert.ok(phases.includes('banner') && phases.includes('EHLO') && phases.includes('QUIT'), phases.join(', '));
    await detail.getByRole('tab', { name: 'Session log' }).click();

    // The crashed one says what is known and what is not.
    await item(page, 'relay.example.test:25').click();
    const crashed = history(page).locator('.history-detail .outcome-banner');
    await crashed.getByText('Interrupted — outcome unknown').waitFor(WAIT);
    assert.match(await crashed.innerText(), /after the final dot had been sent[\s\S]*may have accepted/);
    // The wait it was in when MX Desk stopped is the log's last line, not a live countdown.
    const wait = history(page).locator('.log-wait');
    await wait.waitFor(WAIT);
    assert.match((await wait.innerText()).replace(/\s+/g, ' '), /Waiting: the reply to the final dot .*the record ends here$/);
  });

  test('exports hold no AUTH password, and the events JSON opens again, read-only and identical', async () => {
    const { page } = p;
    await page.getByRole('tab', { name: 'Send' }).click();
    await sendWithPlaintextAuth(page, { subject: 'AUTH for the history', port: authPort, user: USER, password: CANARY });
    const outcome = await waitForOutcome(page);
    assert.equal(outcome.tone, 'ok', `${outcome.text}\n${await copyLog(page)}`);

    await openHistory(page);
    await item(page, `127.0.0.1:${authPort}`).click();
    await history(page).locator('.history-detail .outcome-banner[data-tone="ok"]').waitFor(WAIT);
    const pastLog = await copyLog(page);
    assert.match(pastLog, /AUTH \w+.*‹redacted›|‹redacted›/);

    const transcript = await saveExport(page, /^Save Transcript/);
    assert.match(transcript.name, /\.txt$/);
    assert.match(transcript.text, /EHLO/);
    assert.deepEqual(findCanary(transcript.text, CANARY), [], 'no password in the transcript');

    const json = await saveExport(page, /^Save Events/);
    assert.match(json.name, /\.json$/);
    const parsed = JSON.parse(json.text) as { events: SessionEvent[] };
    assert.ok(parsed.events.length > 5);
    assert.deepEqual(findCanary(json.text, CANARY), [], 'no password in the events JSON');

    await page.evaluate("navigator.clipboard.writeText('')");
    await history(page).getByRole('button', { name: /^Export/ }).click();
    await history(page).getByRole('button', { name: /^Copy swaks/ }).click();
    await history(page).getByText('Copied the swaks command to the clipboard.').waitFor(WAIT);
    const swaks = (await page.evaluate('navigator.clipboard.readText()')) as string;
    assert.match(swaks, /swaks /);
    assert.deepEqual(findCanary(swaks, CANARY), [], 'no password in the swaks command');

    // Open the JSON again: the same rows, no actions that would change anything.
    // Handed over as bytes: a file on disk would be read lazily by Chromium, after a cleanup could remove it.
    await history(page)
      .getByLabel('Open export…')
      .setInputFiles({ name: 'reopen.json', mimeType: 'application/json', buffer: Buffer.from(json.text) });
    const opened = history(page).locator('.history-detail', { hasText: 'Opened export' });
    await opened.waitFor(WAIT);
    assert.equal(await copyLog(page), pastLog, 'the export opens as the session it came from');
    assert.equal(await opened.getByRole('button', { name: /Run again|Delete/ }).count(), 0, 'read-only');
    await opened.getByRole('button', { name: 'Close' }).click();

    assert.deepEqual(findCanary(await page.content(), CANARY), [], 'no password in the DOM');
    assert.deepEqual(findCanary(p.frames.join('\n'), CANARY), [], 'no password in any frame the page received');
    assert.deepEqual(scanDirForCanary(dataDir, CANARY), [], 'no password in the data directory');
  });

  test('Run again fills the Send panel with the stored message and target, and sends it again', async () => {
    const { page } = p;
    await openHistory(page);
    // The form still holds the AUTH send: the hand-over must replace all of it.
    await delivered(page).click();
    await history(page).getByRole('button', { name: 'Run again…' }).click();
    assert.equal(await page.getByRole('tab', { name: 'Send' }).getAttribute('aria-selected'), 'true');
    const send = page.locator('#panel-send');
    await send.getByText(/Loaded from History/).waitFor(WAIT);
    assert.equal(await send.getByLabel('Subject', { exact: true }).inputValue(), SUBJECT);
    assert.equal(await send.getByLabel('Server', { exact: true }).inputValue(), '127.0.0.1');
    assert.equal(await send.getByLabel('Port', { exact: true }).inputValue(), String(postfix.port));
    assert.equal(await send.getByLabel('AUTH', { exact: true }).isChecked(), false);

    const before = (await postfix.readDelivered()).length;
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    assert.equal((await waitForOutcome(page)).tone, 'ok');
    assert.equal((await postfix.readDelivered({ count: before + 1 })).length, before + 1);
    await openHistory(page);
    await history(page).getByText(/\b5 sessions\b/).waitFor(WAIT);
  });

  test('Delete asks first, then removes the session and its journal', async () => {
    const { page } = p;
    await openHistory(page);
    const target = item(page, `127.0.0.1:${authPort}`);
    const id = (await target.getAttribute('data-history-id')) ?? '';
    const journal = join(dataPaths(dataDir).history, `${id}.jsonl`);
    assert.ok(existsSync(journal), journal);
    await target.click();
    await history(page).getByRole('button', { name: 'Delete…' }).click();
    const confirm = history(page).getByRole('alertdialog');
    await confirm.getByRole('button', { name: 'Keep it' }).click();
    assert.equal(await confirm.count(), 0);
    assert.ok(existsSync(journal), 'kept when the user says keep');

    await history(page).getByRole('button', { name: 'Delete…' }).click();
    await history(page).getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await history(page).getByText('Session deleted.').waitFor(WAIT);
    await item(page, `127.0.0.1:${authPort}`).waitFor({ state: 'detached', ...WAIT });
    assert.equal(existsSync(journal), false, 'the journal is gone from disk');
    assertNoPageErrors(p);
  });

  test('screenshots: the list with an open session, its waterfall, and a crashed one, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await page.goto(web.url);
      await openHistory(page);
      await page.mouse.move(1279, 799);
      await delivered(page).click();
      await history(page).locator('.history-detail .outcome-banner').waitFor(WAIT);
      await page.evaluate('document.activeElement && document.activeElement.blur()');
      await page.screenshot({ path: join(SHOTS, `history-session-${colorScheme}.png`) });
      await assertAccessible(page, `History, a delivered session, ${colorScheme}`);
      await history(page).getByRole('tab', { name: 'Waterfall' }).click();
      await page.evaluate('document.activeElement && document.activeElement.blur()');
      await page.screenshot({ path: join(SHOTS, `history-waterfall-${colorScheme}.png`) });
      await assertAccessible(page, `History, a waterfall, ${colorScheme}`);
      await item(page, 'relay.example.test:25').click();
      await history(page).getByText('Interrupted — outcome unknown').first().waitFor(WAIT);
      await page.evaluate('document.activeElement && document.activeElement.blur()');
      await page.screenshot({ path: join(SHOTS, `history-interrupted-${colorScheme}.png`) });
      await assertAccessible(page, `History, an interrupted session, ${colorScheme}`);
      await context.close();
    }
  });
});
