// RELIABILITY.md "Replies from the server": scripted hostile servers; every case also checks T, K, S and C
// (test/support/session-case.ts), M where the server floods, and E in each test.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { close, delay, expect, expectData, flood, reply, send, startHostileServer, type HostileServer } from '../support/hostile-server';
import { assertExplains, assertMemoryBounded, assertOneOutcome } from '../support/invariants';
import { CANARY, hostRequest, runCase } from '../support/session-case';
import { acceptMessage, ehloReply, greet, hello, quit } from '../support/smtp-script';

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function serve(steps: Parameters<typeof startHostileServer>[0]) {
  server = await startHostileServer(steps);
  return server;
}

describe('malformed replies give a protocol error quoting the raw line', () => {
  for (const [name, raw] of [
    ["'25 OK'", '25 OK'],
    ["'2500'", '2500'],
    ['a first digit outside 2–5 (620)', '620 not a reply'],
    ['a missing separator (220hello)', '220hello'],
  ] as const) {
    test(`gives a protocol error quoting the raw line for ${name}`, async () => {
      const s = await serve([send(`${raw}\r\n`)]);
      const r = await runCase(s, hostRequest(s));
      const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'greeting' });
      assertExplains(o, { dotSent: false, quotes: raw });
    });
  }

  test('a code that changes inside a multi-line reply is a protocol error', async () => {
    const s = await serve([greet(), expect(/^EHLO/i), reply('250-mx.example.test', '251 PIPELINING')]);
    const r = await runCase(s, hostRequest(s));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'ehlo' });
    assertExplains(o, { dotSent: false, quotes: '251 PIPELINING' });
  });

  test('control characters and bidi overrides in a reply are shown escaped', async () => {
    const s = await serve([send('554 evil \x1b[2J\u202egnp.exe\x07 bye\r\n')]);
    const r = await runCase(s, hostRequest(s));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'greeting' });
    // runCase already checked that no raw control character reached any event; the text must still be there.
    const greeting = r.replies[0];
    assert.ok(greeting, 'the 554 greeting is in the transcript');
    assert.match(greeting.lines.join(' '), /\\x1b\[2J/);
    assert.match(greeting.lines.join(' '), /\\u202e/i);
    assertExplains(o, { dotSent: false });
  });
});

describe('text is decoded safely', () => {
  test('UTF-8 split across TCP chunks is decoded whole', async () => {
    const euro = Buffer.from('€', 'utf8'); // 3 bytes: split after the first
    const s = await serve([send(Buffer.concat([Buffer.from('220 mx.example.test prix 5'), euro.subarray(0, 1)])), delay(50), send(Buffer.concat([euro.subarray(1), Buffer.from('\r\n')])), expect(/^EHLO/i), ehloReply(), ...acceptMessage()]);
    const r = await runCase(s, hostRequest(s));
    assertOneOutcome(r.events, { outcome: 'delivered' });
    assert.match(r.replies[0].lines[0], /prix 5€/);
  });

  test('invalid UTF-8 becomes replacement characters', async () => {
    const s = await serve([send(Buffer.concat([Buffer.from('220 bad '), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from(' bytes\r\n')])), expect(/^EHLO/i), ehloReply(), ...acceptMessage()]);
    const r = await runCase(s, hostRequest(s));
    assertOneOutcome(r.events, { outcome: 'delivered' });
    assert.match(r.replies[0].lines[0], /\ufffd/);
  });

  test('EHLO keywords are matched case-insensitively (a lower-case "size" is enforced)', async () => {
    const s = await serve([...hello('pipelining', 'size 100'), ...quit()]);
    const r = await runCase(s, hostRequest(s, { draft: { text: 'x'.repeat(2000) } }));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered' });
    assert.ok(!s.connections[0].commands.some((c) => /^DATA/i.test(c)), 'no DATA for a message over SIZE');
    assertExplains(o, { dotSent: false, mentions: /size|too (big|large)/i });
  });
});

