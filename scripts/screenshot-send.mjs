// README screenshots of the sending window, from web mode: `npm run build && node scripts/screenshot-send.mjs`.
// (The MX inspector's shots are scripts/screenshot.mjs.) Builds nothing itself; needs root for the private
// Postfix. Peers, all on loopback and started here with the ui tests' own helpers:
//   - dnsmasq (TEST_ZONE): fallback.test has a refusing best MX (127.0.0.3) and a second MX on 127.0.0.1;
//   - a scripted server with a 700 ms greet delay and STARTTLS, behind a proxy that adds a 40 ms round trip,
//     so the waterfall has network time, server time and a named greet delay to show;
//   - a private Postfix for step mode.
// Writes docs/screenshots/send-{compose,session,step,waterfall}-{light,dark}.png (compose shows the Preview).
/* global document, requestAnimationFrame */
import { blur, requireBuild, savePng, support, withWebUi } from './screenshot-harness.mjs';

requireBuild();

const { startPostfix } = support('postfix');
const { startDelayProxy } = support('delay-proxy');
const { startHostileServer, reply, expect, expectData, delay, startTls, close } = support('hostile-server');
const { makeCert } = support('certs');

const VIEWPORT = { width: 1280, height: 800 };
// The compose shot is taller, so headers, body and the envelope-vs-headers note fit in one picture.
const COMPOSE_VIEWPORT = { width: 1280, height: 1040 };
const EHLO = ['mx.example.test', 'PIPELINING', 'SIZE 10485760', 'STARTTLS', 'ENHANCEDSTATUSCODES', '8BITMIME', 'SMTPUTF8'];
const ehlo = (keywords) => reply(...keywords.map((l, i) => `250${i === keywords.length - 1 ? ' ' : '-'}${l}`));

/** A well-behaved server, except that it waits 700 ms before its banner (greet delay). */
function greetDelayScript(cert) {
  return [
    delay(700),
    reply('220 mx.example.test ESMTP ready'),
    expect(/^EHLO /i),
    ehlo(EHLO),
    expect(/^STARTTLS$/i),
    reply('220 2.0.0 Ready to start TLS'),
    startTls({ cert: cert.cert, key: cert.key }),
    expect(/^EHLO /i),
    ehlo(EHLO.filter((k) => k !== 'STARTTLS')),
    expect(/^MAIL FROM:/i),
    reply('250 2.1.0 Ok'),
    expect(/^RCPT TO:/i),
    reply('250 2.1.5 Ok'),
    expect(/^RCPT TO:/i),
    reply('250 2.1.5 Ok'),
    expect(/^DATA$/i),
    reply('354 End data with <CR><LF>.<CR><LF>'),
    expectData(),
    reply('250 2.0.0 Ok: queued as 4F1B2C3D4E'),
    expect(/^QUIT$/i),
    reply('221 2.0.0 Bye'),
    close(),
  ];
}

/** The next two animation frames: the virtual log list measures and draws its rows in them. */
async function settle(page) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** Scrolls an element (the form, the log) to `top` px without focusing or selecting anything in it. */
async function scrollTo(page, selector, top) {
  await page.evaluate(([sel, y]) => {
    const el = document.querySelector(sel);
    if (el) el.scrollTop = y;
  }, [selector, top]);
  await settle(page);
}

/** Scrolls the session log so that the first row holding `text` is its top row (rows are absolutely placed). */
async function scrollLogTo(page, text) {
  await page.evaluate((t) => {
    const row = [...document.querySelectorAll('#panel-send .log-row')].find((r) => r.textContent.includes(t));
    const top = row ? Number(/translateY\(([\d.]+)px\)/.exec(row.style.transform)?.[1] ?? 0) : 0;
    const log = document.querySelector('#panel-send .log-scroll');
    if (log) log.scrollTop = top;
  }, text);
  await settle(page);
}

async function shoot(page, name, scheme) {
  await savePng(page, `send-${name}-${scheme}.png`);
}

