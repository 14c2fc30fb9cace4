import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ReaderItem, SmtpReply } from '../../shared/smtp/reply-reader';
import { DEFAULT_READER_LIMITS, ReplyReader } from '../../shared/smtp/reply-reader';
import { seededRandom } from '../support/seeded-random';

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s);

function readAll(input: string | Uint8Array, limits?: ConstructorParameters<typeof ReplyReader>[0]): ReaderItem[] {
  const r = new ReplyReader(limits);
  return r.push(typeof input === 'string' ? bytes(input) : input);
}

function onlyReply(items: ReaderItem[]): SmtpReply {
  assert.equal(items.length, 1, JSON.stringify(items));
  const it = items[0];
  assert.equal(it.kind, 'reply', JSON.stringify(it));
  return (it as { kind: 'reply'; reply: SmtpReply }).reply;
}

function onlyError(items: ReaderItem[]): Extract<ReaderItem, { kind: 'error' }> {
  assert.equal(items.length, 1, JSON.stringify(items));
  assert.equal(items[0].kind, 'error', JSON.stringify(items[0]));
  return items[0] as Extract<ReaderItem, { kind: 'error' }>;
}

describe('reply reader: framing', () => {
  test('reads a single-line reply', () => {
    assert.deepEqual(onlyReply(readAll('220 mx.example.test ESMTP ready\r\n')), { code: 220, lines: ['mx.example.test ESMTP ready'] });
  });

  test('reads a multi-line reply as one reply', () => {
    const r = onlyReply(readAll('250-mx.example.test\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 CHUNKING\r\n'));
    assert.equal(r.code, 250);
    assert.deepEqual(r.lines, ['mx.example.test', 'PIPELINING', 'SIZE 1000', 'CHUNKING']);
  });

  test('reads several replies from one chunk in order', () => {
    const items = readAll('250 2.1.0 ok\r\n250 2.1.5 ok\r\n354 go ahead\r\n');
    assert.deepEqual(
      items.map((i) => (i.kind === 'reply' ? i.reply.code : i.code)),
      [250, 250, 354],
    );
  });

  test('accepts a last line with no text after the code', () => {
    assert.deepEqual(onlyReply(readAll('250\r\n')), { code: 250, lines: [''] });
    assert.deepEqual(onlyReply(readAll('250-\r\n250 \r\n')), { code: 250, lines: ['', ''] });
  });

  test('holds a partial line until its line ending arrives, CR and LF split across chunks', () => {
    const r = new ReplyReader();
    assert.deepEqual(r.push(bytes('22')), []);
    assert.deepEqual(r.push(bytes('0 hi\r')), []);
    assert.equal(r.bufferedBytes, 7);
    const items = r.push(bytes('\n'));
    assert.deepEqual(onlyReply(items), { code: 220, lines: ['hi'] });
    assert.equal(r.bufferedBytes, 0);
  });

  test('decodes UTF-8 split across TCP chunks whole', () => {
    const all = bytes('250 héllo ✓ 😀 wörld\r\n');
    for (let cut = 1; cut < all.length; cut++) {
      const r = new ReplyReader();
      const items = [...r.push(all.subarray(0, cut)), ...r.push(all.subarray(cut))];
      assert.deepEqual(onlyReply(items).lines, ['héllo ✓ 😀 wörld'], `cut at ${cut}`);
    }
  });

  test('turns invalid UTF-8 bytes into replacement characters', () => {
    const r = onlyReply(readAll(Uint8Array.from([...bytes('250 a'), 0xff, 0xc3, ...bytes(' b\r\n')])));
    assert.equal(r.lines[0], 'a\ufffd\ufffd b');
  });

  test('tolerates a bare LF line ending and reports it', () => {
    const r = onlyReply(readAll('250-one\n250 two\r\n'));
    assert.deepEqual(r.lines, ['one', 'two']);
    assert.equal(r.bareLf, true);
    assert.equal(onlyReply(readAll('250 ok\r\n')).bareLf, undefined);
  });

  test('keeps a bare CR inside a line as text (it never ends a line)', () => {
    assert.deepEqual(onlyReply(readAll('250 a\rb\r\n')).lines, ['a\rb']);
  });
});

describe('reply reader: enhanced status codes', () => {
  test('parses an enhanced code whose class matches the reply', () => {
    assert.equal(onlyReply(readAll('550 5.1.1 <x@y>: no such user\r\n')).enhanced, '5.1.1');
    assert.equal(onlyReply(readAll('250-2.0.0 first\r\n250 2.0.0 second\r\n')).enhanced, '2.0.0');
    assert.equal(onlyReply(readAll('250 2.0.0\r\n')).enhanced, '2.0.0');
    assert.equal(onlyReply(readAll('535 5.7.139 denied\r\n')).enhanced, '5.7.139');
  });

  test('ignores an enhanced code of another class or a look-alike', () => {
    assert.equal(onlyReply(readAll('550 4.1.1 odd\r\n')).enhanced, undefined);
    assert.equal(onlyReply(readAll('250 2.0.0.1 version\r\n')).enhanced, undefined);
    assert.equal(onlyReply(readAll('250 2.0 ok\r\n')).enhanced, undefined);
    assert.equal(onlyReply(readAll('354 3.0.0 go\r\n')).enhanced, undefined);
    assert.equal(onlyReply(readAll('250-hello\r\n250 2.0.0 later line\r\n')).enhanced, undefined);
  });
});

