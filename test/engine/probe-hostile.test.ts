// Bad input for MX health probes: a domain with 200 MX records, hosts with 50 addresses each, a 1 MB banner,
// a chain of 100 certificates, a reset right after connect, a 554 greeting, a server that never greets,
// EHLO refused (HELO fallback) and AUTH offered on port 25. Each ends within its deadline, with a clear
// message, and memory stays bounded.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { probeDomain } from '../../electron/engine/probe/probe-domain';
import { ehloCell } from '../../shared/probe/cells';
import { MAX_CHAIN_CERTS } from '../../shared/probe/types';
import { startDnsmasq, type Dnsmasq } from '../support/dnsmasq';
import { freePort } from '../support/free-port';
import { delay, expect, flood, reply, reset, startHostileServer, close, type HostileServer } from '../support/hostile-server';
import { longChain, tlsServer } from '../support/probe-peers';
import { stopAll } from '../support/stop-all';

const ZONE = [
  // big.test: 200 MX hosts, all on addresses where nothing listens (refused at once).
  ...Array.from({ length: 200 }, (_, i) => `mx-host=big.test,h${i}.big.test,${i}`),
  ...Array.from({ length: 200 }, (_, i) => `host-record=h${i}.big.test,127.0.5.${(i % 250) + 1}`),
  // wide.test: 2 hosts with 50 addresses each (refused).
  'mx-host=wide.test,w1.wide.test,10',
  'mx-host=wide.test,w2.wide.test,20',
  ...Array.from({ length: 50 }, (_, i) => `address=/w1.wide.test/127.0.6.${i + 1}`),
  ...Array.from({ length: 50 }, (_, i) => `address=/w2.wide.test/127.0.7.${i + 1}`),
  ...['flood', 'chain', 'reset', 'nogreet', 'busy', 'helo', 'auth'].flatMap((n, i) => [`mx-host=${n}.test,mx.${n}.test,10`, `host-record=mx.${n}.test,127.0.8.${i + 1}`]),
];

