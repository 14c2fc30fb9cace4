// The engine against a private Postfix: every combination of plain/STARTTLS × PIPELINING × CHUNKING, one and
// ten recipients, dot traps and mixed line endings, a composed MIME message, and a 20 MiB message. Each
// delivered maildir file is compared byte for byte with what was meant (Postfix stores LF line ends and
// puts its trace headers on top, which are stripped first).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { postfixAvailable, startPostfix, stripDeliveryHeaders, type PostfixInstance } from '../support/postfix';
import { hostRequest, makeDraft, rawDraft, run } from '../support/session-fixtures';
import { MiB, assertMemoryBounded, measureMemory } from '../support/invariants';
import { fileMessageSource } from '../../electron/engine/message';

const skip = postfixAvailable().ok ? false : postfixAvailable().reason;

/** What maildir holds for a message we meant: every line ending as LF, and a final line end. */
function asDelivered(meant: string): Buffer {
  const lf = meant.replace(/\r\n|\r|\n/g, '\n');
  return Buffer.from(lf.endsWith('\n') ? lf : `${lf}\n`, 'utf8');
}

const DOT_TRAPS = [
  '.starts with a dot',
  '.',
  '..',
  'a line\r\n.\r\nthat looks like the end',
  'bare LF\n.\nbare LF dot',
  'bare CR\r.\rbare CR dot',
  'CR at end\r',
  '\nLF first',
  '. space after dot',
  '...three',
  'end without newline',
].join('\r\n');

const RAW_HEADERS = 'From: sender@example.test\r\nTo: rcpt@example.test\r\nSubject: dot traps\r\nMessage-ID: <traps@example.test>\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n\r\n';

