import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MxReport, MxLookupRequest } from '../../shared/model';
import type { MxLookupDeps } from '../../electron/engine/mx-lookup';
import { lookupMx } from '../../electron/engine/mx-lookup';
import type { DnsRecordType } from '../../shared/dns-types';
import type { DnsResolver } from '../../electron/engine/resolver';
import { createNodeResolver } from '../../electron/engine/resolver';
import type { Dnsmasq } from '../support/dnsmasq';
import { startDnsmasq, TEST_ZONE } from '../support/dnsmasq';
import { startSilentDns } from '../support/silent-dns';
import { startUdpDelayProxy } from '../support/udp-delay-proxy';

let dns: Dnsmasq;
before(async () => {
  dns = await startDnsmasq(TEST_ZONE);
});
after(async () => {
  await dns?.stop();
});

async function report(req: Omit<MxLookupRequest, 'resolver'> & { resolver?: string }, deps: MxLookupDeps = {}): Promise<MxReport> {
  const r = await lookupMx({ resolver: dns.server, ...req }, deps);
  assert.ok(r.ok, r.ok ? '' : `lookup failed: ${r.error.message}`);
  return r.value;
}

/**
 * Wraps a resolver and measures the lookup's critical path: a query's depth is one more than the deepest
 * query that had already been answered when it was asked. The deepest depth is the number of sequential
 * round trips, however many queries ran side by side.
 */
function countingResolver(inner: DnsResolver): { resolver: DnsResolver; depth(): number; asked: string[] } {
  const answered: number[] = [];
  const asked: string[] = [];
  const wrap =
    <A extends unknown[], T>(type: string, fn: (name: string, ...rest: A) => Promise<T>) =>
    async (name: string, ...rest: A): Promise<T> => {
      const depth = 1 + Math.max(0, ...answered);
      asked.push(`${type} ${name}`);
      try {
        return await fn(name, ...rest);
      } finally {
        answered.push(depth);
      }
    };
  return {
    asked,
    depth: () => Math.max(0, ...answered),
    resolver: {
      label: inner.label,
      cancel: () => inner.cancel(),
      resolveMx: wrap('MX', (n) => inner.resolveMx(n)),
      resolve4: wrap('A', (n) => inner.resolve4(n)),
      resolve6: wrap('AAAA', (n) => inner.resolve6(n)),
      query: <T extends DnsRecordType>(n: string, type: T) => wrap(type, (m: string) => inner.query(m, type))(n),
      dnssec: <T extends DnsRecordType>(n: string, type: T) => wrap(type, (m: string) => inner.dnssec(m, type))(n),
      // The validation probe runs beside the first question; it is not one of the lookup's questions.
      validates: () => inner.validates(),
    },
  };
}

