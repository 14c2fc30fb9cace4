// RELIABILITY.md "DNS" (and the MX-order rules of "Time"): permanent vs temporary lookup failures, null MX
// and implicit MX, and falling back to the next MX when the best one refuses or black-holes. The private
// dnsmasq serves TEST_ZONE; `port` applies to MX targets so every "MX" is one of our loopback servers.
// Every case also checks T, K, S and C.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { SessionRequest } from '../../shared/model';
import { startBlackHole, type BlackHole } from '../support/black-hole';
import { startDnsmasq, TEST_ZONE, type Dnsmasq } from '../support/dnsmasq';
import { reply, startHostileServer, type HostileServer, type HostileStep } from '../support/hostile-server';
import { assertExplains, assertOneOutcome } from '../support/invariants';
import { quickTimeouts, runCase, testDraft } from '../support/session-case';
import { startSilentDns, type SilentDns } from '../support/silent-dns';
import { acceptMessage, hello } from '../support/smtp-script';

let dns: Dnsmasq;
let server: HostileServer | undefined;
let second: HostileServer | undefined;
let hole: BlackHole | undefined;
let silent: SilentDns | undefined;
before(async () => {
  dns = await startDnsmasq(TEST_ZONE);
});
after(async () => {
  await dns.stop();
});
afterEach(async () => {
  await server?.stop();
  await second?.stop();
  await hole?.stop();
  await silent?.stop();
  server = second = hole = silent = undefined;
});

function mxRequest(to: string, port: number, over: Partial<SessionRequest> = {}): SessionRequest {
  return {
    draft: testDraft({ to }),
    target: { kind: 'mx' },
    port,
    tls: 'auto',
    certPolicy: 'verify',
    heloName: 'client.example.test',
    pipelining: true,
    chunking: true,
    mode: 'auto',
    resolver: dns.server,
    ...over,
    timeouts: { ...quickTimeouts(1000), ...over.timeouts },
  };
}

const delivered = (): HostileStep[] => [...hello('PIPELINING'), ...acceptMessage()];
const attempts = (events: Array<{ kind: string }>) => events.filter((e) => e.kind === 'connect_attempt') as Array<{ kind: 'connect_attempt'; address: string }>;

describe('lookup failures', () => {
  test("NXDOMAIN is permanent: 'domain does not exist'", async () => {
    const r = await runCase(undefined, mxRequest('user@no-such-domain.test', 25));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'dns' });
    assertExplains(o, { dotSent: false, mentions: /does not exist/i });
    assert.equal(attempts(r.events).length, 0, 'no connection');
  });

  test("SERVFAIL is temporary: 'lookup failed, try again'", async () => {
    silent = await startSilentDns({ rcode: 2 });
    const r = await runCase(undefined, mxRequest('user@example.test', 25, { resolver: silent.server }));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'dns' });
    assertExplains(o, { dotSent: false, mentions: /try again|temporar/i });
  });

  test('a DNS timeout is temporary and ends within the DNS deadline', async () => {
    silent = await startSilentDns();
    const r = await runCase(undefined, mxRequest('user@example.test', 25, { resolver: silent.server, timeouts: { dnsMs: 500 } }), { deadlineMs: 500 });
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'dns' });
    assertExplains(o, { dotSent: false, mentions: /try again|temporar|time/i });
  });

  test("null MX: 'domain accepts no mail', and no connection is made", async () => {
    const r = await runCase(undefined, mxRequest('user@nullmx.test', 25));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'dns' });
    assertExplains(o, { dotSent: false, mentions: /accepts no mail|null MX/i });
    assert.equal(attempts(r.events).length, 0, 'no connection');
  });

  test('a domain with no mail host at all is refused without connecting', async () => {
    const r = await runCase(undefined, mxRequest('user@nomail.test', 25));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'dns' });
    assertExplains(o, { dotSent: false });
    assert.equal(attempts(r.events).length, 0);
  });
});

describe('implicit MX and MX order', () => {
  test('no MX: the implicit MX (the domain A record) is used and stated in the log', async () => {
    server = await startHostileServer(delivered());
    const r = await runCase(server, mxRequest('user@implicit.test', server.port));
    assertOneOutcome(r.events, { outcome: 'delivered' });
    const plan = r.events.find((e) => e.kind === 'mx_plan');
    const stated = JSON.stringify(r.events.filter((e) => e.kind === 'mx_plan' || e.kind === 'info'));
    assert.ok(plan, 'an mx_plan event');
    assert.match(stated, /implicit/i);
  });

  test('a best MX that refuses falls back to the second MX', async () => {
    // down.fallback.test (10) is 127.0.0.3, where nothing listens on our port; up.fallback.test (20) is us.
    server = await startHostileServer(delivered());
    const r = await runCase(server, mxRequest('user@fallback.test', server.port));
    assertOneOutcome(r.events, { outcome: 'delivered' });
    const tried = attempts(r.events).map((a) => a.address);
    assert.deepEqual(tried, ['127.0.0.3', '127.0.0.1']);
    const failed = r.events.find((e) => e.kind === 'connect_result' && !e.ok);
    assert.match(JSON.stringify(failed), /refused/i);
  });

  test('a best MX that black-holes falls back to the second MX after the connect deadline', async () => {
    server = await startHostileServer(delivered());
    hole = await startBlackHole('127.0.0.3', server.port);
    const r = await runCase(server, mxRequest('user@fallback.test', server.port, { timeouts: { connectMs: 400 } }), { deadlineMs: 400 + 1000 });
    assertOneOutcome(r.events, { outcome: 'delivered' });
    assert.deepEqual(
      attempts(r.events).map((a) => a.address),
      ['127.0.0.3', '127.0.0.1'],
    );
  });

  test('a 4xx greeting moves on to the next MX', async () => {
    server = await startHostileServer(delivered());
    second = await startHostileServer([reply('421 4.3.2 busy, try another MX')], { host: '127.0.0.3', port: server.port });
    const r = await runCase(server, mxRequest('user@fallback.test', server.port));
    assertOneOutcome(r.events, { outcome: 'delivered' });
    assert.equal(second.connections.length, 1);
  });

  test('a 5xx greeting ends the delivery (no other MX is tried)', async () => {
    server = await startHostileServer(delivered());
    second = await startHostileServer([reply('554 5.7.1 no service for you')], { host: '127.0.0.3', port: server.port });
    const r = await runCase(second, mxRequest('user@fallback.test', server.port));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'greeting' });
    assertExplains(o, { dotSent: false, quotes: 'no service for you' });
    assert.equal(server.connections.length, 0, 'the second MX was not tried after a 5xx greeting');
  });

  test('the MX plan warns about loopback MX addresses', async () => {
    server = await startHostileServer(delivered());
    const r = await runCase(server, mxRequest('user@fallback.test', server.port));
    const plan = r.events.find((e) => e.kind === 'mx_plan');
    assert.ok(plan && plan.kind === 'mx_plan');
    assert.ok(plan.report.hosts.some((h) => h.warnings.includes('private_address')));
  });
});
