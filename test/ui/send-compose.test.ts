// Composing in the sending window: an HTML alternative and an attachment picked with the file input, the
// Preview of the exact DATA bytes (CRLF and dot-stuffing visible, size against the server's SIZE once an
// EHLO told it), then delivery to a private Postfix with the attachment intact.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright';
import { assertAccessible } from '../support/axe';
import { postfixAvailable, startPostfix } from '../support/postfix';
import type { PostfixInstance } from '../support/postfix';
import { stopAll } from '../support/stop-all';
import type { WebMode } from '../support/web-mode';
import { startWebUi } from '../support/web-ui';
import { assertNoPageErrors, chooseServer, fillMessage, openSendPage, waitForOutcome, WAIT } from './send-page';

const skip = postfixAvailable().ok ? false : postfixAvailable().reason;
const ATTACHMENT = Buffer.from('col1,col2\n1,2\n', 'utf8');

describe('sending window: compose, preview and attachments', { skip }, () => {
  let postfix: PostfixInstance;
  let web: WebMode;
  let browser: Browser;

  before(async () => {
    postfix = await startPostfix();
    ({ web, browser } = await startWebUi());
  });

  after(() => stopAll(browser, web, postfix));

  test('previews the dot-stuffed bytes, then delivers the HTML alternative and the attachment', async () => {
    const p = await openSendPage(browser, web.url);
    const { page } = p;
    await fillMessage(page, { from: 'ann@example.test', to: 'sink@example.test', subject: 'Report', text: 'See attached.\n.hidden dot line\n' });
    await page.getByLabel('Add an HTML alternative').check();
    await page.getByLabel('HTML alternative', { exact: true }).fill('<p>See <b>attached</b>.</p>');
    await page.getByLabel('Add files…').setInputFiles({ name: 'report.csv', mimeType: 'text/csv', buffer: ATTACHMENT });
    await page.getByText('report.csv').waitFor(WAIT);

    // The preview: engine-built bytes, each line ending shown, the stuffed dot marked.
    await page.getByRole('tab', { name: 'Preview' }).click();
    const preview = page.getByRole('region', { name: 'Message preview' });
    await preview.locator('.stuffed-dot').first().waitFor(WAIT);
    const text = await preview.innerText();
    assert.match(text, /\d[\d,]* bytes on the wire/);
    assert.match(text, /\.\.hidden dot line\\r\\n/, 'the dot-stuffed line shows its extra dot and its CRLF');
    assert.match(text, /the server’s SIZE limit is known after/);
    await assertAccessible(page, 'Send, the message preview with an attachment');

    await chooseServer(page, '127.0.0.1', postfix.port);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const outcome = await waitForOutcome(page);
    assert.equal(outcome.tone, 'ok', outcome.text);

    // After the EHLO, the preview compares the size with Postfix's SIZE (50 MiB here).
    await page.getByRole('tab', { name: 'Preview' }).click();
    await preview.getByText(/fits .*SIZE 52,428,800 bytes/).waitFor(WAIT);

    const [file] = await postfix.readDelivered();
    const mail = file.toString('utf8');
    assert.match(mail, /Content-Type: text\/html/);
    assert.match(mail, /filename="?report\.csv"?/);
    assert.ok(mail.includes(ATTACHMENT.toString('base64').trim()) || mail.includes('col1,col2'), 'the attachment arrived intact');
    assertNoPageErrors(p);
    await page.context().close();
  });
});