describe('MX lookup against a private dnsmasq', () => {
  test('an MX set comes back sorted by preference with the tied hosts side by side', async () => {
    const r = await report({ query: 'example.test' });
    assert.equal(r.verdict, 'mx');
    assert.deepEqual(
      r.hosts.map((h) => h.preference),
      [5, 10, 20, 20],
    );
    assert.deepEqual(r.hosts.slice(0, 2).map((h) => h.exchange), ['mx0.example.test', 'mx1.example.test']);
    assert.deepEqual(r.hosts.slice(2).map((h) => h.exchange).sort(), ['mx2a.example.test', 'mx2b.example.test']);
    assert.match(r.summary, /example\.test has 4 MX hosts; mail goes first to mx0\.example\.test \(preference 5\)/);
  });

  test('hosts of equal preference are ordered by the injected random', async () => {
    const low = await report({ query: 'example.test' }, { random: () => 0 });
    const high = await report({ query: 'example.test' }, { random: () => 0.999 });
    const tie = (r: MxReport) => r.hosts.slice(2).map((h) => h.exchange);
    assert.deepEqual(tie(low), [...tie(high)].reverse());
  });

  test('every host gets its A and AAAA records with TTLs, and each query its status, time and resolver', async () => {
    const r = await report({ query: 'example.test' });
    const mx1 = r.hosts.find((h) => h.exchange === 'mx1.example.test');
    assert.ok(mx1);
    assert.deepEqual(
      mx1.addresses.map((a) => [a.family, a.address, a.ttl]),
      [
        [4, '127.0.0.1', 300],
        [6, '::1', 300],
      ],
    );
    assert.equal(mx1.ttl, 300, 'the MX record TTL comes with the host');
    assert.equal(r.mxTtl, 300, 'and with the report');
    assert.deepEqual(mx1.addressDnssec, { A: 'unknown', AAAA: 'unknown' }, 'dnsmasq does not validate');
    assert.equal(r.dnssec?.validating, false);
    assert.match(r.dnssec?.note ?? '', /does not validate DNSSEC, so DANE cannot be judged/);
    assert.deepEqual(
      mx1.queries.map((q) => `${q.type} ${q.status}`),
      ['A ok', 'AAAA ok'],
    );
    assert.equal(r.queries.length, 1 + 2 * 4);
    assert.equal(r.queries[0].type, 'MX');
    for (const q of r.queries) {
      assert.equal(q.resolver, dns.server);
      assert.ok(q.ms >= 0 && q.ms < 5000);
    }
    assert.equal(r.resolver, dns.server, 'the report names the resolver that answered');
  });

  test('loopback addresses are flagged and the host warned about', async () => {
    const r = await report({ query: 'example.test' });
    for (const h of r.hosts) {
      assert.ok(h.addresses.every((a) => a.flags.includes('loopback')));
      assert.deepEqual(h.warnings, ['private_address']);
    }
  });

  test('a lookup costs exactly two sequential round trips: MX, then every A and AAAA at once', async () => {
    let counter: ReturnType<typeof countingResolver> | undefined;
    const createResolver = (server: string | undefined, timeoutMs: number): DnsResolver => {
      counter = countingResolver(createNodeResolver(server, timeoutMs));
      return counter.resolver;
    };
    const r = await report({ query: 'example.test' }, { createResolver });
    assert.ok(counter);
    assert.equal(counter.depth(), 2);
    assert.equal(r.roundTrips, 2);
    assert.equal(counter.asked.length, 9);
  });

  test('through a link with 150 ms round trips, the lookup takes two of them, not nine', async () => {
    const delay = 75;
    const proxy = await startUdpDelayProxy({ host: '127.0.0.1', port: dns.port }, delay);
    try {
      const r = await report({ query: 'example.test', resolver: proxy.server });
      assert.equal(r.verdict, 'mx');
      // MX + 4 × (A, AAAA) + the validation probe (DNSKEY of the root), which runs beside the MX query.
      assert.equal(proxy.forwarded, 10);
      assert.ok(r.elapsedMs >= 2 * 2 * delay - 5, `took ${r.elapsedMs} ms`);
      assert.ok(r.elapsedMs < 3 * 2 * delay, `took ${r.elapsedMs} ms, more than two round trips`);
    } finally {
      await proxy.stop();
    }
  });

  test('no MX but an A record: implicit MX, the domain itself is the mail host (RFC 5321 §5.1)', async () => {
    const r = await report({ query: 'implicit.test' });
    assert.equal(r.verdict, 'implicit_mx');
    assert.equal(r.roundTrips, 2);
    assert.equal(r.hosts.length, 1);
    const [h] = r.hosts;
    assert.equal(h.implicit, true);
    assert.equal(h.exchange, 'implicit.test');
    assert.deepEqual(h.addresses.map((a) => a.address), ['127.0.0.1']);
    assert.deepEqual(r.queries.map((q) => `${q.type} ${q.status}`), ['MX nodata', 'A ok', 'AAAA nodata']);
    assert.match(r.summary, /no MX records.*implicit MX, RFC 5321 §5\.1/);
  });

  test('no MX and no address: the domain has no mail host', async () => {
    const r = await report({ query: 'nomail.test' });
    assert.equal(r.verdict, 'no_mail_host');
    assert.deepEqual(r.hosts, []);
    assert.match(r.summary, /cannot receive mail/);
  });

  test('a null MX means the domain accepts no mail, and no address is looked up (RFC 7505)', async () => {
    const r = await report({ query: 'nullmx.test' });
    assert.equal(r.verdict, 'null_mx');
    assert.deepEqual(r.hosts, []);
    assert.deepEqual(r.queries.map((q) => q.type), ['MX']);
    assert.equal(r.roundTrips, 1);
    assert.match(r.summary, /accepts no mail/);
  });

  test('a name that does not exist is NXDOMAIN, a permanent verdict after one round trip', async () => {
    const r = await report({ query: 'user@does-not-exist.test' });
    assert.equal(r.verdict, 'nxdomain');
    assert.equal(r.roundTrips, 1);
    assert.equal(r.queries[0].status, 'nxdomain');
    assert.match(r.summary, /does not exist \(NXDOMAIN\)\. This is permanent/);
  });

  test('a host with only an A record and a host with only an AAAA record', async () => {
    const v4 = await report({ query: 'v4only.test' });
    assert.deepEqual(v4.hosts[0].addresses.map((a) => `${a.family} ${a.address}`), ['4 127.0.0.1']);
    assert.deepEqual(v4.hosts[0].queries.map((q) => `${q.type} ${q.status}`), ['A ok', 'AAAA nodata']);
    const v6 = await report({ query: 'v6only.test' });
    assert.deepEqual(v6.hosts[0].addresses.map((a) => `${a.family} ${a.address}`), ['6 ::1']);
    assert.deepEqual(v6.hosts[0].queries.map((q) => `${q.type} ${q.status}`), ['A nodata', 'AAAA ok']);
    for (const r of [v4, v6]) {
      assert.equal(r.verdict, 'mx');
      assert.ok(!r.hosts[0].warnings.includes('no_address'));
    }
  });

  test('an MX host with no address is warned about', async () => {
    const r = await report({ query: 'noaddr.test' });
    assert.equal(r.verdict, 'mx');
    assert.deepEqual(r.hosts[0].warnings, ['no_address']);
    assert.deepEqual(r.hosts[0].addresses, []);
    assert.match(r.summary, /it has no usable address/);
  });

  test('an MX target that is an IP literal is warned about and not looked up as a name', async () => {
    const r = await report({ query: 'iplit.test' });
    assert.equal(r.hosts[0].exchange, '192.0.2.1');
    assert.deepEqual(r.hosts[0].warnings, ['ip_literal']);
    assert.deepEqual(r.queries.map((q) => q.type), ['MX']);
    const mixed = await report({ query: 'warnings.test' });
    assert.deepEqual(
      mixed.hosts.map((h) => [h.exchange, h.warnings.join()]),
      [
        ['mx1.example.test', 'private_address'],
        ['ghost.warnings.test', 'no_address'],
        ['192.0.2.1', 'ip_literal'],
      ],
    );
  });

  test('an IDN is looked up by its A-label and shown both ways', async () => {
    for (const query of ['bücher.test', 'xn--bcher-kva.test', 'Anna@BÜCHER.test']) {
      const r = await report({ query });
      assert.equal(r.query, query);
      assert.equal(r.domain, 'xn--bcher-kva.test');
      assert.equal(r.domainUnicode, 'bücher.test');
      assert.equal(r.queries[0].name, 'xn--bcher-kva.test');
      assert.equal(r.hosts[0].exchange, 'mx.xn--bcher-kva.test');
      assert.equal(r.hosts[0].exchangeUnicode, 'mx.bücher.test');
      assert.match(r.summary, /^bücher\.test \(xn--bcher-kva\.test\) has 1 MX host/);
    }
  });

  test('the fallback domain lists its refusing MX first and the working one second', async () => {
    const r = await report({ query: 'fallback.test' });
    assert.deepEqual(
      r.hosts.map((h) => `${h.preference} ${h.exchange} ${h.addresses.map((a) => a.address).join()}`),
      ['10 down.fallback.test 127.0.0.3', '20 up.fallback.test 127.0.0.1'],
    );
  });

  test('onQuery reports each query as it finishes', async () => {
    const seen: string[] = [];
    await report({ query: 'example.test' }, { onQuery: (q) => seen.push(`${q.type} ${q.name}`) });
    assert.equal(seen[0], 'MX example.test');
    assert.equal(seen.length, 9);
  });

  test('the default resolver is used when the request names none', async () => {
    const r = await lookupMx({ query: 'example.test' }, { defaultResolver: dns.server });
    assert.ok(r.ok && r.value.resolver === dns.server && r.value.verdict === 'mx');
  });

  test('bad input is refused before any resolver is made', async () => {
    let made = 0;
    const createResolver = (s: string | undefined, t: number) => {
      made++;
      return createNodeResolver(s, t);
    };
    const crlf = await lookupMx({ query: 'example.test\r\nQUIT', resolver: dns.server }, { createResolver });
    assert.ok(!crlf.ok && crlf.error.field === 'query' && /line break/.test(crlf.error.message));
    const badResolver = await lookupMx({ query: 'example.test', resolver: 'resolver.example' }, { createResolver });
    assert.ok(!badResolver.ok && badResolver.error.field === 'resolver');
    assert.equal(made, 0);
  });
});