describe('caps on what a server can make us hold', () => {
  test('a reply line longer than the cap aborts with a clear message and memory stays flat', async () => {
    const s = await serve([send('220-'), flood(8 * 1024 * 1024)]);
    const r = await runCase(s, hostRequest(s), { memory: true, deadlineMs: 4000 });
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'greeting' });
    assertExplains(o, { dotSent: false, mentions: /long|cap|limit|too much/i });
    assertMemoryBounded(r.memory!);
    assert.ok(s.connections[0].closedBy !== 'open');
  });

  test('a reply with endless continuation lines aborts at the line cap', async () => {
    const s = await serve([greet(), expect(/^EHLO/i), flood(8 * 1024 * 1024, '250-X-JUNK\r\n')]);
    const r = await runCase(s, hostRequest(s), { memory: true, deadlineMs: 4000 });
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'ehlo' });
    assertExplains(o, { dotSent: false, mentions: /lines|cap|limit|too (many|much)/i });
    assertMemoryBounded(r.memory!);
  });

  test('a flood of reply data aborts at the cap and memory stays flat', async () => {
    // 64 MiB of complete, well-formed 1000-byte lines: only the per-session byte cap (or the line cap) stops it.
    const line = `250-${'x'.repeat(994)}\r\n`;
    const s = await serve([greet(), expect(/^EHLO/i), flood(64 * 1024 * 1024, line)]);
    const r = await runCase(s, hostRequest(s), { memory: true, deadlineMs: 8000 });
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'ehlo' });
    assertExplains(o, { dotSent: false, mentions: /lines|cap|limit|too (many|much)/i });
    assertMemoryBounded(r.memory!);
    assert.ok(s.connections[0].receivedBytes < 4096, 'nothing but EHLO (and maybe QUIT) was sent');
  });
});

describe('reply codes at each stage', () => {
  test('554 in the greeting means no service: no EHLO is sent', async () => {
    const s = await serve([reply('554 5.7.1 No SMTP service here')]);
    const r = await runCase(s, hostRequest(s));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'greeting' });
    assertExplains(o, { dotSent: false, quotes: 'No SMTP service here' });
    assert.ok(!s.connections[0].commands.some((c) => /^(EHLO|HELO)/i.test(c)));
  });

  test('421 at RCPT is transient', async () => {
    const s = await serve([...hello(), expect(/^MAIL/i), reply('250 2.1.0 Ok'), expect(/^RCPT/i), reply('421 4.3.2 Shutting down, try later'), close()]);
    const r = await runCase(s, hostRequest(s));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'rcpt' });
    assertExplains(o, { dotSent: false, quotes: 'Shutting down', mentions: /temporar|transient|try again|later/i });
  });

  test('421 in the greeting is transient and the session ends cleanly', async () => {
    const s = await serve([reply('421 4.3.2 Too busy'), close()]);
    const r = await runCase(s, hostRequest(s));
    // With no other address to try, "could not reach a mail server" (connect) is a fair stage too.
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: ['greeting', 'connect'] });
    assertExplains(o, { dotSent: false, quotes: 'Too busy', mentions: /temporar|transient|try again|later/i });
  });

  test('EHLO 502 falls back to HELO', async () => {
    const s = await serve([greet(), expect(/^EHLO /i), reply('502 5.5.1 EHLO not implemented'), expect(/^HELO /i), reply('250 mx.example.test'), ...acceptMessage()]);
    const r = await runCase(s, hostRequest(s));
    assertOneOutcome(r.events, { outcome: 'delivered' });
    assert.deepEqual(s.connections[0].problems, []);
  });

  test('EHLO 502 does not fall back to HELO when TLS is required', async () => {
    const s = await serve([greet(), expect(/^EHLO /i), reply('502 5.5.1 EHLO not implemented')]);
    const r = await runCase(s, hostRequest(s, { request: { tls: 'require' } }));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: ['ehlo', 'starttls', 'tls'] });
    assert.ok(!s.connections[0].commands.some((c) => /^HELO/i.test(c)), 'no HELO when TLS is required');
    assertExplains(o, { dotSent: false });
  });

  test('EHLO 502 does not fall back to HELO when AUTH is required', async () => {
    const s = await serve([greet(), expect(/^EHLO /i), reply('502 5.5.1 EHLO not implemented')]);
    const r = await runCase(s, hostRequest(s, { request: { tls: 'none', allowPlaintextAuthOnLoopback: true, auth: { user: 'alice', password: CANARY, mechanism: 'PLAIN' } } }));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: ['ehlo', 'auth'] });
    assert.ok(!s.connections[0].commands.some((c) => /^(HELO|AUTH)/i.test(c)), 'no HELO (which cannot do AUTH), no AUTH');
    assertExplains(o, { dotSent: false });
  });

  test('continues with the accepted recipients when one is refused', async () => {
    const s = await serve([
      ...hello(),
      expect(/^MAIL/i),
      reply('250 2.1.0 Ok'),
      expect(/^RCPT TO:<a@/i),
      reply('550 5.1.1 <a@example.test>: no such user'),
      expect(/^RCPT TO:<b@/i),
      reply('250 2.1.5 Ok'),
      expect(/^DATA$/i),
      reply('354 go ahead'),
      expectData(),
      reply('250 2.0.0 Ok: queued as PARTIAL1'),
      ...quit(),
    ]);
    const r = await runCase(s, hostRequest(s, { draft: { to: 'a@example.test, b@example.test' } }));
    const o = assertOneOutcome(r.events, { outcome: 'delivered' });
    const rcpts = r.events.flatMap((e) => (e.kind === 'recipient' ? [e] : []));
    assert.deepEqual(
      rcpts.map((x) => [x.rcpt, x.accepted]),
      [
        ['a@example.test', false],
        ['b@example.test', true],
      ],
    );
    assert.equal(o.queueId, 'PARTIAL1');
  });

  test('no accepted recipient means no DATA', async () => {
    const s = await serve([...hello(), expect(/^MAIL/i), reply('250 2.1.0 Ok'), expect(/^RCPT/i), reply('550 5.1.1 no such user'), ...quit()]);
    const r = await runCase(s, hostRequest(s, { request: { pipelining: false } }));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'rcpt' });
    assert.ok(!s.connections[0].commands.some((c) => /^DATA/i.test(c)), 'DATA was sent without an accepted recipient');
    assertExplains(o, { dotSent: false, quotes: 'no such user' });
  });

  test('when DATA gets something other than 354 the body is not sent', async () => {
    // PIPELINING: MAIL, RCPT and DATA go in one flight; the server refuses the recipient and so DATA.
    const s = await serve([
      ...hello('PIPELINING'),
      expect(/^MAIL/i),
      expect(/^RCPT/i),
      expect(/^DATA$/i),
      reply('250 2.1.0 Ok', '550 5.1.1 no such user', '554 5.5.1 Error: no valid recipients'),
      ...quit(),
    ]);
    const r = await runCase(s, hostRequest(s, { draft: { text: 'BODY-MARKER\n' } }));
    // RFC 2920 §3.1: the 554 to DATA is a consequence; the outcome names the refused recipient.
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'rcpt' });
    assert.ok(!s.connections[0].received().includes('BODY-MARKER'), 'the body was sent after a refused DATA');
    assertExplains(o, { dotSent: false, quotes: 'no such user' });
  });
});

