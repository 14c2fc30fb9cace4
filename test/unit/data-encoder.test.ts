import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CrlfNormalizer, DataEncoder, encodeDataAll, findNul, hasLongLines, needs8bit, NulByteError } from '../../shared/smtp/data-encoder';
import { seededRandom } from '../support/seeded-random';

const enc = new TextEncoder();
const dec = new TextDecoder();
const b = (s: string) => enc.encode(s);
const s = (u: Uint8Array) => dec.decode(u);

function encodeChunks(chunks: string[]): string {
  const e = new DataEncoder();
  return chunks.map((c) => s(e.push(b(c)))).join('') + s(e.end());
}

/** Reference normalisation: every CRLF, bare CR and bare LF becomes CRLF. */
function normalise(text: string): string {
  return text.replace(/\r\n|\r|\n/g, '\r\n');
}

/** What a server does with the DATA stream: split at CRLF, stop at ".", un-stuff leading dots. */
function unstuff(wire: string): { body: string; rest: string } {
  const lines: string[] = [];
  let pos = 0;
  for (;;) {
    const end = wire.indexOf('\r\n', pos);
    assert.ok(end !== -1, 'no terminator');
    const line = wire.slice(pos, end);
    pos = end + 2;
    if (line === '.') break;
    lines.push(line.startsWith('.') ? line.slice(1) : line);
  }
  return { body: lines.map((l) => l + '\r\n').join(''), rest: wire.slice(pos) };
}

describe('DATA encoder: line endings', () => {
  test('keeps CRLF, turns bare LF and bare CR into CRLF', () => {
    assert.equal(encodeChunks(['a\r\nb\nc\rd\r\n']), 'a\r\nb\r\nc\r\nd\r\n.\r\n');
  });

  test('treats CR at the end of one chunk and LF at the start of the next as one line ending', () => {
    assert.equal(encodeChunks(['a\r', '\nb\r\n']), 'a\r\nb\r\n.\r\n');
    assert.equal(encodeChunks(['a\r', '\r', '\n', '\n']), 'a\r\n\r\n\r\n.\r\n');
    assert.equal(encodeChunks(['a\r', '', '\nb']), 'a\r\nb\r\n.\r\n');
  });

  test('turns CR CR LF into two line endings (the bare CR is a line ending of its own)', () => {
    assert.equal(encodeChunks(['a\r\r\nb\r\n']), 'a\r\n\r\nb\r\n.\r\n');
  });

  test('closes the smuggling sequences <LF>.<LF> and <CR>.<CR> (CVE-2023-51764 family)', () => {
    const out = encodeChunks(['x\n.\ny\r.\rz\r\n.\r\n']);
    assert.equal(out, 'x\r\n..\r\ny\r\n..\r\nz\r\n..\r\n.\r\n');
    assert.equal(out.indexOf('\r\n.\r\n'), out.length - 5);
  });
});

describe('DATA encoder: dot-stuffing and terminator', () => {
  test('stuffs a dot on the first line too (RFC 5321 §4.5.2)', () => {
    assert.equal(encodeChunks(['.hidden\r\n']), '..hidden\r\n.\r\n');
    assert.equal(encodeChunks(['.']), '..\r\n.\r\n');
  });

  test('stuffs dots at the start of every line, also across chunk boundaries', () => {
    assert.equal(encodeChunks(['a\r\n', '.b\r\n', '..c\r\n']), 'a\r\n..b\r\n...c\r\n.\r\n');
    assert.equal(encodeChunks(['a\r', '\n.', 'b']), 'a\r\n..b\r\n.\r\n');
    assert.equal(encodeChunks(['a.b\r\n']), 'a.b\r\n.\r\n');
  });

  test('ends a body without a trailing CRLF with CRLF.CRLF', () => {
    assert.equal(encodeChunks(['hello']), 'hello\r\n.\r\n');
  });

  test('ends a body with a trailing CRLF with only .CRLF, never a stray blank line', () => {
    assert.equal(encodeChunks(['hello\r\n']), 'hello\r\n.\r\n');
    assert.equal(encodeChunks(['hello\n']), 'hello\r\n.\r\n');
    assert.equal(encodeChunks(['hello\r']), 'hello\r\n.\r\n');
  });

  test('an empty body is just the terminator', () => {
    assert.equal(encodeChunks([]), '.\r\n');
    assert.equal(encodeChunks(['', '']), '.\r\n');
    assert.equal(s(encodeDataAll(new Uint8Array(0))), '.\r\n');
  });

  test('passes 8-bit bytes and other controls through untouched', () => {
    const input = Uint8Array.from([0xc3, 0xa9, 0x09, 0x1b, 0x0c, 0xff]);
    assert.deepEqual([...encodeDataAll(input)], [0xc3, 0xa9, 0x09, 0x1b, 0x0c, 0xff, 13, 10, 46, 13, 10]);
  });

  test('reports sizes, lines and the longest line', () => {
    const e = new DataEncoder();
    e.push(b('ab\n.cde\r\nf'));
    e.end();
    assert.deepEqual(e.stats, { bytesIn: 10, bytesOut: 17, lines: 3, maxLineOctets: 4 });
  });
});

