// The message builder: MailComposer output that is identical on every pass, Bcc kept out of the headers,
// custom header names kept as typed, the preview of the DATA bytes, and the meter that must agree byte for
// byte with the encoder it stands in for (BDAT announces its size from it).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CrlfNormalizer } from '../../shared/smtp/data-encoder';
import { MessageMeter } from '../../electron/engine/message-meter';
import { buildMessage, measureMessage, preview, type MessageSource } from '../../electron/engine/message';
import { makeDraft, rawDraft } from '../support/session-fixtures';
import { seededRandom } from '../support/seeded-random';

async function bytesOf(src: MessageSource): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of src.open()) parts.push(Buffer.from(c)); // a copy: a source only lends its chunks
  return Buffer.concat(parts);
}

describe('the message builder', () => {
  test('a composed message is the same on every pass (the size measured is the size sent)', async () => {
    const built = buildMessage(
      makeDraft({ html: '<b>hi</b>', attachments: [{ filename: 'x.bin', contentType: 'application/octet-stream', contentBase64: Buffer.from([1, 2, 3]).toString('base64') }] }),
    );
    assert.ok(built.ok);
    const a = await bytesOf(built.value);
    const b = await bytesOf(built.value);
    assert.ok(a.equals(b));
    const info = await measureMessage(built.value);
    const norm = new CrlfNormalizer();
    assert.equal(info.sizeBytes, norm.push(a).length + norm.end().length);
  });

  test('Bcc never reaches a header; custom header names keep their case', async () => {
    const built = buildMessage(makeDraft({ bcc: 'secret@example.test', customHeaders: [{ name: 'X-MX-Desk', value: 'v' }] }));
    assert.ok(built.ok);
    const text = (await bytesOf(built.value)).toString();
    assert.doesNotMatch(text, /secret@example\.test/);
    assert.match(text, /^X-MX-Desk: v\r$/m);
  });

  test('the preview shows the DATA bytes: dot-stuffed, CRLF, with the terminator', async () => {
    const p = await preview(rawDraft('Subject: p\n\n.dot\nlast'));
    assert.ok(p.ok);
    assert.equal(p.value.wire, 'Subject: p\r\n\r\n..dot\r\nlast\r\n.\r\n');
    assert.equal(p.value.sizeBytes, p.value.wire.length);
    assert.equal(p.value.truncated, false);
  });

  test('8-bit raw text needs 8BITMIME; UTF-8 in a raw header needs SMTPUTF8; composed text is 7-bit', async () => {
    const body8 = await preview(rawDraft('Subject: x\r\n\r\nGrüße\r\n'));
    assert.ok(body8.ok && body8.value.needs8bit && !body8.value.needsSmtpUtf8);
    const head8 = await preview(rawDraft('Subject: Grüße\r\n\r\nx\r\n'));
    assert.ok(head8.ok && head8.value.needs8bit && head8.value.needsSmtpUtf8);
    const composed = await preview(makeDraft({ subject: 'Grüße', text: 'Grüße aus Köln\n' }));
    assert.ok(composed.ok && !composed.value.needs8bit, 'MailComposer transfer-encodes non-ASCII text and headers');
  });

  test('a NUL in a raw message is refused, never sent', async () => {
    const built = buildMessage(rawDraft('Subject: x\r\n\r\na\0b'));
    assert.ok(built.ok);
    await assert.rejects(measureMessage(built.value), /NUL/);
  });
});

describe('the message meter', () => {
  test('agrees with CrlfNormalizer on random bodies split at random chunk boundaries', () => {
    const rng = seededRandom();
    const alphabet = ['a', 'b', ' ', '.', '\r', '\n', '\r\n', 'é', '\u00ff', 'Subject: x', ':'];
    for (let round = 0; round < 400; round++) {
      let text = '';
      const len = rng.int(60);
      for (let i = 0; i < len; i++) text += rng.pick(alphabet);
      const bytes = Buffer.from(text, 'utf8');
      const meter = new MessageMeter();
      const norm = new CrlfNormalizer();
      let expected = 0;
      let pos = 0;
      while (pos < bytes.length) {
        const cut = Math.min(bytes.length, pos + 1 + rng.int(8));
        const piece = bytes.subarray(pos, cut);
        meter.push(piece);
        expected += norm.push(piece).length;
        pos = cut;
      }
      expected += norm.end().length;
      const r = meter.end();
      assert.equal(r.sizeBytes, expected, `seed ${rng.seed}, round ${round}: ${JSON.stringify(text)}`);
      assert.equal(r.lines, norm.stats.lines, `seed ${rng.seed}, round ${round}: lines of ${JSON.stringify(text)}`);
      assert.equal(r.needs8bit, [...text].some((c) => c.charCodeAt(0) > 0x7f), `seed ${rng.seed}: 8-bit`);
    }
  });

  test('measures 20 MiB exactly without producing the bytes', async (t) => {
    const line = `${'x'.repeat(70)}\r\n`;
    const raw = line.repeat(Math.ceil((20 * 1024 * 1024) / line.length));
    raw.indexOf('\0'); // flatten the rope outside the timing
    const built = buildMessage(rawDraft(raw));
    assert.ok(built.ok);
    const t0 = performance.now();
    const info = await measureMessage(built.value);
    const ms = performance.now() - t0;
    assert.equal(info.sizeBytes, Buffer.byteLength(raw));
    t.diagnostic(`measured 20 MiB in ${Math.round(ms)} ms`);
  });
});