describe('reply reader: malformed replies give an error quoting the raw line escaped', () => {
  const cases: [string, string, RegExp][] = [
    ['a two-digit code', '25 OK\r\n', /three-digit/],
    ['a four-digit code', '2500\r\n', /space or a hyphen/],
    ['a missing separator', '250OK\r\n', /space or a hyphen/],
    ['a first digit below 2', '150 go\r\n', /first digit/],
    ['a first digit above 5', '650 no\r\n', /first digit/],
    ['a second digit above 5', '270 hm\r\n', /second digit/],
    ['an empty line', '\r\n', /three-digit/],
    ['text only', 'hello there\r\n', /three-digit/],
  ];
  for (const [name, input, why] of cases) {
    test(`refuses ${name}`, () => {
      const e = onlyError(readAll(input));
      assert.equal(e.code, 'malformed');
      assert.match(e.message, why);
      assert.equal(e.raw, input.replace('\r\n', ''));
    });
  }

  test('refuses a code that changes inside a multi-line reply', () => {
    const e = onlyError(readAll('250-first\r\n251 second\r\n'));
    assert.equal(e.code, 'malformed');
    assert.match(e.message, /changed from 250 to 251/);
  });

  test('escapes control characters and bidi overrides in the quoted line', () => {
    const e = onlyError(readAll('2\x1b[31m50 \u202eevil\r\n'));
    assert.equal(e.raw, '2\\x1b[31m50 \\u202eevil');
  });

  test('truncates a long malformed line in the quote', () => {
    const e = onlyError(readAll(`x${'y'.repeat(3000)}\r\n`));
    assert.ok(e.raw.length <= 201, `raw has ${e.raw.length} chars`);
    assert.ok(e.raw.endsWith('…'));
  });

  test('resynchronises on the next line after a malformed one', () => {
    const items = readAll('250-a\r\nbad\r\n220 ok\r\n');
    assert.equal(items.length, 2);
    assert.equal(items[0].kind, 'error');
    assert.deepEqual(items[1], { kind: 'reply', reply: { code: 220, lines: ['ok'] } });
  });

  test('reports a reply cut short by the end of the connection', () => {
    const r = new ReplyReader();
    r.push(bytes('250-one\r\n250 tw'));
    const e = onlyError(r.end());
    assert.equal(e.code, 'malformed');
    assert.match(e.message, /closed in the middle/);
    assert.deepEqual(new ReplyReader().end(), []);
  });
});

describe('reply reader: caps stop reading and keep memory flat', () => {
  test('accepts a line of exactly the cap (CRLF included) and refuses one byte more', () => {
    const max = DEFAULT_READER_LIMITS.maxLineBytes;
    const exact = `250 ${'a'.repeat(max - 6)}\r\n`;
    assert.equal(bytes(exact).length, max);
    assert.equal(onlyReply(readAll(exact)).code, 250);
    const over = `250 ${'a'.repeat(max - 5)}\r\n`;
    assert.equal(onlyError(readAll(over)).code, 'line_too_long');
  });

  test('refuses an endless line as soon as it passes the cap, without buffering more', () => {
    const r = new ReplyReader({ maxLineBytes: 100 });
    const chunk = bytes('a'.repeat(30));
    const out: ReaderItem[] = [];
    for (let i = 0; i < 10; i++) {
      out.push(...r.push(chunk));
      assert.ok(r.bufferedBytes < 100, `buffered ${r.bufferedBytes}`);
    }
    assert.equal(onlyError(out).code, 'line_too_long');
    assert.equal(r.stopped, true);
    assert.equal(r.bufferedBytes, 0);
  });

  test('refuses a reply with more lines than the cap', () => {
    const ok200 = `${'250-x\r\n'.repeat(199)}250 end\r\n`;
    assert.equal(onlyReply(readAll(ok200)).lines.length, 200);
    const items = readAll(`${'250-x\r\n'.repeat(200)}250 end\r\n`);
    assert.equal(onlyError(items).code, 'too_many_lines');
  });

  test('refuses more reply bytes per session than the cap, then ignores everything', () => {
    const r = new ReplyReader({ maxTotalBytes: 30 });
    const first = r.push(bytes('250 ok\r\n250 ok\r\n250 ok\r\n250 ok\r\n'));
    assert.deepEqual(
      first.map((i) => i.kind === 'error' ? i.code : i.reply.code),
      [250, 250, 250, 'too_much_data'],
    );
    assert.deepEqual(r.push(bytes('250 ok\r\n')), []);
    assert.equal(r.bufferedBytes, 0);
  });

  test('a stopped reader swallows megabytes with nothing buffered', () => {
    const r = new ReplyReader({ maxLineBytes: 64 });
    r.push(bytes('x'.repeat(100)));
    assert.equal(r.stopped, true);
    const big = new Uint8Array(4 * 1024 * 1024).fill(0x41);
    for (let i = 0; i < 8; i++) assert.deepEqual(r.push(big), []);
    assert.equal(r.bufferedBytes, 0);
  });
});