describe('delivery to a private Postfix', { skip }, () => {
  let pf: PostfixInstance;
  before(async () => {
    pf = await startPostfix({ tls: true });
  });
  after(async () => {
    await pf?.stop();
  });
  beforeEach(async () => {
    await pf.clearDelivered();
  });

  for (const tls of ['none', 'starttls'] as const) {
    for (const pipelining of [true, false]) {
      for (const chunking of [true, false]) {
        const name = `${tls === 'none' ? 'plain' : 'STARTTLS'}, PIPELINING ${pipelining ? 'on' : 'off'}, CHUNKING ${chunking ? 'on' : 'off'}: dot traps arrive byte for byte`;
        test(name, async () => {
          const raw = RAW_HEADERS + DOT_TRAPS;
          const r = await run(hostRequest(pf.port, rawDraft(raw), { tls, certPolicy: 'override-once', pipelining, chunking }));
          assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
          assert.match(r.last.queueId ?? '', /^[0-9A-F]{6,}$/, 'the queue id is parsed from "queued as …"');
          const [file] = await pf.readDelivered({ count: 1 });
          assert.deepEqual(stripDeliveryHeaders(file), asDelivered(raw));
          const commands = r.of('command');
          const method = r.of('data_body')[0]?.method;
          assert.equal(method, chunking ? 'BDAT' : 'DATA');
          const mail = commands.find((c) => c.text.startsWith('MAIL'));
          assert.equal(mail?.pipelined, pipelining, 'MAIL is pipelined exactly when PIPELINING is on');
          if (tls === 'starttls') {
            const texts = commands.map((c) => c.text.split(' ')[0]);
            assert.deepEqual(texts.slice(0, 3), ['EHLO', 'STARTTLS', 'EHLO'], 'EHLO again after TLS (RFC 3207 §4.2)');
            assert.ok(r.of('tls').some((t) => t.phase === 'done' && t.overridden === true));
          }
          assert.equal(r.of('outcome').length, 1);
        });
      }
    }
  }

  test('with PIPELINING, MAIL, every RCPT and DATA go in one flight and QUIT follows the dot', async () => {
    const rcpts = Array.from({ length: 10 }, (_, i) => `user${i}@example.test`);
    const r = await run(hostRequest(pf.port, rawDraft(`${RAW_HEADERS}ten recipients\r\n`, rcpts), { chunking: false }));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    const t = r.transcript();
    const flight = t.slice(t.indexOf(t.find((l) => l.startsWith('> MAIL'))!), t.indexOf('> DATA') + 1);
    assert.equal(flight.length, 12, `no reply inside the MAIL…DATA flight: ${flight.join(' | ')}`);
    assert.equal(r.of('recipient').filter((x) => x.accepted).length, 10);
    const files = await pf.readDelivered({ count: 10 });
    assert.equal(files.length, 10, 'one maildir file per recipient');
    for (const f of files) assert.deepEqual(stripDeliveryHeaders(f), asDelivered(`${RAW_HEADERS}ten recipients\r\n`));
    // The QUIT was written right after the body, before the final reply (RFC 2920).
    const quitAt = t.indexOf('> QUIT');
    const finalAt = t.findIndex((l) => l.includes('queued as'));
    assert.ok(quitAt < finalAt, 'QUIT rides with the end of data');
  });

  test('10 recipients with CHUNKING ride in one flight with MAIL and the BDAT chunk', async () => {
    const rcpts = Array.from({ length: 10 }, (_, i) => `user${i}@example.test`);
    const r = await run(hostRequest(pf.port, rawDraft(`${RAW_HEADERS}bdat\r\n`, rcpts)));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    const t = r.transcript();
    const first = t.findIndex((l) => l.startsWith('> MAIL'));
    assert.deepEqual(
      t.slice(first, first + 13).map((l) => l.split(' ')[1].split(':')[0]),
      ['MAIL', ...Array(10).fill('RCPT'), 'BDAT', 'QUIT'],
      'MAIL, ten RCPT, BDAT LAST and QUIT before any reply',
    );
    assert.equal((await pf.readDelivered({ count: 10 })).length, 10);
  });

  test('a refused recipient does not stop the others (RFC 5321 §3.3)', async () => {
    const r = await run(hostRequest(pf.port, rawDraft(`${RAW_HEADERS}partial\r\n`, ['ok@example.test', 'nobody@elsewhere.invalid'])));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    assert.match(r.last.reason, /1 of 2 recipients/);
    const refused = r.of('recipient').find((x) => !x.accepted);
    assert.equal(refused?.rcpt, 'nobody@elsewhere.invalid');
    assert.equal((await pf.readDelivered({ count: 1 })).length, 1);
  });

  test('a composed message carries every header, no Bcc header, and the Bcc recipient only in the envelope', async () => {
    const draft = makeDraft({
      from: 'Sender Name <sender@example.test>',
      to: 'to@example.test',
      cc: 'cc@example.test',
      bcc: 'hidden@example.test',
      replyTo: 'reply@example.test',
      subject: 'Grüße — composed',
      customHeaders: [{ name: 'X-MX-Desk-Test', value: 'custom value' }],
      text: 'Plain text line one.\n.leading dot line\n',
      html: '<p>HTML alternative</p>',
      attachments: [{ filename: 'a.txt', contentType: 'text/plain', contentBase64: Buffer.from('attachment body').toString('base64') }],
    });
    const r = await run(hostRequest(pf.port, draft));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    const rcpts = r.of('command').filter((c) => c.text.startsWith('RCPT')).map((c) => c.text);
    assert.deepEqual(rcpts, ['RCPT TO:<to@example.test>', 'RCPT TO:<cc@example.test>', 'RCPT TO:<hidden@example.test>']);
    const files = await pf.readDelivered({ count: 3 });
    assert.equal(files.length, 3);
    const msg = stripDeliveryHeaders(files[0]).toString('utf8');
    const head = msg.slice(0, msg.indexOf('\n\n'));
    for (const h of [/^From: Sender Name <sender@example\.test>$/m, /^To: to@example\.test$/m, /^Cc: cc@example\.test$/m, /^Reply-To: reply@example\.test$/m, /^Subject: =\?UTF-8\?/m, /^X-MX-Desk-Test: custom value$/m, /^Date: /m, /^Message-ID: <[^>]+@example\.test>$/m, /^MIME-Version: 1\.0$/m]) {
      assert.match(head, h);
    }
    assert.doesNotMatch(msg, /^Bcc:/im, 'Bcc never appears in a header');
    assert.doesNotMatch(msg, /hidden@example\.test/, 'the blind recipient is invisible to the others');
    assert.match(msg, /multipart\/mixed/);
    assert.match(msg, /multipart\/alternative/);
    assert.match(msg, /\n\.leading dot line\n/, 'the dot line arrives unstuffed');
    assert.match(msg, new RegExp(Buffer.from('attachment body').toString('base64')));
  });

  test('a raw message streamed from a file (CLI --raw @FILE) arrives byte for byte', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mxdesk-raw-'));
    try {
      const path = join(dir, 'message.eml');
      const raw = RAW_HEADERS + DOT_TRAPS;
      await writeFile(path, raw);
      const r = await run(hostRequest(pf.port, rawDraft('')), { messageSource: fileMessageSource(path) });
      assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
      const [file] = await pf.readDelivered();
      assert.deepEqual(stripDeliveryHeaders(file), asDelivered(raw));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a 20 MiB message arrives byte for byte, streamed with bounded memory', async (t) => {
    // Built by join so the string is flat already (a rope would be flattened inside the measurement).
    const line = (i: number): string => (i % 7 === 0 ? `.dot line ${i}` : i % 11 === 0 ? `bare LF ${i}\n` : `line ${i} ${'x'.repeat(60)}`);
    const lines: string[] = [];
    let size = RAW_HEADERS.length;
    for (let i = 0; size < 20 * MiB; i++) {
      const l = line(i);
      lines.push(l);
      size += l.length + 2;
    }
    const raw = [RAW_HEADERS, lines.join('\r\n')].join('');
    // Flatten the string now: a rope would be flattened by the first read inside the measurement (+20 MiB
    // that belong to the test's input, not to the engine). A message arriving over IPC is flat already.
    assert.equal(/\0/.test(raw), false);
    const { value: r, memory } = await measureMemory(() => run(hostRequest(pf.port, rawDraft(raw), { timeouts: { dataEndMs: 60_000, dataBlockMs: 30_000 } })));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    t.diagnostic(`peak growth while sending 20 MiB: live ${(memory.peakLiveGrowth / MiB).toFixed(1)} MiB, RSS ${(memory.peakRssGrowth / MiB).toFixed(1)} MiB`);
    // Live memory (JS heap + buffers, after GC) is what a slurped message would show; RSS is allocator noise
    // on top, bounded more loosely (see assertMemoryBounded).
    assertMemoryBounded(memory);
    const [file] = await pf.readDelivered({ count: 1, timeoutMs: 30_000 });
    assert.ok(stripDeliveryHeaders(file).equals(asDelivered(raw)), 'the 20 MiB message arrived byte for byte');
  });
});

describe('a Postfix that offers neither PIPELINING nor CHUNKING', { skip }, () => {
  let pf: PostfixInstance;
  before(async () => {
    pf = await startPostfix({ discardEhloKeywords: ['pipelining', 'chunking'] });
  });
  after(async () => {
    await pf?.stop();
  });

  test('gets one command at a time and DATA, even when the client would use both', async () => {
    const r = await run(hostRequest(pf.port, rawDraft(`${RAW_HEADERS}${DOT_TRAPS}`, ['a@example.test', 'b@example.test'])));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    assert.ok(r.of('command').every((c) => !c.pipelined), 'nothing pipelined');
    assert.equal(r.of('data_body')[0].method, 'DATA');
    const t = r.transcript().filter((l) => l.startsWith('>') || l.startsWith('<'));
    for (let i = 0; i < t.length - 1; i++) if (t[i].startsWith('>')) assert.ok(t[i + 1].startsWith('<'), `every command waits for its reply: ${t[i]} then ${t[i + 1]}`);
    const files = await pf.readDelivered({ count: 2 });
    for (const f of files) assert.deepEqual(stripDeliveryHeaders(f), asDelivered(`${RAW_HEADERS}${DOT_TRAPS}`));
  });
});
