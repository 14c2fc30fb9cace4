// MX delivery through the private dnsmasq to the private Postfix (RFC 5321 §5.1): hosts in preference order,
// the next MX when the best one refuses the connection or black-holes it (SYNs dropped), recipients grouped
// per domain, null MX without any connection. The MX port is overridden so every "MX" is on Postfix's port.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startBlackHole, type BlackHole } from '../support/black-hole';
import { TEST_ZONE, startDnsmasq, type Dnsmasq } from '../support/dnsmasq';
import { postfixAvailable, startPostfix, stripDeliveryHeaders, type PostfixInstance } from '../support/postfix';
import { TEST_TIMEOUTS, rawDraft, run } from '../support/session-fixtures';
import type { SessionRequest } from '../../shared/model';

const skip = postfixAvailable().ok ? false : postfixAvailable().reason;

// blackhole.test: the best MX is a black hole on 127.0.0.6 (same port as Postfix), the second is Postfix.
const BLACKHOLE_ZONE = [
  'mx-host=blackhole.test,hole.blackhole.test,10',
  'mx-host=blackhole.test,up.blackhole.test,20',
  'host-record=hole.blackhole.test,127.0.0.6',
  'host-record=up.blackhole.test,127.0.0.1',
];

const RAW = 'From: sender@example.test\r\nTo: rcpt@fallback.test\r\nSubject: fallback\r\nMessage-ID: <fallback@example.test>\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n\r\nvia the second MX\r\n';

describe('MX delivery with fallback', { skip }, () => {
  let pf: PostfixInstance;
  let dns: Dnsmasq;
  let hole: BlackHole | undefined;
  before(async () => {
    [pf, dns] = await Promise.all([startPostfix(), startDnsmasq([...TEST_ZONE, ...BLACKHOLE_ZONE])]);
  });
  after(async () => {
    await hole?.stop();
    await Promise.all([pf?.stop(), dns?.stop()]);
  });
  beforeEach(async () => {
    await pf.clearDelivered();
  });

  const mxRequest = (rcpts: string[], over: Partial<SessionRequest> = {}): SessionRequest => ({
    draft: rawDraft(RAW, rcpts),
    target: { kind: 'mx' },
    port: pf.port,
    resolver: dns.server,
    tls: 'auto',
    certPolicy: 'verify',
    pipelining: true,
    chunking: true,
    mode: 'auto',
    heloName: 'client.example.test',
    timeouts: TEST_TIMEOUTS,
    ...over,
  });

  test('falls back to the next MX on connection refused', async () => {
    const r = await run(mxRequest(['rcpt@fallback.test']), { random: () => 0 });
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    const attempts = r.of('connect_result');
    assert.equal(attempts[0].host, 'down.fallback.test');
    assert.equal(attempts[0].ok, false);
    assert.match(attempts[0].error ?? '', /refused/);
    assert.equal(attempts[1].host, 'up.fallback.test');
    assert.equal(attempts[1].ok, true);
    assert.ok(r.of('dns').some((d) => d.query.type === 'MX' && d.query.name === 'fallback.test'), 'the MX query is an event');
    assert.equal(r.of('mx_plan')[0].report.hosts.map((h) => h.exchange).join(','), 'down.fallback.test,up.fallback.test');
    const [file] = await pf.readDelivered();
    assert.deepEqual(stripDeliveryHeaders(file), Buffer.from(RAW.replace(/\r\n/g, '\n')));
  });

  test('falls back to the next MX when the best one black-holes the connection (connect deadline)', async () => {
    hole = await startBlackHole('127.0.0.6', pf.port);
    const started = performance.now();
    const r = await run(mxRequest(['rcpt@blackhole.test'], { timeouts: { ...TEST_TIMEOUTS, connectMs: 400 } }));
    const took = performance.now() - started;
    await hole.stop();
    hole = undefined;
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    const first = r.of('connect_result')[0];
    assert.equal(first.host, 'hole.blackhole.test');
    assert.match(first.error ?? '', /no answer within 400 ms/);
    assert.ok(first.ms >= 390, `the attempt waited for the connect deadline (${first.ms} ms)`);
    assert.ok(took < 3000, `fallback took ${Math.round(took)} ms`);
    assert.equal((await pf.readDelivered()).length, 1);
  });

  test('preferHost moves the chosen MX first', async () => {
    const r = await run(mxRequest(['rcpt@fallback.test'], { target: { kind: 'mx', preferHost: 'up.fallback.test' } }));
    assert.equal(r.outcome, 'delivered');
    assert.equal(r.of('connect_attempt')[0].host, 'up.fallback.test', 'no attempt on the refused MX first');
  });

  test('recipients of two domains get one transaction each', async () => {
    const r = await run(mxRequest(['a@fallback.test', 'b@blackhole.test', 'c@fallback.test'], { target: { kind: 'mx', preferHost: 'up.blackhole.test' } }));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    const mails = r.of('command').filter((c) => c.text.startsWith('MAIL'));
    assert.equal(mails.length, 2, 'one MAIL per domain');
    const rcpts = r.of('command').filter((c) => c.text.startsWith('RCPT')).map((c) => c.text);
    assert.deepEqual(rcpts, ['RCPT TO:<a@fallback.test>', 'RCPT TO:<c@fallback.test>', 'RCPT TO:<b@blackhole.test>']);
    assert.equal((await pf.readDelivered({ count: 3 })).length, 3);
    assert.equal(r.of('outcome').length, 1, 'one outcome for the whole session');
  });

  test('a null MX domain gets no connection at all', async () => {
    const r = await run(mxRequest(['x@nullmx.test']));
    assert.equal(r.outcome, 'not_delivered');
    assert.match(r.last.reason, /accepts no mail/);
    assert.equal(r.last.stage, 'dns');
    assert.equal(r.of('connect_attempt').length, 0);
  });

  test('an implicit MX (no MX record, an A record) is used', async () => {
    const r = await run(mxRequest(['x@implicit.test']));
    // Postfix refuses implicit.test as a destination; what matters is where the engine connected.
    assert.equal(r.of('mx_plan')[0].report.verdict, 'implicit_mx');
    assert.equal(r.of('connect_attempt')[0].host, 'implicit.test');
    assert.equal(r.outcome, 'not_delivered');
    assert.equal(r.last.stage, 'rcpt');
  });
});
