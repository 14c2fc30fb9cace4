// The DATA encoder's allocation behaviour (the SMTP-smuggling properties are in data-encoder.test.ts): text
// that needs no change is passed through without a copy, the `lend` mode reuses one output buffer, and
// `count` measures exactly what `push` would produce.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CrlfNormalizer, DataEncoder, encodeDataAll } from '../../shared/smtp/data-encoder';
import { seededRandom } from '../support/seeded-random';

const b = (s: string) => new TextEncoder().encode(s);
const s = (u: Uint8Array) => new TextDecoder().decode(u);

function randomBody(rng: ReturnType<typeof seededRandom>, len: number): Uint8Array {
  const alphabet = ['.', '\r', '\n', '\r\n', '\r\n.', 'a', 'b', ' ', 'é'];
  let body = '';
  for (let i = 0; i < len; i++) body += rng.pick(alphabet);
  return b(body);
}

function split(rng: ReturnType<typeof seededRandom>, bytes: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let pos = 0; pos < bytes.length; ) {
    const n = rng.int(9);
    parts.push(bytes.subarray(pos, pos + n));
    pos += n;
  }
  return parts;
}

describe('DATA encoder: no copy unless something changes', () => {
  test('a CRLF chunk with no line-leading dot is returned as is, without a copy', () => {
    const e = new DataEncoder();
    const chunk = b('Subject: x\r\n\r\nplain text\r\nmore text.\r\n');
    assert.strictEqual(e.push(chunk), chunk);
  });

  test('the LF completing a CRLF split across chunks is dropped with a subarray, not a copy', () => {
    const e = new CrlfNormalizer();
    e.push(b('line\r'));
    const next = b('\nnext\r\n');
    const out = e.push(next);
    assert.equal(s(out), 'next\r\n');
    assert.strictEqual(out.buffer, next.buffer);
  });

  test('a chunk that needs a change is encoded into one new buffer, the input left untouched', () => {
    const e = new DataEncoder();
    const chunk = b('.dot\nbare\r');
    const copy = chunk.slice();
    assert.equal(s(e.push(chunk)), '..dot\r\nbare\r\n');
    assert.deepEqual(chunk, copy);
  });
});

describe('DATA encoder: lend mode and count', () => {
  test('lend mode produces the same bytes as the default, on random bodies split at random points', () => {
    const rng = seededRandom();
    for (let c = 0; c < 1500; c++) {
      const bytes = randomBody(rng, rng.int(60));
      const lent = new DataEncoder({ lend: true });
      const out: number[] = [];
      for (const p of split(rng, bytes)) out.push(...lent.push(p)); // copied at once, as the socket writer does
      out.push(...lent.end());
      assert.deepEqual(Uint8Array.from(out), encodeDataAll(bytes), `seed ${rng.seed}, case ${c}: ${JSON.stringify(s(bytes))}`);
    }
  });

  test('count() gives the stats push() would, so the measured SIZE is the BDAT length', () => {
    const rng = seededRandom();
    for (let c = 0; c < 1500; c++) {
      const bytes = randomBody(rng, rng.int(60));
      const parts = split(rng, bytes);
      const pushed = new CrlfNormalizer();
      let produced = 0;
      for (const p of parts) produced += pushed.push(p).length;
      produced += pushed.end().length;
      const counted = new CrlfNormalizer();
      for (const p of parts) counted.count(p);
      counted.countEnd();
      const why = `seed ${rng.seed}, case ${c}: ${JSON.stringify(s(bytes))}`;
      assert.equal(counted.stats.bytesOut, produced, why);
      assert.deepEqual(counted.stats, pushed.stats, why);
    }
  });
});