// ---------- property tests ----------

const TEXT_CHARS = ['a', 'Z', '0', '9', ' ', '-', '.', ':', '<', '>', '@', 'é', '✓', '😀', 'ß', '\t', '='];

function randomReply(rng: ReturnType<typeof seededRandom>): SmtpReply {
  const code = (2 + rng.int(4)) * 100 + rng.int(6) * 10 + rng.int(10);
  const n = 1 + rng.int(5);
  const lines: string[] = [];
  let enhanced: string | undefined;
  for (let i = 0; i < n; i++) {
    let text = '';
    const len = rng.int(30);
    for (let j = 0; j < len; j++) text += rng.pick(TEXT_CHARS);
    if (i === 0 && rng.int(3) === 0 && String(code)[0] !== '3') {
      enhanced = `${String(code)[0]}.${rng.int(8)}.${rng.int(30)}`;
      text = `${enhanced} ${text}`;
    }
    lines.push(text);
  }
  // The expected enhanced code follows the reader's rule, whatever the random text happens to start with.
  const m = /^([245])\.(\d{1,3})\.(\d{1,3})(?=[ \t]|$)/.exec(lines[0]);
  enhanced = m && m[1] === String(code)[0] ? `${m[1]}.${Number(m[2])}.${Number(m[3])}` : undefined;
  return enhanced ? { code, enhanced, lines } : { code, lines };
}

function serialise(r: SmtpReply): string {
  return r.lines.map((l, i) => `${r.code}${i === r.lines.length - 1 ? ' ' : '-'}${l}\r\n`).join('');
}

function splitRandomly(data: Uint8Array, rng: ReturnType<typeof seededRandom>): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let pos = 0;
  while (pos < data.length) {
    const len = rng.int(3) === 0 ? 1 + rng.int(3) : 1 + rng.int(64);
    parts.push(data.subarray(pos, pos + len));
    pos += len;
  }
  return parts;
}

describe('reply reader: properties', () => {
  test('random valid replies split at random chunk boundaries parse identically', () => {
    const rng = seededRandom();
    for (let c = 0; c < 2000; c++) {
      const replies = Array.from({ length: 1 + rng.int(6) }, () => randomReply(rng));
      const wire = bytes(replies.map(serialise).join(''));
      const r = new ReplyReader();
      const items = splitRandomly(wire, rng).flatMap((p) => r.push(p));
      assert.deepEqual(
        items,
        replies.map((reply) => ({ kind: 'reply', reply })),
        `seed ${rng.seed}, case ${c}`,
      );
      assert.equal(r.bufferedBytes, 0, `seed ${rng.seed}`);
    }
  });

  test('random bytes never throw, never buffer past the caps, and quote only escaped text', () => {
    const rng = seededRandom();
    const limits = { maxLineBytes: 64, maxLinesPerReply: 5, maxTotalBytes: 1500 };
    const alphabet = [...bytes('2345 -\r\n\r\n01ab.'), 0x1b, 0x00, 0xff, 0xc3, 0xa9, 0xe2];
    for (let c = 0; c < 1500; c++) {
      const data = Uint8Array.from({ length: rng.int(2000) }, () => rng.pick(alphabet));
      const r = new ReplyReader(limits);
      for (const part of splitRandomly(data, rng)) {
        let items: ReaderItem[];
        try {
          items = r.push(part);
        } catch (e) {
          assert.fail(`seed ${rng.seed}, case ${c}: push threw ${String(e)}`);
        }
        if (r.bufferedBytes > limits.maxLineBytes * (limits.maxLinesPerReply + 1)) assert.fail(`seed ${rng.seed}, case ${c}: buffered ${r.bufferedBytes}`);
        for (const it of items) {
          // eslint-disable-next-line no-control-regex
          if (it.kind === 'error' ? /[\u0000-\u001f\u007f]/.test(it.raw) : it.reply.lines.length > limits.maxLinesPerReply) {
            assert.fail(`seed ${rng.seed}, case ${c}: ${JSON.stringify(it)}`);
          }
        }
      }
      assert.ok(r.totalBytes <= limits.maxTotalBytes, `seed ${rng.seed}`);
      if (r.stopped) assert.equal(r.bufferedBytes, 0, `seed ${rng.seed}`);
    }
  });
});
