// The wire DNS client (electron/engine/dns): what it sends, which answers it accepts, how it falls back to
// TCP, and how it stays bounded, against scripted servers started here.
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { after, describe, test } from 'node:test';
import type { Answer } from 'dns-packet';
import { createResolver, dnsStatusOf, reverseName } from '../../electron/engine/resolver';
import { MAX_RECORDS } from '../../electron/engine/dns/message';
import { parseResolvConf } from '../../electron/engine/dns/system-servers';
import { createWireResolver } from '../../electron/engine/dns/wire-resolver';
import { lookupMx } from '../../electron/engine/mx-lookup';
import { respond, startScriptedDns, type ScriptedDns } from '../support/scripted-dns';
import { startSilentDns } from '../support/silent-dns';

const started: ScriptedDns[] = [];
after(async () => {
  for (const s of started) await s.stop();
});
async function scripted(...args: Parameters<typeof startScriptedDns>): Promise<ScriptedDns> {
  const s = await startScriptedDns(...args);
  started.push(s);
  return s;
}

const a = (name: string, data: string, ttl = 60): Answer => ({ type: 'A', name, ttl, data });
const question = (q: { questions?: { name: string; type: string }[] }) => q.questions?.[0] ?? { name: '', type: '' };

async function rejection(p: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; message: string };
  }
  assert.fail('expected a rejection');
}

describe('the query on the wire', () => {
  test('asks recursively with EDNS0 and the DO bit (RFC 3225), and reads the AD bit and the TTL', async () => {
    const s = await scripted({ udp: (q) => [{ message: respond(q, { answers: [a('mx.lab.test', '192.0.2.1', 120), a('mx.lab.test', '192.0.2.2', 90)], ad: true }) }] });
    const r = await createResolver(s.server, 1000).query('mx.lab.test', 'A');
    assert.deepEqual(r.records.map((x) => x.address), ['192.0.2.1', '192.0.2.2']);
    assert.equal(r.ttl, 90, 'the RRset TTL is the smallest');
    assert.equal(r.authenticated, true);
    const q = s.queries[0].query;
    assert.equal(q.flag_rd, true);
    const opt = q.additionals?.find((x) => x.type === 'OPT') as { flag_do?: boolean; udpPayloadSize?: number } | undefined;
    assert.equal(opt?.flag_do, true);
    assert.equal(opt?.udpPayloadSize, 1232);
  });

  test('error rcodes and empty answers become the coded errors callers switch on', async () => {
    const rcodeOf: Record<string, number> = { 'nx.test': 3, 'fail.test': 2, 'refused.test': 5 };
    const s = await scripted({ udp: (q) => [{ message: respond(q, { rcode: rcodeOf[question(q).name] ?? 0 }) }] });
    const r = createResolver(s.server, 1000);
    assert.equal((await rejection(r.query('nx.test', 'A'))).code, 'ENOTFOUND');
    assert.equal((await rejection(r.query('fail.test', 'A'))).code, 'ESERVFAIL');
    assert.equal((await rejection(r.query('refused.test', 'A'))).code, 'EREFUSED');
    const nodata = await rejection(r.query('empty.test', 'MX'));
    assert.equal(nodata.code, 'ENODATA');
    assert.equal(dnsStatusOf(nodata), 'nodata');
  });

  test('a name DNS cannot carry is refused before anything is sent', async () => {
    const s = await scripted({ udp: () => [] });
    const r = createResolver(s.server, 1000);
    assert.equal((await rejection(r.query('bücher.test', 'MX'))).code, 'EBADNAME');
    assert.equal((await rejection(r.query(`${'a'.repeat(64)}.test`, 'MX'))).code, 'EBADNAME');
    assert.equal(s.queries.length, 0);
  });
});

