// MX health against real peers started here: a dnsmasq zone whose MX hosts are the private Postfix (STARTTLS,
// a certificate for its name signed by a test CA, matching PTR), a refusing address, a black hole
// (filtered), an IPv6-only host on ::1 without STARTTLS, and a host with an expired certificate whose PTR
// names another host. Plus an interceptor, and a domain whose every MX is filtered (the egress diagnosis).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SessionEvent } from '../../shared/events';
import type { ProbeReport } from '../../shared/probe/types';
import { probeDomain } from '../../electron/engine/probe/probe-domain';
import { startBlackHole, type BlackHole } from '../support/black-hole';
import { makeCert } from '../support/certs';
import { startDnsmasq, type Dnsmasq } from '../support/dnsmasq';
import { startHostileServer, type HostileServer } from '../support/hostile-server';
import { HEALTH_ZONE, caSignedCert, plainServer, tlsServer } from '../support/probe-peers';
import { postfixAvailable, startPostfix, type PostfixInstance } from '../support/postfix';
import { stopAll } from '../support/stop-all';

const skip = postfixAvailable().ok ? false : postfixAvailable().reason;

describe('MX health probes against a zone of real peers', { skip }, () => {
  let dns: Dnsmasq;
  let pf: PostfixInstance;
  let hole: BlackHole;
  let hole2: BlackHole;
  let v6: HostileServer;
  let odd: HostileServer;
  let proxy: HostileServer;
  const ca = caSignedCert('mx.example.test');
  let report: ProbeReport;
  const events: SessionEvent[] = [];

  before(async () => {
    dns = await startDnsmasq(HEALTH_ZONE);
    pf = await startPostfix({ tls: true, tlsCert: ca });
    const port = pf.port;
    hole = await startBlackHole('127.0.0.13', port);
    hole2 = await startBlackHole('127.0.0.16', port);
    v6 = await startHostileServer(plainServer('v6.health.test'), { host: '::1', port });
    odd = await startHostileServer(tlsServer('odd.health.test', makeCert('expired', 'odd.health.test')), { host: '127.0.0.14', port });
    proxy = await startHostileServer(tlsServer('proxy.isp.example', makeCert('self-signed', 'proxy.isp.example')), { host: '127.0.0.15', port });
    const r = await probeDomain({ probeId: 'p1', query: 'health.test', resolver: dns.server, port, timeoutMs: 1000 }, { ca: [ca.caCert], emit: (e) => events.push(e) });
    assert.ok(r.ok, JSON.stringify(r));
    report = r.value;
  });
  after(async () => {
    await stopAll(proxy, odd, v6, hole2, hole, pf, dns);
  });

  const row = (host: string) => {
    const r = report.rows.find((x) => x.host === host);
    assert.ok(r, `no row for ${host}: ${report.rows.map((x) => x.host).join(', ')}`);
    return r;
  };

  test('probes every address of every MX host, IPv4 and IPv6 apart, in preference order', () => {
    assert.deepEqual(
      report.rows.map((r) => `${r.host} ${r.address}`),
      ['mx.example.test 127.0.0.1', 'refuse.health.test 127.0.0.12', 'hole.health.test 127.0.0.13', 'v6.health.test ::1', 'odd.health.test 127.0.0.14'],
    );
  });

  test('the Postfix host passes every check: STARTTLS, a certificate valid for the MX name, a matching forward-confirmed PTR', () => {
    const r = row('mx.example.test');
    assert.equal(r.verdict, 'pass', JSON.stringify(r.cells));
    const p = report.probes[0];
    assert.equal(p.banner?.name, 'mx.example.test');
    assert.ok(p.ehlo?.starttls && p.ehloTls?.chunking && p.ehloTls?.eightBitMime && p.ehloTls?.smtputf8);
    assert.ok(p.ehloTls?.size && p.ehloTls.size > 0);
    const tls = p.starttls?.tls;
    assert.equal(tls?.verified, true);
    assert.match(tls?.protocol ?? '', /^TLSv1\.[23]$/);
    assert.equal(tls?.chain[0].fingerprint256, pf.fingerprint256);
    assert.equal(tls?.chain[0].keyType, 'ec');
    assert.equal(tls?.chainDer.length, tls?.chain.length);
    assert.ok((tls?.daysToExpiry ?? -1) >= 0);
    assert.deepEqual(p.ptr?.names, ['mx.example.test']);
    assert.equal(p.ptr?.forwardConfirmed, true);
    assert.equal(p.ptr?.matchesBanner, true);
  });

  test('a refusing address and a filtered one are told apart', () => {
    assert.equal(row('refuse.health.test').cells.connect.text, 'refused');
    assert.equal(row('hole.health.test').cells.connect.text, 'filtered (no answer)');
    assert.equal(report.probes.find((p) => p.host === 'hole.health.test')?.connect.failure, 'filtered');
  });

  test('the IPv6-only host without STARTTLS fails that check, and the cell is marked as differing', () => {
    const r = row('v6.health.test');
    assert.equal(r.family, 6);
    assert.equal(r.cells.connect.verdict, 'pass');
    assert.equal(r.cells.starttls.text, 'not offered');
    assert.equal(r.cells.starttls.differs, true);
    assert.equal(r.cells.connect.differs, undefined);
  });

  test('an expired certificate and a PTR naming another host are named', () => {
    const r = row('odd.health.test');
    assert.equal(r.cells.certificate.verdict, 'fail');
    assert.match(r.cells.certificate.text, /^expired \d+ days ago$/);
    assert.equal(r.cells.certificate.differs, true);
    assert.equal(r.cells.ptr.verdict, 'warn');
    assert.deepEqual(report.probes[4].ptr?.names, ['elsewhere.other.test']);
    assert.equal(report.probes[4].ptr?.forwardConfirmed, false);
  });

  test('the verdict says mail can be delivered and names the first thing wrong', () => {
    assert.equal(report.verdict, 'degraded');
    assert.match(report.summary, /^Mail to health\.test can be delivered from here \(3 of 5 hosts accept connections on port \d+\), but refuse\.health\.test \(127\.0\.0\.12\) refuses connections/);
    assert.equal(report.egress.kind, 'ok');
  });

  test('a probe never sends MAIL FROM, ends with QUIT, and every address is its own event stream', async () => {
    const conn = await odd.connection(0);
    const text = conn.received().toString('latin1');
    assert.doesNotMatch(text, /MAIL FROM/i);
    const streams = new Set(events.map((e) => e.sessionId));
    assert.ok(streams.has('probe:p1') && streams.has('probe:p1:0') && streams.has('probe:p1:4'));
    const first = events.filter((e) => e.sessionId === 'probe:p1:0');
    assert.equal(first[0].kind, 'probe_start');
    assert.equal(first.at(-1)?.kind, 'probe_result');
    assert.ok(first.some((e) => e.kind === 'command' && e.text === 'QUIT'));
    assert.ok(!events.some((e) => e.kind === 'command' && /^MAIL/i.test(e.text)));
    assert.deepEqual(first.map((e) => e.seq), first.map((_, i) => i));
  });

  test('a banner and certificate that name another host are diagnosed as interception', async () => {
    const r = await probeDomain({ probeId: 'p2', query: 'intercept.test', resolver: dns.server, port: pf.port, timeoutMs: 1000 });
    assert.ok(r.ok);
    assert.equal(r.value.egress.kind, 'intercepted', r.value.egress.message);
    assert.match(r.value.egress.message, /answered by someone else: it greets as proxy\.isp\.example/);
  });

  test('when every MX is filtered, the egress diagnosis says port 25 looks blocked on the way out and offers the relay', async () => {
    const r = await probeDomain({ probeId: 'p3', query: 'blocked.test', resolver: dns.server, port: pf.port, timeoutMs: 800 });
    assert.ok(r.ok);
    assert.equal(r.value.verdict, 'undeliverable');
    assert.equal(r.value.egress.kind, 'filtered');
    assert.match(r.value.egress.message, /typical of an ISP or cloud provider blocking outbound port/);
    assert.match(r.value.egress.advice ?? '', /587.*465/);
    assert.ok(r.value.elapsedMs < 2500, `both black holes were probed at once (${r.value.elapsedMs} ms)`);
  });

  test('-6 probes only the IPv6 addresses', async () => {
    const r = await probeDomain({ probeId: 'p6', query: 'health.test', resolver: dns.server, port: pf.port, timeoutMs: 800, family: 6 });
    assert.ok(r.ok);
    assert.deepEqual(r.value.rows.map((x) => x.address), ['::1']);
  });

  test('a null MX is reported as "accepts no mail" and nothing is probed', async () => {
    const r = await probeDomain({ probeId: 'p4', query: 'nullmx.health.test', resolver: dns.server, port: pf.port, timeoutMs: 800 });
    assert.ok(r.ok);
    assert.equal(r.value.verdict, 'no_mail');
    assert.equal(r.value.probes.length, 0);
  });

  test('cancel ends a running probe at once, and the report says cancelled', async () => {
    const controller = new AbortController();
    const t0 = performance.now();
    const running = probeDomain({ probeId: 'p5', query: 'blocked.test', resolver: dns.server, port: pf.port, timeoutMs: 5000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    const r = await running;
    assert.ok(r.ok);
    assert.equal(r.value.verdict, 'cancelled');
    assert.ok(performance.now() - t0 < 1500);
  });
});