describe('MX health probes survive hostile input', () => {
  let dns: Dnsmasq;
  let port: number;
  const servers: HostileServer[] = [];

  before(async () => {
    dns = await startDnsmasq(ZONE);
    port = await freePort();
    const at = async (i: number, script: Parameters<typeof startHostileServer>[0]) => servers.push(await startHostileServer(script, { host: `127.0.8.${i}`, port }));
    await at(1, [flood(1024 * 1024)]);
    await at(2, tlsServer('mx.chain.test', longChain('mx.chain.test', 12, 100)));
    await at(3, [reset()]);
    await at(4, [delay(5000)]);
    await at(5, [reply('554 5.7.1 no service for you'), expect(/^QUIT/i), reply('221 bye'), close()]);
    await at(6, [reply('220 mx.helo.test old SMTP'), expect(/^EHLO/i), reply('502 5.5.2 what?'), expect(/^HELO/i), reply('250 mx.helo.test'), expect(/^QUIT/i), reply('221 bye'), close()]);
    await at(7, [reply('220 mx.auth.test ESMTP'), expect(/^EHLO/i), reply('250-mx.auth.test', '250-AUTH PLAIN LOGIN', '250 8BITMIME'), expect(/^QUIT/i), reply('221 bye'), close()]);
  });
  after(async () => {
    await stopAll(...servers, dns);
  });

  const check = (domain: string, timeoutMs = 600) => probeDomain({ probeId: domain, query: domain, resolver: dns.server, port, timeoutMs });

  test('a domain with 200 MX records probes the first 32 by preference and names the rest', async () => {
    const t0 = performance.now();
    const r = await check('big.test');
    assert.ok(r.ok);
    assert.equal(r.value.probes.length, 32);
    assert.deepEqual(r.value.rows.slice(0, 2).map((x) => x.host), ['h0.big.test', 'h1.big.test']);
    assert.match(r.value.skipped[0], /^168 more MX hosts \(of 200\) were not probed: at most 32/);
    assert.ok(performance.now() - t0 < 3000);
  });

  test('hosts with 50 addresses each get at most 8 probes each, a few at a time, and the cap is named', async () => {
    const t0 = performance.now();
    const r = await check('wide.test');
    assert.ok(r.ok);
    assert.equal(r.value.probes.length, 16);
    assert.ok(r.value.skipped.some((s) => /^w1\.wide\.test: 42 of 50 addresses were not probed \(at most 8 per host\)\.$/.test(s)), r.value.skipped.join('\n'));
    assert.equal(r.value.egress.kind, 'refused');
    assert.ok(performance.now() - t0 < 3000);
  });

  test('a 1 MB banner stops at the reply line cap with a clear message, fast, and memory stays flat', async () => {
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    const r = await check('flood.test', 2000);
    assert.ok(r.ok);
    const p = r.value.probes[0];
    assert.equal(p.stoppedAt, 'greeting');
    assert.match(p.error ?? '', /A reply line is longer than 4096 bytes/);
    assert.equal(r.value.rows[0].cells.banner.text, 'no greeting');
    assert.ok(performance.now() - t0 < 1500);
    assert.ok(process.memoryUsage().rss - rss0 < 16 * 1024 * 1024);
  });

  test('a chain of 100 certificates is kept to the first 10, leaf first, and marked truncated', async () => {
    const r = await check('chain.test', 2000);
    assert.ok(r.ok);
    const tls = r.value.probes[0].starttls?.tls;
    assert.ok(tls, JSON.stringify(r.value.probes[0]));
    assert.equal(tls.chain.length, MAX_CHAIN_CERTS);
    assert.equal(tls.chainDer.length, MAX_CHAIN_CERTS);
    assert.equal(tls.chainTruncated, true);
    assert.match(tls.chain[0].subject, /CN=mx\.chain\.test/);
    assert.match(tls.chain[1].subject, /CN=Chain CA 1/);
    assert.equal(r.value.rows[0].cells.certificate.text, 'self-signed', 'the chain ends in a root nobody trusts');
  });

  test('a reset right after connect is named as such', async () => {
    const r = await check('reset.test');
    assert.ok(r.ok);
    assert.equal(r.value.probes[0].connect.failure, 'reset');
    assert.equal(r.value.rows[0].cells.connect.text, 'reset after connect');
    assert.match(r.value.summary, /cannot be delivered from here/);
  });

  test('a server that never greets is given up at the greeting deadline', async () => {
    const t0 = performance.now();
    const r = await check('nogreet.test', 500);
    assert.ok(r.ok);
    assert.equal(r.value.probes[0].stoppedAt, 'greeting');
    assert.match(r.value.probes[0].error ?? '', /no greeting within 500 ms/);
    assert.ok(performance.now() - t0 < 1500);
  });

  test('a 554 greeting is a failed banner ("no service") and the probe says QUIT', async () => {
    const r = await check('busy.test');
    assert.ok(r.ok);
    assert.equal(r.value.rows[0].cells.banner.text, '554 no service');
    assert.match((await servers[4].connection(0)).commands.join(' '), /QUIT/);
  });

  test('EHLO refused falls back to HELO (a warning), and AUTH on port 25 is worth a warning', async () => {
    const helo = await check('helo.test');
    assert.ok(helo.ok);
    assert.equal(helo.value.rows[0].cells.ehlo.text, 'HELO only (no ESMTP)');
    assert.equal(helo.value.rows[0].cells.ehlo.verdict, 'warn');
    // The AUTH warning is about port 25; the probe ran on a test port, so check the rule on the cell itself.
    const auth = await probeDomain({ probeId: 'a', query: 'auth.test', resolver: dns.server, port, timeoutMs: 600 });
    assert.ok(auth.ok);
    assert.deepEqual(auth.value.probes[0].ehlo?.auth, ['PLAIN', 'LOGIN']);
    const on25 = ehloCell({ ...auth.value.probes[0], port: 25 });
    assert.equal(on25.verdict, 'warn');
    assert.equal(on25.text, 'AUTH on port 25 (PLAIN LOGIN)');
  });
});