describe('MX lookup when the resolver misbehaves', () => {
  test('a resolver that never answers gives "lookup failed, try again" within the timeout plus 1 s', async () => {
    const silent = await startSilentDns();
    try {
      const t0 = performance.now();
      const r = await report({ query: 'example.test', resolver: silent.server, timeoutMs: 300 });
      const took = performance.now() - t0;
      assert.equal(r.verdict, 'dns_failure');
      assert.equal(r.queries[0].status, 'timeout');
      assert.match(r.summary, /did not answer in time\. This is usually temporary: try again/);
      assert.ok(took >= 295 && took < 1300, `took ${took} ms`);
    } finally {
      await silent.stop();
    }
  });

  test('a lost datagram is retried once within the same timeout budget', async () => {
    const silent = await startSilentDns();
    try {
      const r = await report({ query: 'example.test', resolver: silent.server, timeoutMs: 1200 });
      assert.equal(r.verdict, 'dns_failure');
      // Two tries of the MX query, and two of the validation probe asked beside it.
      assert.equal(silent.arrivals.length, 4);
    } finally {
      await silent.stop();
    }
  });

  test('SERVFAIL and REFUSED are temporary failures, not "does not exist"', async () => {
    for (const [rcode, status] of [
      [2, 'servfail'],
      [5, 'refused'],
    ] as const) {
      const server = await startSilentDns({ rcode });
      try {
        const r = await report({ query: 'example.test', resolver: server.server });
        assert.equal(r.verdict, 'dns_failure');
        assert.equal(r.queries[0].status, status);
        assert.match(r.summary, /try again/);
      } finally {
        await server.stop();
      }
    }
  });

  test('cancelling takes effect within 1 s and reports the lookup as cancelled', async () => {
    const silent = await startSilentDns();
    try {
      const controller = new AbortController();
      const pending = report({ query: 'example.test', resolver: silent.server, timeoutMs: 5000 }, { signal: controller.signal });
      await silent.received(); // the query is out: cancel while it waits for an answer
      const t0 = performance.now();
      controller.abort();
      const r = await pending;
      assert.ok(performance.now() - t0 < 1000);
      assert.equal(r.verdict, 'cancelled');
      assert.equal(r.queries[0].status, 'cancelled');
      const early = await report({ query: 'example.test' }, { signal: AbortSignal.abort() });
      assert.equal(early.verdict, 'cancelled');
      assert.deepEqual(early.queries, []);
    } finally {
      await silent.stop();
    }
  });
});
