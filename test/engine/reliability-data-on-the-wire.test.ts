// RELIABILITY.md "DATA on the wire": what actually crosses the socket, recorded by a scripted server. CRLF
// normalisation, dot-stuffing on every line, one terminator and no stray blank line, no raw NUL, SIZE before
// DATA, 8-bit and long lines transfer-encoded; for DATA and BDAT. Every case also checks T, K, S and C.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { expect, expectBdat, expectData, reply, startHostileServer, type HostileServer, type HostileStep } from '../support/hostile-server';
import { assertExplains, assertMemoryBounded, assertOneOutcome, MiB } from '../support/invariants';
import { flatText, hostRequest, runCase, startOnly } from '../support/session-case';
import { hello, quit } from '../support/smtp-script';

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function dataServer(keep = true): HostileStep[] {
  return [...hello(), expect(/^MAIL/i), reply('250 Ok'), expect(/^RCPT/i), reply('250 Ok'), expect(/^DATA$/i), reply('354 go'), expectData({ keep }), reply('250 2.0.0 Ok: queued as WIRE1'), ...quit()];
}

function bdatServer(): HostileStep[] {
  // A single BDAT … LAST (what a client sends for a message that fits one chunk). Each command is answered
  // as it is read, so the script works whether or not the client pipelines BDAT with the envelope.
  return [...hello('PIPELINING', 'CHUNKING'), expect(/^MAIL/i), reply('250 Ok'), expect(/^RCPT/i), reply('250 Ok'), expectBdat(), reply('250 2.0.0 Ok: queued as WIRE2'), ...quit()];
}

/** Send `raw` in raw mode and return the DATA bytes the server received (terminator included). */
async function wireOf(raw: string, method: 'DATA' | 'BDAT' = 'DATA'): Promise<Buffer> {
  server = await startHostileServer(method === 'DATA' ? dataServer() : bdatServer());
  const r = await runCase(server, hostRequest(server, { draft: { rawMode: true, raw } }));
  assertOneOutcome(r.events, { outcome: 'delivered' });
  assert.deepEqual(server.connections[0].problems, []);
  return Buffer.concat(server.connections[0].bodies);
}

const bareCrOrLf = (b: Buffer) => /\r(?!\n)|(?<!\r)\n/.test(b.toString('latin1'));

describe('line endings and dot-stuffing (DATA)', () => {
  test('bare CR and bare LF in the body are sent as CRLF', async () => {
    const wire = await wireOf('Subject: t\r\n\r\none\rtwo\nthree\r\n\n\rfour');
    assert.ok(!bareCrOrLf(wire), `no bare CR or LF on the wire: ${JSON.stringify(wire.toString('latin1'))}`);
    assert.match(wire.toString('latin1'), /one\r\ntwo\r\nthree\r\n/);
  });

  test('a leading dot on the first line and a lone dot line are dot-stuffed (RFC 5321 §4.5.2)', async () => {
    const wire = await wireOf('.first line\r\n.\r\nmiddle\r\n..two dots\r\nend\r\n');
    assert.equal(wire.toString('latin1'), '..first line\r\n..\r\nmiddle\r\n...two dots\r\nend\r\n.\r\n');
  });

  test('the terminator adds no stray blank line when the body ends with CRLF', async () => {
    const wire = await wireOf('Subject: t\r\n\r\nlast line\r\n');
    assert.ok(wire.toString('latin1').endsWith('last line\r\n.\r\n'));
  });

  test('a body without a final line break gets CRLF before the dot', async () => {
    const wire = await wireOf('Subject: t\r\n\r\nno newline at the end');
    assert.ok(wire.toString('latin1').endsWith('no newline at the end\r\n.\r\n'));
  });

  test('the smuggling sequences cannot end the message early (CVE-2023-51764 family)', async () => {
    const raw = 'Subject: t\r\n\r\na\n.\r\nMAIL FROM:<evil@example.test>\r\nb\r.\r\nc\r\n.\nd\r\n';
    const wire = (await wireOf(raw)).toString('latin1');
    assert.equal(wire.indexOf('\r\n.\r\n'), wire.length - 5, 'CRLF.CRLF appears exactly once, at the end');
    assert.ok(!bareCrOrLf(Buffer.from(wire, 'latin1')));
  });

  for (const [what, draft, field] of [
    ['a raw message', { rawMode: true, raw: 'Subject: t\r\n\r\nnul\0here\r\n' }, 'draft.raw'],
    ['a composed text body', { text: 'nul\0here\n' }, 'draft.text'],
  ] as const) {
    test(`NUL is never sent raw: NUL in ${what} is refused with a field error before anything is sent`, async () => {
      server = await startHostileServer(dataServer());
      const r = startOnly(hostRequest(server, { draft }));
      if (r.result.ok) {
        // Accepted at start: then the session itself must refuse it without connecting.
        const done = await r.done();
        assert.equal(done?.outcome, 'not_delivered');
        assert.ok(!r.events.some((e) => e.kind === 'connect_attempt'));
      } else assert.equal(r.result.error.field, field);
      assert.equal(server.connections.length, 0, 'no connection');
    });
  }

  test('mixed line endings in a body larger than one socket chunk are all normalised', async () => {
    const parts: string[] = [];
    for (let i = 0; i < 20_000; i++) parts.push(`${i % 7 === 0 ? '.' : ''}line ${i}${['\r\n', '\n', '\r'][i % 3]}`);
    const wire = await wireOf(`Subject: big\r\n\r\n${parts.join('')}`);
    assert.ok(!bareCrOrLf(wire));
    const text = wire.toString('latin1');
    assert.equal(text.indexOf('\r\n.\r\n'), text.length - 5);
    assert.equal((text.match(/\r\n\.\.line/g) ?? []).length, Math.ceil(20_000 / 7), 'every dot line is stuffed');
  });
});

