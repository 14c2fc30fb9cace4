// The mailauth resolver adapter (electron/engine/mailauth-resolver.ts): node:dns-shaped answers from MX Desk's
// own resolver, every question reported, coded errors kept, unknown types refused and a cap per check.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createMailauthResolver, type MailauthQuery } from '../../electron/engine/mailauth-resolver';
import { createResolver } from '../../electron/engine/resolver';
import { startDnsmasq, type Dnsmasq } from '../support/dnsmasq';
import { stopAll } from '../support/stop-all';
import { SENDER_ZONE } from './sender-auth-zone';

let dns: Dnsmasq | undefined;
before(async () => {
  dns = await startDnsmasq(SENDER_ZONE);
});
after(() => stopAll(dns));

test('answers TXT as string[][], MX as {exchange, priority}, A as strings, and reports each question', async () => {
  const seen: MailauthQuery[] = [];
  const ask = createMailauthResolver(createResolver(dns?.server, 1500), { onQuery: (q) => seen.push(q) });
  assert.deepEqual(await ask('pass.test', 'TXT'), [['v=spf1 ip4:127.0.0.0/8 -all']]);
  assert.deepEqual(await ask('mxspf.test', 'MX'), [{ exchange: 'mail.mxspf.test', priority: 10 }]);
  assert.deepEqual(await ask('mail.mxspf.test', 'A'), ['127.0.0.7']);
  assert.deepEqual(seen.map((q) => [q.stat.type, q.stat.name, q.stat.status, q.stat.resolver]), [
    ['TXT', 'pass.test', 'ok', dns?.server],
    ['MX', 'mxspf.test', 'ok', dns?.server],
    ['A', 'mail.mxspf.test', 'ok', dns?.server],
  ]);
  assert.equal(ask.queries.length, 3);
});

test('NXDOMAIN keeps its code (mailauth counts it as a void lookup), and is reported too', async () => {
  const ask = createMailauthResolver(createResolver(dns?.server, 1500));
  await assert.rejects(ask('nx1.void.test', 'A'), (e: { code?: string }) => e.code === 'ENOTFOUND');
  assert.equal(ask.queries[0]?.stat.status, 'nxdomain');
  assert.equal(ask.queries[0]?.code, 'ENOTFOUND');
});

test('a record type MX Desk does not ask is refused with ENOTIMP, and the cap stops a runaway check', async () => {
  const ask = createMailauthResolver(createResolver(dns?.server, 1500), { maxQueries: 2 });
  await assert.rejects(ask('pass.test', 'SRV'), (e: { code?: string }) => e.code === 'ENOTIMP');
  await ask('pass.test', 'TXT');
  await ask('pass.test', 'TXT');
  await assert.rejects(ask('pass.test', 'TXT'), (e: { code?: string }) => e.code === 'ETOOMANY');
});
