// The pure rules of MX health (shared/probe): cells, differences, the verdict sentence, the egress diagnosis
// and request validation; plus the service's cancel and supersede, against a black hole.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createProbeMethods } from '../../electron/host/probe-methods';
import { bannerName, certNameCovers } from '../../shared/probe/banner';
import { markDifferences, matrixRow } from '../../shared/probe/cells';
import type { AddressProbe } from '../../shared/probe/types';
import { parseProbeMxRequest, parseProbeRelayRequest } from '../../shared/probe/validate';
import { diagnoseEgress, looksIntercepted } from '../../shared/probe/verdict';
import { startBlackHole, type BlackHole } from '../support/black-hole';
import { startDnsmasq, type Dnsmasq } from '../support/dnsmasq';
import { freePort } from '../support/free-port';
import { stopAll } from '../support/stop-all';

function probe(over: Partial<AddressProbe>): AddressProbe {
  return { host: 'mx.a.test', address: '192.0.2.1', family: 4, port: 25, tlsMode: 'starttls', connect: { ok: true, ms: 3 }, durationMs: 10, ...over };
}

const filtered = (address: string, family: 4 | 6 = 4): AddressProbe => probe({ address, family, connect: { ok: false, ms: 1000, failure: 'filtered', error: 'no answer' }, stoppedAt: 'connect' });

describe('MX health rules', () => {
  test('the banner name is the first word when it looks like a host name', () => {
    assert.equal(bannerName('mx.example.org ESMTP Postfix'), 'mx.example.org');
    assert.equal(bannerName('[192.0.2.1] hello'), '[192.0.2.1]');
    assert.equal(bannerName('ESMTP ready'), undefined);
    assert.equal(bannerName('<script>.x ESMTP'), undefined);
  });

  test('a wildcard certificate name covers exactly one label (RFC 6125 §6.4.3)', () => {
    assert.ok(certNameCovers('DNS:*.example.org', 'mx.example.org'));
    assert.ok(!certNameCovers('DNS:*.example.org', 'a.mx.example.org'));
    assert.ok(!certNameCovers('DNS:*.example.org', 'example.org'));
  });

  test('only the odd cells are marked as differing, and consequences (not reached) are not', () => {
    const rows = markDifferences([matrixRow(probe({ starttls: { offered: false } })), matrixRow(probe({ starttls: { offered: false } })), matrixRow(filtered('192.0.2.9'))]);
    assert.equal(rows[2].cells.connect.differs, true);
    assert.equal(rows[0].cells.connect.differs, undefined);
    assert.equal(rows[2].cells.starttls.verdict, 'skip');
    assert.equal(rows[0].cells.starttls.differs, undefined);
  });

  test('every address filtered, IPv4 and IPv6, is diagnosed as an outbound block', () => {
    const e = diagnoseEgress([filtered('192.0.2.1'), filtered('2001:db8::1', 6)], 25);
    assert.equal(e.kind, 'filtered');
    assert.deepEqual(e.tried, { v4: 1, v6: 1 });
  });

  test('IPv4 working and every IPv6 unreachable is "no IPv6 here", not a server problem', () => {
    const v6 = probe({ address: '2001:db8::1', family: 6, connect: { ok: false, ms: 1, failure: 'unreachable', error: 'network unreachable' } });
    assert.equal(diagnoseEgress([probe({}), v6], 25).kind, 'no_ipv6');
  });

  test('a greeting and certificate for another host are interception; a valid certificate for the MX is not', () => {
    const leaf = (names: string[]) => ({ subject: `CN=${names[0]}`, subjectAltNames: names.map((n) => `DNS:${n}`), issuer: 'CN=x', validFrom: '', validTo: '', fingerprint256: '', selfSigned: true });
    const tls = (names: string[]) => ({ offered: true, tls: { verified: false, chain: [leaf(names)], chainDer: [], chainTruncated: false, ms: 1 } });
    const banner = { code: 220, text: 'proxy.isp.example ESMTP', ms: 1, name: 'proxy.isp.example' };
    assert.ok(looksIntercepted(probe({ banner, starttls: tls(['proxy.isp.example']) })));
    assert.ok(!looksIntercepted(probe({ banner, starttls: tls(['mx.a.test']) })));
  });

  test('requests are validated: ids, domains, ports, timeouts, relay hosts', () => {
    assert.ok(parseProbeMxRequest({ probeId: 'x', query: 'example.org' }).ok);
    assert.equal(parseProbeMxRequest({ probeId: 'x', query: 'example.org', port: 0 }).ok, false);
    assert.equal(parseProbeMxRequest({ probeId: 'x', query: 'example.org', timeoutMs: 1 }).ok, false);
    assert.equal(parseProbeMxRequest({ probeId: 'x\n', query: 'example.org' }).ok, false);
    assert.equal(parseProbeMxRequest({ probeId: 'x', query: 'a\r\nb' }).ok, false);
    const relay = parseProbeRelayRequest({ probeId: 'r', host: 'smtp.example.net' });
    assert.ok(relay.ok && relay.value.ports?.join() === '587,465');
    assert.equal(parseProbeRelayRequest({ probeId: 'r', host: 'bad host' }).ok, false);
    assert.equal(parseProbeRelayRequest({ probeId: 'r', host: 'a.test', ports: [25, 587, 465, 2525, 26] }).ok, false);
  });
});

describe('probe service: cancel and supersede', () => {
  let dns: Dnsmasq;
  let hole: BlackHole;
  let port: number;
  before(async () => {
    dns = await startDnsmasq(['mx-host=slow.test,mx.slow.test,10', 'host-record=mx.slow.test,127.0.0.41']);
    port = await freePort();
    hole = await startBlackHole('127.0.0.41', port);
  });
  after(() => stopAll(hole, dns));

  test('a new probe with the same id supersedes the running one, which reports cancelled at once', async () => {
    const events: string[] = [];
    const methods = createProbeMethods({ defaultResolver: dns.server, emit: (e) => events.push(`${e.sessionId} ${e.kind}`) });
    const t0 = performance.now();
    const first = methods.probeMx({ probeId: 'same', query: 'slow.test', port, timeoutMs: 5000 });
    await new Promise((r) => setTimeout(r, 200));
    const second = methods.probeMx({ probeId: 'same', query: 'slow.test', port, timeoutMs: 300 });
    const a = await first;
    assert.ok(a.ok);
    assert.equal(a.value.verdict, 'cancelled');
    assert.ok(performance.now() - t0 < 1500, 'the superseded probe ended within a second');
    const b = await second;
    assert.ok(b.ok);
    assert.equal(b.value.verdict, 'undeliverable');
    assert.ok(events.includes('probe:same:0 probe_result'));
  });

  test('cancelProbe stops a running probe within a second', async () => {
    const methods = createProbeMethods({ defaultResolver: dns.server });
    const t0 = performance.now();
    const running = methods.probeMx({ probeId: 'c', query: 'slow.test', port, timeoutMs: 5000 });
    await new Promise((r) => setTimeout(r, 200));
    await methods.cancelProbe({ probeId: 'c' });
    const r = await running;
    assert.ok(r.ok && r.value.verdict === 'cancelled');
    assert.ok(performance.now() - t0 < 1200);
  });
});
