// DNSSEC for real: a private signed root and zones served by nsd, validated by a private unbound
// (test/support/dnssec.ts), and the same zones through a dnsmasq that does not validate.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createResolver } from '../../electron/engine/resolver';
import { lookupMx } from '../../electron/engine/mx-lookup';
import type { MxReport } from '../../shared/model';
import { lookupMailDns } from '../../electron/engine/dns/mail-dns';
import { startDnssecLab, type DnssecLab } from '../support/dnssec';
import { startUdpDelayProxy } from '../support/udp-delay-proxy';

let lab: DnssecLab | undefined;
let why = '';
before(async () => {
  const r = await startDnssecLab({ extra: { secure: ['_25._tcp.mx2 TLSA 3 1 1 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'mx2 A 127.0.0.2'] } });
  if (r.ok) lab = r;
  else {
    if (!r.missing) throw new Error(r.why);
    why = r.why;
    console.log(`# ${why}`);
  }
});
after(async () => {
  await lab?.stop();
});

function need(): DnssecLab {
  assert.ok(lab, why);
  return lab;
}
/** The zone's TTL is 300; unbound counts it down while the answer sits in its cache. */
function assertTtl(ttl: number | undefined): void {
  assert.ok(ttl !== undefined && ttl > 280 && ttl <= 300, `TTL ${ttl}`);
}
const skip = (t: { skip(m: string): void }) => (lab ? false : (t.skip(why), true));

async function mxReport(query: string, resolver: string): Promise<MxReport> {
  const r = await lookupMx({ query, resolver, timeoutMs: 2000 });
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value;
}

describe('a validating resolver and a signed zone', () => {
  test('MX, A, AAAA, TXT and TLSA of the signed zone are secure, with TTLs', async (t) => {
    if (skip(t)) return;
    const r = createResolver(need().resolver, 2000);
    assert.equal(await r.validates(), true);
    for (const [name, type] of [['secure.test', 'MX'], ['mx.secure.test', 'A'], ['mx.secure.test', 'AAAA'], ['secure.test', 'TXT'], ['_25._tcp.mx.secure.test', 'TLSA']] as const) {
      const a = await r.dnssec(name, type);
      assert.equal(a.status, 'secure', `${type} ${name}: ${a.reason}`);
      assertTtl(a.answer?.ttl);
    }
  });

  test("the TLSA record is the lab certificate's 3 1 1, parsed into usage, selector, matching type and data", async (t) => {
    if (skip(t)) return;
    const a = await createResolver(need().resolver, 2000).query('_25._tcp.mx.secure.test', 'TLSA');
    const [usage, selector, matchingType, data] = need().tlsa.split(' ');
    assert.deepEqual(a.records.map(({ ttl: _ttl, ...rest }) => rest), [{ usage: Number(usage), selector: Number(selector), matchingType: Number(matchingType), data }]);
    const extra = await createResolver(need().resolver, 2000).query('_25._tcp.mx2.secure.test', 'TLSA');
    assert.equal(extra.records[0].data, '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'extra records reach the zone');
  });

  test('a validated denial is secure: no TLSA here, provably (RFC 4035 §5.4)', async (t) => {
    if (skip(t)) return;
    const a = await createResolver(need().resolver, 2000).dnssec('_25._tcp.nothing.secure.test', 'TLSA');
    assert.equal(a.status, 'secure');
    assert.equal(a.error?.code, 'ENOTFOUND');
  });

  test('broken signatures read "bogus", never "secure", found by asking again with CD set', async (t) => {
    if (skip(t)) return;
    const r = createResolver(need().resolver, 2000);
    for (const [name, type] of [['bogus.test', 'MX'], ['mx.bogus.test', 'A'], ['_25._tcp.mx.bogus.test', 'TLSA']] as const) {
      const a = await r.dnssec(name, type);
      assert.equal(a.status, 'bogus', `${type} ${name}: ${a.reason}`);
      assert.equal(a.error?.code, 'ESERVFAIL');
      assert.ok((a.answer?.records.length ?? 0) > 0, 'the records came back with CD set');
      assert.match(a.reason, /checking disabled/);
    }
    await assert.rejects(r.query('bogus.test', 'MX'), { code: 'ESERVFAIL' });
  });

  test('an unsigned zone with TLSA is insecure (RFC 7672 §2.2: such TLSA records are not used)', async (t) => {
    if (skip(t)) return;
    const a = await createResolver(need().resolver, 2000).dnssec('_25._tcp.mx.unsigned.test', 'TLSA');
    assert.equal(a.status, 'insecure');
    assert.equal(a.answer?.records.length, 1);
  });
});

describe('changing the lab while it runs', () => {
  test('setExtra puts new TLSA records in the secure zone, signed, and unbound forgets the old answer', async (t) => {
    if (skip(t)) return;
    const r = createResolver(need().resolver, 2000);
    const before = await r.dnssec('_25._tcp.mx9.secure.test', 'TLSA');
    assert.equal(before.error?.code, 'ENOTFOUND');
    await need().setExtra('secure', ['_25._tcp.mx9 TLSA 3 1 1 ' + 'cd'.repeat(32)]);
    const after = await r.dnssec('_25._tcp.mx9.secure.test', 'TLSA');
    assert.equal(after.status, 'secure', after.reason);
    assert.equal(after.answer?.records[0].data, 'cd'.repeat(32));
    await need().setExtra('secure', ['_25._tcp.mx2 TLSA 3 1 1 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'mx2 A 127.0.0.2']);
  });
});

describe('a resolver that does not validate', () => {
  test('the same data reads "unknown", and validates() says so', async (t) => {
    if (skip(t)) return;
    const r = createResolver(need().nonValidating, 2000);
    assert.equal(await r.validates(), false);
    for (const name of ['secure.test', 'bogus.test', 'unsigned.test']) {
      const a = await r.dnssec(name, 'MX');
      assert.equal(a.status, 'unknown', `${name}: ${a.reason}`);
      assert.equal(a.answer?.records.length, 1);
    }
  });
});

describe('the MX report with DNSSEC', () => {
  test('a signed domain: secure MX set and addresses, the MX TTL', async (t) => {
    if (skip(t)) return;
    const r = await mxReport('secure.test', need().resolver);
    assert.equal(r.verdict, 'mx');
    assertTtl(r.mxTtl);
    assert.deepEqual(r.dnssec && { mx: r.dnssec.mx, validating: r.dnssec.validating }, { mx: 'secure', validating: true });
    assertTtl(r.hosts[0].ttl);
    assert.deepEqual(r.hosts[0].addressDnssec, { A: 'secure', AAAA: 'secure' });
    assert.ok(r.queries.every((q) => q.dnssec === 'secure'));
    assert.equal(r.roundTrips, 2);
  });

  test('a bogus domain is a failed lookup, and says bogus', async (t) => {
    if (skip(t)) return;
    const r = await mxReport('bogus.test', need().resolver);
    assert.equal(r.verdict, 'dns_failure');
    assert.equal(r.dnssec?.mx, 'bogus');
    assert.match(r.dnssec?.note ?? '', /bogus/);
    assert.match(r.summary, /DNSSEC signatures do not validate \(bogus\).*usually not temporary/);
  });

  test('an unsigned domain is insecure; through dnsmasq the report says DANE cannot be judged', async (t) => {
    if (skip(t)) return;
    const unsigned = await mxReport('unsigned.test', need().resolver);
    assert.equal(unsigned.dnssec?.mx, 'insecure');
    const plain = await mxReport('secure.test', need().nonValidating);
    assert.equal(plain.verdict, 'mx');
    assert.deepEqual(plain.dnssec, { mx: 'unknown', validating: false, note: 'This resolver does not validate DNSSEC, so DANE cannot be judged.' });
  });
});

describe('the policy questions of a DANE/MTA-STS-aware sender', () => {
  test('MX, _mta-sts and _smtp._tls TXT, then A, AAAA and TLSA of every MX host: all secure, in two round trips', async (t) => {
    if (skip(t)) return;
    const resolver = need().resolver;
    const port = Number(resolver.split(':')[1]);
    await lookupMailDns({ query: 'secure.test', resolver }); // warm unbound's cache: the link is what is measured
    const delay = 60;
    const proxy = await startUdpDelayProxy({ host: '127.0.0.1', port }, delay);
    try {
      const t0 = performance.now();
      const r = await lookupMailDns({ query: 'secure.test', resolver: proxy.server, timeoutMs: 3000 });
      const took = performance.now() - t0;
      assert.ok(r.ok, r.ok ? '' : r.error.message);
      assert.equal(r.value.mtaSts.status, 'secure');
      assert.equal(r.value.mtaSts.answer?.records[0].text, 'v=STSv1; id=lab1');
      assert.equal(r.value.tlsRpt.status, 'secure');
      assert.deepEqual(r.value.tlsa.map((x) => [x.host, x.answer.status, x.answer.answer?.records[0].data]), [['mx.secure.test', 'secure', need().tlsa.split(' ')[3]]]);
      // MX + 2 TXT + the validation probe, then A + AAAA + TLSA: 7 queries, two round trips of 2 × delay.
      assert.equal(proxy.forwarded, 7);
      assert.ok(took >= 2 * 2 * delay - 5 && took < 3 * 2 * delay, `took ${took} ms for round trips of ${2 * delay} ms`);
    } finally {
      await proxy.stop();
    }
  });

  test('a bogus MX set asks no TLSA: nothing from it can be trusted', async (t) => {
    if (skip(t)) return;
    const r = await lookupMailDns({ query: 'bogus.test', resolver: need().resolver });
    assert.ok(r.ok);
    assert.equal(r.value.mx.dnssec?.mx, 'bogus');
    assert.deepEqual(r.value.tlsa, []);
    assert.equal(r.value.mtaSts.status, 'bogus');
  });
});
