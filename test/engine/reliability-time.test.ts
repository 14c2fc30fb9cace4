// RELIABILITY.md "Time": absolute per-reply deadlines, black holes, refusals and resets, backpressure and
// cancel. Every case also checks T, K, S and C (test/support/session-case.ts).
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { startBlackHole, type BlackHole } from '../support/black-hole';
import { freePort } from '../support/free-port';
import { delay, drip, expect, expectData, neverRead, reply, reset, startHostileServer, type HostileServer } from '../support/hostile-server';
import { assertExplains, assertMemoryBounded, assertOneOutcome, MiB } from '../support/invariants';
import { flatText, hostRequest, runCase } from '../support/session-case';
import { acceptMessage, ehloReply, greet, hello } from '../support/smtp-script';

let server: HostileServer | undefined;
let hole: BlackHole | undefined;
afterEach(async () => {
  await server?.stop();
  await hole?.stop();
  server = undefined;
  hole = undefined;
});

async function serve(steps: Parameters<typeof startHostileServer>[0]) {
  server = await startHostileServer(steps);
  return server;
}

describe('absolute deadlines per reply', () => {
  test('a server dripping one byte every 100 ms hits the absolute reply deadline (an idle timer never would)', async () => {
    const s = await serve([drip(`220 ${'slow '.repeat(100)}\r\n`, 100)]);
    const r = await runCase(s, hostRequest(s, { timeouts: { greetingMs: 800 } }), { deadlineMs: 800 });
    // No greeting counts as a failed attempt (the next address would be tried): stage greeting or connect.
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: ['greeting', 'connect'] });
    assertExplains(o, { dotSent: false, mentions: /time|deadline|within|no (complete )?reply/i });
  });

  test('a silent server hits the greeting deadline', async () => {
    const s = await serve([delay(10_000)]);
    const r = await runCase(s, hostRequest(s, { timeouts: { greetingMs: 500 } }), { deadlineMs: 500 });
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: ['greeting', 'connect'] });
    assertExplains(o, { dotSent: false, mentions: /time|deadline|within/i });
  });

  test('a server that never answers MAIL hits the MAIL deadline', async () => {
    const s = await serve([...hello(), expect(/^MAIL/i), delay(10_000)]);
    const r = await runCase(s, hostRequest(s, { timeouts: { mailMs: 500 } }), { deadlineMs: 500 });
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'mail' });
    assertExplains(o, { dotSent: false, mentions: /time|deadline|within/i });
  });

  test('a server that never answers DATA hits the DATA-start deadline', async () => {
    const s = await serve([...hello(), expect(/^MAIL/i), reply('250 Ok'), expect(/^RCPT/i), reply('250 Ok'), expect(/^DATA/i), delay(10_000)]);
    const r = await runCase(s, hostRequest(s, { timeouts: { dataStartMs: 500 } }), { deadlineMs: 500 });
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'data' });
    assertExplains(o, { dotSent: false, mentions: /time|deadline|within/i });
  });

  test('a server that never answers QUIT does not hold a delivered session past the QUIT grace period', async () => {
    const s = await serve([
      ...hello(),
      expect(/^MAIL/i),
      reply('250 Ok'),
      expect(/^RCPT/i),
      reply('250 Ok'),
      expect(/^DATA/i),
      reply('354 go'),
      expectData(),
      reply('250 2.0.0 Ok: queued as SILENTQUIT'),
      expect(/^QUIT/i),
      delay(10_000),
    ]);
    const r = await runCase(s, hostRequest(s, { timeouts: { quitMs: 400 } }), { deadlineMs: 400 });
    const o = assertOneOutcome(r.events, { outcome: 'delivered' });
    assert.equal(o.queueId, 'SILENTQUIT');
  });
});

describe('connect failures', () => {
  test('a black hole (SYN dropped) gets a clear error at the connect deadline', async () => {
    hole = await startBlackHole();
    const r = await runCase(undefined, hostRequest(hole, { timeouts: { connectMs: 500 } }), { deadlineMs: 500 });
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'connect' });
    assertExplains(o, { dotSent: false, mentions: /time|no answer|deadline|within/i });
    assert.ok(r.kinds.includes('connect_attempt'));
  });

  test('a refused connection gets a clear error', async () => {
    const port = await freePort(); // nothing listens there: connect is refused
    const r = await runCase(undefined, hostRequest({ host: '127.0.0.1', port }));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'connect' });
    assertExplains(o, { dotSent: false, mentions: /refused/i });
  });

  test('a reset at the greeting gets a clear error', async () => {
    const s = await serve([reset()]);
    const r = await runCase(s, hostRequest(s));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: ['greeting', 'connect'] });
    assertExplains(o, { dotSent: false, mentions: /reset|closed/i });
  });

  test('a reset in the middle of the dialog gets a clear error', async () => {
    const s = await serve([...hello(), expect(/^MAIL/i), reset()]);
    const r = await runCase(s, hostRequest(s));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'mail' });
    assertExplains(o, { dotSent: false, mentions: /reset|closed/i });
  });
});