describe('after the final dot', () => {
  test('after the final dot a closed connection means outcome unknown', async () => {
    const s = await serve([...hello(), expect(/^MAIL/i), reply('250 Ok'), expect(/^RCPT/i), reply('250 Ok'), expect(/^DATA/i), reply('354 go'), expectData(), close()]);
    const r = await runCase(s, hostRequest(s));
    const o = assertOneOutcome(r.events, { outcome: 'unknown' });
    assertExplains(o, { dotSent: true, mentions: /may have/i });
    assert.equal(s.connections.length, 1, 'never retried automatically (RFC 5321 §4.5.3.2)');
  });

  test('after the final dot a timeout means outcome unknown', async () => {
    const s = await serve([...hello(), expect(/^MAIL/i), reply('250 Ok'), expect(/^RCPT/i), reply('250 Ok'), expect(/^DATA/i), reply('354 go'), expectData(), delay(10_000)]);
    const r = await runCase(s, hostRequest(s, { timeouts: { dataEndMs: 600 } }), { deadlineMs: 600 + 500 });
    const o = assertOneOutcome(r.events, { outcome: 'unknown' });
    assertExplains(o, { dotSent: true, mentions: /may have/i });
    assert.equal(s.connections.length, 1, 'never retried automatically');
  });
});

describe('unexpected data aborts as desynchronisation', () => {
  test('two replies to one command abort as desynchronisation', async () => {
    const s = await serve([greet(), expect(/^EHLO/i), reply('250 mx.example.test', '250 and another one')]);
    const r = await runCase(s, hostRequest(s));
    // Detected when the next command is due, which is MAIL.
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: ['ehlo', 'mail'] });
    assertExplains(o, { dotSent: false, mentions: /unexpected|desync|injection|out of (step|sync)/i });
  });

  test('a second greeting before EHLO is answered aborts as desynchronisation', async () => {
    const s = await serve([reply('220 mx.example.test ESMTP', '220 again'), delay(3000)]);
    const r = await runCase(s, hostRequest(s));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: ['greeting', 'ehlo'] });
    assertExplains(o, { dotSent: false, mentions: /unexpected|desync|injection|out of (step|sync)/i });
  });
});