describe('DATA encoder: NUL is never sent raw', () => {
  test('refuses a chunk holding NUL before emitting any of it', () => {
    const e = new DataEncoder();
    e.push(b('abc'));
    assert.throws(() => e.push(Uint8Array.from([0x41, 0, 0x42])), (err: unknown) => err instanceof NulByteError && err.offset === 4);
  });

  test('findNul finds it first', () => {
    assert.equal(findNul(b('abc')), -1);
    assert.equal(findNul(Uint8Array.from([1, 2, 0])), 2);
  });
});

describe('CRLF normaliser for BDAT', () => {
  test('normalises without dot-stuffing and adds a final CRLF only when missing', () => {
    const n = new CrlfNormalizer();
    const out = s(n.push(b('.a\nb\r'))) + s(n.push(b('\n.c'))) + s(n.end());
    assert.equal(out, '.a\r\nb\r\n.c\r\n');
    const m = new CrlfNormalizer();
    assert.equal(s(m.push(b('x\r\n'))) + s(m.end()), 'x\r\n');
    assert.equal(new CrlfNormalizer().end().length, 0);
  });
});

describe('helpers deciding BODY=8BITMIME and transfer encoding', () => {
  test('needs8bit sees any byte above 0x7f', () => {
    assert.equal(needs8bit(b('plain ascii\r\n')), false);
    assert.equal(needs8bit(b('café')), true);
  });

  test('hasLongLines counts octets between any line endings', () => {
    assert.equal(hasLongLines(b(`${'a'.repeat(998)}\r\n${'b'.repeat(998)}`)), false);
    assert.equal(hasLongLines(b(`x\n${'a'.repeat(999)}`)), true);
    assert.equal(hasLongLines(b('abcdef\rabcdef'), 6), false);
    assert.equal(hasLongLines(b('abcdefg'), 6), true);
  });
});

describe('DATA encoder: properties', () => {
  const ALPHABET = ['.', '.', '\r', '\r', '\n', '\n', 'a', 'a', 'b', ' ', 'é'];

  test('random bodies: CRLF.CRLF exactly once at the end, no bare CR or LF, un-stuffing gives the normalised input', () => {
    const rng = seededRandom();
    for (let c = 0; c < 3000; c++) {
      let body = '';
      const len = rng.int(80);
      for (let i = 0; i < len; i++) body += rng.pick(ALPHABET);
      const bytes = b(body);
      // Split at random points, including inside multi-byte characters and between CR and LF.
      const parts: Uint8Array[] = [];
      for (let pos = 0; pos < bytes.length; ) {
        const n = rng.int(6);
        parts.push(bytes.subarray(pos, pos + n));
        pos += n;
      }
      const e = new DataEncoder();
      const chunks = parts.map((p) => e.push(p));
      chunks.push(e.end());
      const total = chunks.reduce((n, p) => n + p.length, 0);
      const out = new Uint8Array(total);
      let o = 0;
      for (const p of chunks) {
        out.set(p, o);
        o += p.length;
      }
      const wire = s(out);
      const why = `seed ${rng.seed}, case ${c}, body ${JSON.stringify(body)}, wire ${JSON.stringify(wire)}`;
      assert.equal(wire, s(encodeDataAll(bytes)), why);
      // The terminator: the stream is either just ".CRLF" (empty body) or ends with CRLF.CRLF, once.
      const firstTerm = ('\r\n' + wire).indexOf('\r\n.\r\n');
      assert.equal(firstTerm, wire.length - 3, why);
      assert.doesNotMatch(wire, /\r(?!\n)|(?<!\r)\n/, why);
      const { body: unstuffed, rest } = unstuff(wire);
      assert.equal(rest, '', why);
      const expected = normalise(body);
      assert.equal(unstuffed, expected === '' || expected.endsWith('\r\n') ? expected : expected + '\r\n', why);
    }
  });
});