describe('write backpressure', () => {
  test('a server that stops reading during DATA hits the data-block deadline and memory stays flat', async () => {
    const s = await serve([...hello(), expect(/^MAIL/i), reply('250 Ok'), expect(/^RCPT/i), reply('250 Ok'), expect(/^DATA/i), neverRead(), reply('354 go'), delay(20_000)]);
    // 12 MiB: about three times what the loopback socket buffers hold, so the writer must wait for the
    // server; a writer that ignored backpressure would queue the rest in memory.
    const text = flatText(12 * MiB);
    const req = hostRequest(s, { draft: { text }, timeouts: { dataBlockMs: 800 } });
    // Composing and measuring 12 MiB happens before any wait starts, so the whole-session bound is loose;
    // the data-block deadline itself is checked from the 354 onwards.
    const r = await runCase(s, req, { deadlineMs: 8000, memory: true });
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: ['body', 'data'] });
    assertExplains(o, { dotSent: false, mentions: /time|deadline|within|not reading/i });
    const go = r.replies.find((x) => x.code === 354);
    assert.ok(go, 'the 354 arrived');
    const last = r.events[r.events.length - 1];
    assert.ok(last.at - go.at <= 800 + 1000, `data-block deadline: ${Math.round(last.at - go.at)} ms from 354 to outcome`);
    assert.ok(s.connections[0].receivedBytes < 12 * MiB, 'the server really stopped reading');
    assertMemoryBounded(r.memory!);
  });
});

describe('cancel', () => {
  test('cancel while waiting for a reply takes effect within 1 s', async () => {
    const s = await serve([greet(), expect(/^EHLO/i), delay(10_000)]);
    const r = await runCase(s, hostRequest(s, { timeouts: { commandMs: 30_000 } }), { cancelAfterMs: 200, deadlineMs: 1200 });
    const o = assertOneOutcome(r.events, { outcome: 'cancelled' });
    assert.equal(o.dotSent, false);
    assert.ok(r.cancelToOutcomeMs! < 1000);
  });

  test('cancel while connecting to a black hole takes effect within 1 s', async () => {
    hole = await startBlackHole();
    const r = await runCase(undefined, hostRequest(hole, { timeouts: { connectMs: 30_000 } }), { cancelAfterMs: 200, deadlineMs: 1200 });
    const o = assertOneOutcome(r.events, { outcome: 'cancelled', stage: 'connect' });
    assert.equal(o.dotSent, false);
  });

  test('cancel during the message body takes effect within 1 s and nothing is delivered', async () => {
    const s = await serve([...hello(), expect(/^MAIL/i), reply('250 Ok'), expect(/^RCPT/i), reply('250 Ok'), expect(/^DATA/i), neverRead(), reply('354 go'), delay(20_000)]);
    const req = hostRequest(s, { draft: { text: flatText(12 * MiB) }, timeouts: { dataBlockMs: 30_000 } });
    let cancelledAt = 0;
    const r = await runCase(s, req, {
      deadlineMs: 8000,
      onEvent: (e, control) => {
        if (e.kind === 'reply' && e.code === 354) {
          // Let the writer fill the socket buffers first, then cancel.
          setTimeout(() => {
            cancelledAt = e.at + 300;
            control.cancel();
          }, 300);
        }
      },
    });
    const o = assertOneOutcome(r.events, { outcome: 'cancelled' });
    assert.equal(o.dotSent, false);
    const endAt = r.events[r.events.length - 1].at;
    assert.ok(endAt - cancelledAt < 1000, `cancel took ${Math.round(endAt - cancelledAt)} ms`);
  });

  test('cancel during a slow EHLO reply takes effect within 1 s', async () => {
    const s = await serve([greet(), expect(/^EHLO/i), drip('250-mx.example.test\r\n250 SIZE 100000\r\n', 200), ...acceptMessage()]);
    const r = await runCase(s, hostRequest(s, { timeouts: { commandMs: 30_000 } }), { cancelAfterMs: 300, deadlineMs: 1300 });
    assertOneOutcome(r.events, { outcome: 'cancelled' });
  });
});

describe('every deadline can be overridden', () => {
  test('an EHLO reply that arrives within an overridden deadline is accepted', async () => {
    const s = await serve([greet(), expect(/^EHLO/i), delay(300), ehloReply(), ...acceptMessage()]);
    const r = await runCase(s, hostRequest(s, { timeouts: { commandMs: 1500 } }), { deadlineMs: 2000 });
    assertOneOutcome(r.events, { outcome: 'delivered' });
  });
});