describe('the message is streamed, never slurped', () => {
  test('a 24 MiB message goes out with memory growing by less than 16 MiB', async () => {
    // The server counts the body without keeping it: this process's memory is the client's.
    server = await startHostileServer(dataServer(false));
    const text = flatText(24 * MiB);
    const r = await runCase(server, hostRequest(server, { draft: { text } }), { memory: true, deadlineMs: 15_000 });
    assertOneOutcome(r.events, { outcome: 'delivered' });
    assert.ok(server.connections[0].receivedBytes > 24 * MiB);
    assertMemoryBounded(r.memory!);
  });
});

describe('BDAT carries the same normalised bytes', () => {
  test('bare CR and LF are normalised under BDAT too, without dot-stuffing (RFC 3030)', async () => {
    const wire = await wireOf('Subject: t\r\n\r\n.one\rtwo\nthree', 'BDAT');
    assert.ok(!bareCrOrLf(wire));
    assert.match(wire.toString('latin1'), /\r\n\.one\r\ntwo\r\nthree/);
  });
});

describe('message parameters', () => {
  test('a message larger than the advertised SIZE stops before DATA', async () => {
    server = await startHostileServer([...hello('SIZE 500'), ...quit()]);
    const r = await runCase(server, hostRequest(server, { draft: { text: 'x'.repeat(2000) } }));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered' });
    assert.ok(!server.connections[0].commands.some((c) => /^(DATA|BDAT)/i.test(c)), 'no DATA for an oversized message');
    assertExplains(o, { dotSent: false, mentions: /size|too (big|large)/i });
  });

  test('8-bit text to a server without 8BITMIME is transfer-encoded', async () => {
    server = await startHostileServer(dataServer());
    const r = await runCase(server, hostRequest(server, { draft: { text: 'Grüße aus Köln — naïve café\n' } }));
    assertOneOutcome(r.events, { outcome: 'delivered' });
    const wire = Buffer.concat(server.connections[0].bodies);
    assert.ok(!wire.some((b) => b >= 0x80), 'only 7-bit bytes on the wire');
  });

  test('body lines longer than 998 octets are transfer-encoded', async () => {
    server = await startHostileServer(dataServer());
    const r = await runCase(server, hostRequest(server, { draft: { text: `${'long '.repeat(1000)}\n` } }));
    assertOneOutcome(r.events, { outcome: 'delivered' });
    const lines = Buffer.concat(server.connections[0].bodies).toString('latin1').split('\r\n');
    assert.ok(Math.max(...lines.map((l) => l.length)) <= 998, 'every line on the wire is at most 998 octets');
  });
});
