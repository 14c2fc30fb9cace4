import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MxLookupDeps } from '../../electron/engine/mx-lookup';
import { lookupMx } from '../../electron/engine/mx-lookup';
import type { DnsResolver } from '../../electron/engine/resolver';
import type { MxLookupRequest, MxReport } from '../../shared/model';
import { createMxMethods } from '../../electron/host/mx-methods';
import { startSilentDns } from '../support/silent-dns';
import { scriptedResolver, type ResolverScript } from '../support/scripted-resolver';

// Cases no zone file can produce on demand (dozens of MX hosts, one address family timing out, a resolver
// that throws), played by a scripted resolver; and the service's supersede/cancel rules.

type Script = ResolverScript;

/** A resolver that answers from `script` (`'MX name'`, `'A name'`, `'AAAA name'`) and ENODATA otherwise. */
const scripted = (script: Script) => (): DnsResolver => scriptedResolver(script);
const timeout = () => Promise.reject(Object.assign(new Error('ETIMEOUT'), { code: 'ETIMEOUT' }));

async function report(req: MxLookupRequest, deps: MxLookupDeps): Promise<MxReport> {
  const r = await lookupMx(req, deps);
  assert.ok(r.ok, r.ok ? '' : `lookup failed: ${r.error.message}`);
  return r.value;
}

describe('MX lookup with a scripted resolver', () => {
  test('more MX hosts than the cap are listed, but only the first 32 are resolved', async () => {
    const records = Array.from({ length: 40 }, (_, i) => ({ exchange: `mx${i}.big.test`, priority: i }));
    const r = await report({ query: 'big.test' }, { createResolver: scripted({ 'MX big.test': async () => records }) });
    assert.equal(r.hosts.length, 40);
    assert.equal(r.queries.length, 1 + 2 * 32);
  });

  test('a null MX mixed with real ones is ignored, as senders would', async () => {
    const r = await report(
      { query: 'mixed.test' },
      {
        createResolver: scripted({
          'MX mixed.test': async () => [
            { exchange: '', priority: 0 },
            { exchange: 'mx.mixed.test', priority: 10 },
          ],
          'A mx.mixed.test': async () => [{ address: '192.0.2.25', ttl: 60 }],
        }),
      },
    );
    assert.equal(r.verdict, 'mx');
    assert.deepEqual(r.hosts.map((h) => h.exchange), ['mx.mixed.test']);
  });

  test('when every address lookup times out the verdict is a temporary DNS failure', async () => {
    const r = await report(
      { query: 'slow.test' },
      { createResolver: scripted({ 'MX slow.test': async () => [{ exchange: 'mx.slow.test', priority: 10 }], 'A mx.slow.test': timeout, 'AAAA mx.slow.test': timeout }) },
    );
    assert.equal(r.verdict, 'dns_failure');
    assert.deepEqual(r.hosts[0].warnings, ['address_lookup_failed']);
  });

  test('one failed family still leaves the host usable, with a warning', async () => {
    const r = await report(
      { query: 'half.test' },
      {
        createResolver: scripted({
          'MX half.test': async () => [{ exchange: 'mx.half.test', priority: 10 }],
          'A mx.half.test': async () => [{ address: '198.51.100.25', ttl: 60 }],
          'AAAA mx.half.test': timeout,
        }),
      },
    );
    assert.equal(r.verdict, 'mx');
    assert.deepEqual(r.hosts[0].warnings, ['private_address', 'address_lookup_failed']);
  });

  test('a resolver that throws instead of rejecting still yields a Result', async () => {
    const r = await lookupMx(
      { query: 'example.test' },
      {
        createResolver: () => {
          throw new Error('boom');
        },
      },
    );
    assert.ok(!r.ok && r.error.code === 'resolver_error');
  });
});

describe('MX methods of the service', () => {
  test('a new lookup with the same lookupId supersedes the running one, and cancelLookup stops a lookup', async () => {
    const silent = await startSilentDns();
    try {
      const methods = createMxMethods({ defaultResolver: silent.server });
      const first = methods.lookupMx({ query: 'example.test', lookupId: 'inspector', timeoutMs: 5000 });
      await silent.received(); // the first lookup is in flight
      const second = methods.lookupMx({ query: 'example.test', lookupId: 'inspector', timeoutMs: 5000 });
      const firstResult = await first;
      assert.ok(firstResult.ok && firstResult.value.verdict === 'cancelled');
      assert.deepEqual(await methods.cancelLookup({ lookupId: 'inspector' }), { ok: true, value: null });
      const secondResult = await second;
      assert.ok(secondResult.ok && secondResult.value.verdict === 'cancelled');
      assert.deepEqual(await methods.cancelLookup({ lookupId: 'never-started' }), { ok: true, value: null });
    } finally {
      await silent.stop();
    }
  });

  test('lookups with different ids run side by side', async () => {
    const methods = createMxMethods({
      createResolver: scripted({
        'MX example.test': async () => [{ exchange: 'mx.example.test', priority: 10 }],
        'A mx.example.test': async () => [{ address: '192.0.2.25', ttl: 60 }],
        'A implicit.test': async () => [{ address: '192.0.2.26', ttl: 60 }],
      }),
    });
    const [a, b] = await Promise.all([
      methods.lookupMx({ query: 'example.test', lookupId: 'a' }),
      methods.lookupMx({ query: 'implicit.test', lookupId: 'b' }),
    ]);
    assert.ok(a.ok && a.value.verdict === 'mx');
    assert.ok(b.ok && b.value.verdict === 'implicit_mx');
  });
});
