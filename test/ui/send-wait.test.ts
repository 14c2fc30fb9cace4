// A wait in the session log: while the server keeps the client waiting (here a greet delay), the log's last
// line says what is awaited and ticks the time waited; once the reply comes, that line is gone and the reply
// says how long it was waited for, of the time allowed. A wait is never a row of its own.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright';
import { delay, expect as expectLine, reply, startHostileServer } from '../support/hostile-server';
import type { HostileServer } from '../support/hostile-server';
import { acceptMessage, ehloReply } from '../support/smtp-script';
import { stopAll } from '../support/stop-all';
import type { WebMode } from '../support/web-mode';
import { startWebUi } from '../support/web-ui';
import { assertNoPageErrors, chooseServer, chooseTls, copyLog, fillMessage, openSendPage, waitForOutcome, WAIT } from './send-page';

const GREET_DELAY_MS = 1500;

describe('sending window: a wait in the log', () => {
  let server: HostileServer;
  let web: WebMode;
  let browser: Browser;

  before(async () => {
    server = await startHostileServer([delay(GREET_DELAY_MS), reply('220 mx.example.test ESMTP slow'), expectLine(/^EHLO /i), ehloReply('8BITMIME'), ...acceptMessage()]);
    ({ web, browser } = await startWebUi());
  });

  after(() => stopAll(browser, web, server));

  test('a pending wait ticks in the log, then folds into the reply it waited for', async () => {
    const p = await openSendPage(browser, web.url);
    const { page } = p;
    await fillMessage(page, { from: 'ann@example.test', to: 'bob@example.test', subject: 'Slow greeting', text: 'Hello.' });
    await chooseServer(page, server.host, server.port);
    await chooseTls(page, 'No TLS (plain text)');
    await page.getByRole('button', { name: 'Send', exact: true }).click();

    const pending = page.locator('#panel-send .log-wait');
    await pending.getByText(/^\d+(\.\d)? s so far$/).waitFor(WAIT);
    assert.match((await pending.innerText()).replace(/\s+/g, ' '), /Waiting: greeting within \d+ s \d+(\.\d)? s so far$/);

    assert.equal((await waitForOutcome(page)).tone, 'ok');
    assert.equal(await pending.count(), 0, 'no wait line once the session is over');
    const greeting = page.locator('#panel-send .log-row', { hasText: 'ESMTP slow' });
    const waited = (await greeting.locator('.log-latency').getAttribute('title')) ?? '';
    const m = /^waited (\d+) ms of 5 min 00 s$|^waited ([\d.]+) s of 5 min 00 s$/.exec(waited);
    assert.ok(m, waited);
    const ms = m[1] !== undefined ? Number(m[1]) : Number(m[2]) * 1000;
    assert.ok(ms >= GREET_DELAY_MS - 100, `waited ${ms} ms for a ${GREET_DELAY_MS} ms greet delay`);
    assert.doesNotMatch(await copyLog(page), /Waiting/, 'a wait is no row of its own');
    assertNoPageErrors(p);
    await page.context().close();
  });
});