describe('which answers are accepted', () => {
  test('datagrams from another port, with another id or for another question are ignored (RFC 5452 §9.1)', async () => {
    const s = await scripted({
      udp: (q) => {
        const name = question(q).name;
        return [
          { message: respond(q, { answers: [a(name, '6.6.6.1')] }), fromOtherPort: true },
          { message: respond(q, { answers: [a(name, '6.6.6.2')], id: (q.id! + 1) & 0xffff }) },
          { message: respond(q, { answers: [a('evil.test', '6.6.6.3')], questions: [{ type: 'A', name: 'evil.test' }] }) },
          { message: Buffer.from('not dns at all') },
          { message: respond(q, { answers: [a(name, '192.0.2.25')] }) },
        ];
      },
    });
    const r = await createResolver(s.server, 1000).query('mx.spoof.test', 'A');
    assert.deepEqual(r.records.map((x) => x.address), ['192.0.2.25']);
  });

  test('a truncated UDP answer is fetched again over TCP (RFC 7766 §5)', async () => {
    const many = (name: string) => Array.from({ length: 300 }, (_, i) => ({ type: 'TXT', name, ttl: 60, data: `record ${i} ${'x'.repeat(40)}` }) as Answer);
    const s = await scripted({ udp: (q) => [{ message: respond(q, { tc: true }) }], tcp: (q) => respond(q, { answers: many(question(q).name) }) });
    const r = await createResolver(s.server, 2000).query('big.test', 'TXT');
    assert.equal(r.viaTcp, true);
    assert.equal(r.records.length, 300);
    assert.deepEqual(s.queries.map((q) => q.via), ['udp', 'tcp']);
  });

  test('a TCP answer to another question is an error, not an answer', async () => {
    const s = await scripted({
      udp: (q) => [{ message: respond(q, { tc: true }) }],
      tcp: (q) => respond(q, { answers: [a('evil.test', '6.6.6.6')], questions: [{ type: 'A', name: 'evil.test' }] }),
    });
    assert.equal((await rejection(createResolver(s.server, 1000).query('tcp.test', 'A'))).code, 'EBADRESP');
  });

  test('thousands of records in one answer are cut to a bounded number, quickly', async () => {
    const s = await scripted({
      udp: (q) => [{ message: respond(q, { tc: true }) }],
      // dns-packet does not compress names: 2,500 records of a short name fill most of a 64 KiB message.
      tcp: (q) => respond(q, { answers: Array.from({ length: 2500 }, (_, i) => a(question(q).name, `10.${(i >> 8) & 255}.${i & 255}.1`)) }),
    });
    const t0 = performance.now();
    const r = await createResolver(s.server, 2000).query('f.test', 'A');
    assert.equal(r.records.length, MAX_RECORDS);
    assert.ok(performance.now() - t0 < 1000, `took ${performance.now() - t0} ms`);
  });

  test('a CNAME chain inside the answer is followed, and a CNAME loop is refused', async () => {
    const s = await scripted({
      udp: (q) => {
        const name = question(q).name;
        if (name === 'loop.test') return [{ message: respond(q, { answers: [{ type: 'CNAME', name: 'loop.test', ttl: 60, data: 'loop2.test' }, { type: 'CNAME', name: 'loop2.test', ttl: 60, data: 'loop.test' }] }) }];
        const answers: Answer[] = [
          { type: 'CNAME', name, ttl: 60, data: 'alias.test' },
          { type: 'CNAME', name: 'alias.test', ttl: 60, data: 'target.test' },
          { type: 'MX', name: 'target.test', ttl: 30, data: { preference: 10, exchange: 'mx.target.test' } },
        ];
        return [{ message: respond(q, { answers }) }];
      },
    });
    const r = createResolver(s.server, 1000);
    const mx = await r.query('start.test', 'MX');
    assert.deepEqual(mx.cnames, ['alias.test', 'target.test']);
    assert.deepEqual(mx.records, [{ exchange: 'mx.target.test', priority: 10, ttl: 30 }]);
    assert.deepEqual(await r.resolveMx('start.test'), [{ exchange: 'mx.target.test', priority: 10, ttl: 30 }]);
    assert.equal((await rejection(r.query('loop.test', 'MX'))).code, 'EBADRESP');
  });
});