async function fillCompose(page, proxyPort) {
  await page.getByRole('tab', { name: 'Send' }).click();
  await page.getByLabel('From', { exact: true }).fill('Ann Example <ann@example.test>');
  await page.getByLabel('To', { exact: true }).fill('Bob <bob@fallback.test>');
  await page.getByLabel('Bcc', { exact: true }).fill('audit@fallback.test');
  await page.getByLabel('Subject', { exact: true }).fill('Quarterly report');
  await page.getByLabel('Text body', { exact: true }).fill('Hi Bob,\n\nthe report is attached.\n.\nA line with a lone dot, stuffed on the wire.\n\nAnn');
  await page.getByRole('textbox', { name: 'Port', exact: true }).fill(String(proxyPort));
  await page.getByLabel('Certificate', { exact: true }).selectOption('override-once');
  await page.locator('.mx-target').getByText('down.fallback.test', { exact: true }).waitFor({ timeout: 10_000 });
}

await withWebUi(async ({ browser, web, keep }) => {
  const cert = makeCert('self-signed');
  const hostile = keep(await startHostileServer(() => greetDelayScript(cert)));
  const proxy = keep(await startDelayProxy({ targetPort: hostile.port, delayMs: 20 }));
  const postfix = keep(await startPostfix());
  for (const colorScheme of ['light', 'dark']) {
    const page = await browser.newPage({ viewport: VIEWPORT, colorScheme, deviceScaleFactor: 1 });
    await page.goto(web.url);
    await page.setViewportSize(COMPOSE_VIEWPORT);
    await fillCompose(page, proxy.port);
    // Beside the form, the Preview: the exact DATA bytes with CRLFs and the stuffed dot visible.
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.locator('.stuffed-dot').first().waitFor({ timeout: 10_000 });
    await blur(page);
    await scrollTo(page, '.compose-column', 0);
    await shoot(page, 'compose', colorScheme);
    await page.setViewportSize(VIEWPORT);

    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('#panel-send .outcome-banner:not([data-tone="info"])').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Hide the form' }).click();
    // Past the DNS rows, to the fallback and the start of the dialog.
    await scrollTo(page, '.log-scroll', 0);
    await scrollLogTo(page, 'Connecting to down.fallback.test');
    await blur(page);
    await shoot(page, 'session', colorScheme);

    await page.getByRole('tab', { name: 'Waterfall' }).click();
    await blur(page);
    await shoot(page, 'waterfall', colorScheme);

    // Step mode against Postfix: an edited EHLO, then a VRFY; paused at the suggested MAIL FROM.
    await page.getByRole('button', { name: 'Show the form' }).click();
    await page.getByRole('tab', { name: 'Session log' }).click();
    await page.getByLabel('A specific server').check();
    await page.getByLabel('Server', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Port', { exact: true }).fill(String(postfix.port));
    await page.getByLabel('To', { exact: true }).fill('Bob <bob@example.test>');
    await page.getByLabel('Bcc', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    const command = page.getByRole('textbox', { name: 'Next command' });
    await command.waitFor({ timeout: 10_000 });
    await command.fill('EHLO desk.example.test');
    await command.press('Enter');
    await page.locator('.log-row', { hasText: 'desk.example.test' }).first().waitFor({ timeout: 10_000 });
    // The next prompt replaces the edited EHLO with its own suggestion; VRFY… must come after that.
    await page.locator('#step-command:not([value^="EHLO"])').waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'VRFY…' }).click();
    await command.press('Enter');
    await page.locator('.log-row .code-badge', { hasText: '252' }).waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Hide the form' }).click();
    await page.getByRole('button', { name: 'Show the form' }).waitFor();
    await settle(page);
    await blur(page);
    await shoot(page, 'step', colorScheme);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('.outcome-banner:not([data-tone="info"])').waitFor({ timeout: 10_000 });
    await page.close();
  }
});