describe('deadlines and cancelling', () => {
  test('a resolver that never answers fails with ETIMEOUT within the budget, after one retry', async () => {
    const silent = await startSilentDns();
    try {
      const t0 = performance.now();
      const e = await rejection(createResolver(silent.server, 450).query('slow.test', 'A'));
      const took = performance.now() - t0;
      assert.equal(e.code, 'ETIMEOUT');
      assert.ok(took >= 440 && took < 1200, `took ${took} ms`);
      assert.equal(silent.arrivals.length, 2);
    } finally {
      await silent.stop();
    }
  });

  test('cancel() ends every query in flight with ECANCELLED, and the resolver still works after', async () => {
    const silent = await startSilentDns();
    try {
      const r = createResolver(silent.server, 5000);
      const pending = [r.query('a.test', 'A'), r.query('b.test', 'TLSA')];
      await silent.received(2);
      r.cancel();
      for (const p of pending) assert.equal((await rejection(p)).code, 'ECANCELLED');
    } finally {
      await silent.stop();
    }
  });

  test('a lookup of 8 MX hosts leaves no abort listener on its signal', async () => {
    const hosts = Array.from({ length: 8 }, (_, i) => `mx${i}.eight.test`);
    const s = await scripted({
      udp: (q) => {
        const { name, type } = question(q);
        if (type === 'MX') return [{ message: respond(q, { answers: hosts.map((h, i) => ({ type: 'MX', name, ttl: 60, data: { preference: i, exchange: h } }) as Answer) }) }];
        if (type === 'A') return [{ message: respond(q, { answers: [a(name, '192.0.2.1')] }) }];
        return [{ message: respond(q) }];
      },
    });
    const controller = new AbortController();
    const r = await lookupMx({ query: 'eight.test', resolver: s.server }, { signal: controller.signal });
    assert.ok(r.ok && r.value.verdict === 'mx' && r.value.hosts.length === 8);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });
});

describe('record types', () => {
  test('PTR of a reverse name, TXT strings joined without separators (RFC 7208 §3.3), TLSA data as hex', async () => {
    const s = await scripted({
      udp: (q) => {
        const { name, type } = question(q);
        const answers: Answer[] =
          type === 'PTR'
            ? [{ type: 'PTR', name, ttl: 600, data: 'mx.example.test' }]
            : type === 'TXT'
              ? [{ type: 'TXT', name, ttl: 60, data: ['v=spf1 ip4:192.0.2.0/24 ', '-all'] }]
              : [{ type: 'TLSA', name, ttl: 60, data: { usage: 3, selector: 1, matchingType: 1, certificate: Buffer.from('00ff10', 'hex') } }];
        return [{ message: respond(q, { answers }) }];
      },
    });
    const r = createResolver(s.server, 1000);
    const ptr = await r.query(reverseName('192.0.2.25')!, 'PTR');
    assert.equal(ptr.name, '25.2.0.192.in-addr.arpa');
    assert.deepEqual(ptr.records, [{ name: 'mx.example.test', ttl: 600 }]);
    assert.deepEqual((await r.query('example.test', 'TXT')).records, [{ text: 'v=spf1 ip4:192.0.2.0/24 -all', ttl: 60 }]);
    assert.deepEqual((await r.query('_25._tcp.mx.example.test', 'TLSA')).records, [{ usage: 3, selector: 1, matchingType: 1, data: '00ff10', ttl: 60 }]);
  });
});

describe('names and servers', () => {
  test('reverseName gives the in-addr.arpa and nibble ip6.arpa names (RFC 1035 §3.5, RFC 3596 §2.5)', () => {
    assert.equal(reverseName('192.0.2.25'), '25.2.0.192.in-addr.arpa');
    assert.equal(reverseName('2001:db8::1'), '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
    assert.equal(reverseName('[::1]'), `1.${'0.'.repeat(31)}ip6.arpa`);
    assert.equal(reverseName('mx.example.test'), undefined);
  });

  test('a resolver on [::1] is asked over IPv6, over UDP and, on truncation, TCP', async () => {
    const s = await scripted({ host: '::1', udp: (q) => [{ message: respond(q, { tc: true }) }], tcp: (q) => respond(q, { answers: [a(question(q).name, '192.0.2.6')] }) });
    const r = createResolver(s.server, 1000);
    assert.equal(r.label, s.server);
    const answer = await r.query('v6.test', 'A');
    assert.deepEqual(answer.records.map((x) => x.address), ['192.0.2.6']);
    assert.equal(answer.viaTcp, true);
  });

  test('the system resolvers come from the nameserver lines of resolv.conf, at most three', () => {
    const text = '# comment\nsearch example.test\nnameserver 192.0.2.53\nnameserver ::1\nnameserver not-an-ip\nnameserver 192.0.2.54\nnameserver 192.0.2.55\n';
    assert.deepEqual(parseResolvConf(text), [
      { host: '192.0.2.53', port: 53, family: 4 },
      { host: '::1', port: 53, family: 6 },
      { host: '192.0.2.54', port: 53, family: 4 },
    ]);
    const r = createWireResolver(undefined, 1000, { systemServers: [{ host: '127.0.0.1', port: 53, family: 4 }] });
    assert.equal(r.label, 'system (127.0.0.1:53)');
  });
});
