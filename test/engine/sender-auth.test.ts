import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDnsmasq, type Dnsmasq } from '../support/dnsmasq';
import { stopAll } from '../support/stop-all';
import { checkSender } from '../../electron/engine/sender-auth/sender-check';
import type { SenderCheckReport, SenderCheckRequest, SpfNode } from '../../shared/sender-auth/types';
import type { DnsQueryStat } from '../../shared/model';
import { SENDER_ZONE } from './sender-auth-zone';

let dns: Dnsmasq | undefined;
before(async () => {
  dns = await startDnsmasq(SENDER_ZONE);
});
after(() => stopAll(dns));

async function check(req: Omit<SenderCheckRequest, 'resolver'>, onQuery?: (q: DnsQueryStat) => void): Promise<SenderCheckReport> {
  const r = await checkSender({ timeoutMs: 1500, ...req, resolver: dns?.server }, { onQuery });
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value;
}

function depth(node: SpfNode | undefined): number {
  if (!node) return 0;
  return 1 + Math.max(0, ...node.terms.map((t) => depth(t.child)));
}

describe('SPF of the MAIL FROM domain (RFC 7208), evaluated by mailauth through MX Desk\'s resolver', () => {
  test('an ip4 range that holds the address passes, and the deciding term is named', async () => {
    const r = await check({ mailFrom: 'a@pass.test', ip: '127.0.0.1' });
    assert.equal(r.spf.result, 'pass');
    assert.equal(r.spf.decidedBy, 'ip4:127.0.0.0/8');
    assert.match(r.spf.explanation, /§2\.6\.3/);
    assert.equal(r.spf.tree?.terms[0]?.outcome, 'match');
    assert.equal(r.spf.tree?.terms[1]?.outcome, 'not-reached');
  });

  test('an address outside every term fails on -all', async () => {
    const r = await check({ mailFrom: 'a@pass.test', ip: '192.0.2.77' });
    assert.equal(r.spf.result, 'fail');
    assert.equal(r.spf.decidedBy, '-all');
  });

  test('an include chain is shown as a tree three records deep, with two counted lookups', async () => {
    const r = await check({ mailFrom: 'a@chain.test', ip: '127.0.0.1' });
    assert.equal(r.spf.result, 'pass');
    assert.equal(depth(r.spf.tree), 3);
    assert.equal(r.spf.lookupCount, 2);
    const a = r.spf.tree?.terms[0]?.child;
    assert.equal(a?.domain, 'a.chain.test');
    assert.equal(a?.terms[0]?.outcome, 'no-match');
    assert.equal(a?.terms[1]?.child?.domain, 'b.chain.test');
    assert.match(r.spf.decidedBy ?? '', /include:a\.chain\.test → include:b\.chain\.test → ip4:127\.0\.0\.1/);
  });

  test('an include loop is a permerror, and the loop is marked in the tree', async () => {
    const r = await check({ mailFrom: 'a@loop.test', ip: '127.0.0.1' });
    assert.equal(r.spf.result, 'permerror');
    assert.ok(r.spf.lookupCount > r.spf.lookupLimit);
    const inner = r.spf.tree?.terms[0]?.child?.terms[0]?.child;
    assert.equal(inner?.domain, 'loop.test');
    assert.equal(inner?.loop, true);
  });

  test('more than 10 lookups is a permerror (RFC 7208 §4.6.4)', async () => {
    const r = await check({ mailFrom: 'a@many.test', ip: '127.0.0.1' });
    assert.equal(r.spf.result, 'permerror');
    assert.equal(r.spf.lookupLimit, 10);
    assert.equal(r.spf.lookupCount, 11);
    assert.match(r.spf.explanation, /more than 10 DNS lookups.*§4\.6\.4/);
  });

  test('more than 2 void lookups is a permerror (RFC 7208 §4.6.4)', async () => {
    const r = await check({ mailFrom: 'a@void.test', ip: '127.0.0.1' });
    assert.equal(r.spf.result, 'permerror');
    assert.equal(r.spf.voidCount, 3);
    assert.match(r.spf.explanation, /void lookups/);
    const voids = r.spf.tree?.terms.flatMap((t) => t.lookups).filter((l) => l.void).length;
    assert.equal(voids, 3);
  });

  test('exists with the %{i} macro looks up the expanded name (RFC 7208 §7)', async () => {
    const yes = await check({ mailFrom: 'a@macro.test', ip: '127.0.0.1' });
    assert.equal(yes.spf.result, 'pass');
    assert.equal(yes.spf.tree?.terms[0]?.target, '127.0.0.1.allow.macro.test');
    assert.equal(yes.spf.tree?.terms[0]?.outcome, 'match');
    const no = await check({ mailFrom: 'a@macro.test', ip: '127.0.0.9' });
    assert.equal(no.spf.result, 'fail');
    assert.equal(no.spf.tree?.terms[0]?.lookups[0]?.query.name, '127.0.0.9.allow.macro.test');
  });

  test('mx allows the address of the domain\'s MX host, with the A lookup under the mx term', async () => {
    const r = await check({ mailFrom: 'a@mxspf.test', ip: '127.0.0.7' });
    assert.equal(r.spf.result, 'pass');
    const mx = r.spf.tree?.terms[0];
    assert.deepEqual(mx?.lookups.map((l) => l.query.type), ['MX', 'A']);
  });

  test('redirect= evaluates the other domain\'s record', async () => {
    const r = await check({ mailFrom: 'a@redir.test', ip: '127.0.0.1' });
    assert.equal(r.spf.result, 'pass');
    assert.equal(r.spf.tree?.terms[0]?.child?.domain, 'pass.test');
  });

  test('no record is none, softfail is softfail', async () => {
    assert.equal((await check({ mailFrom: 'a@nomail-at-all.test', ip: '127.0.0.1' })).spf.result, 'none');
    assert.equal((await check({ mailFrom: 'a@soft.test', ip: '127.0.0.1' })).spf.result, 'softfail');
  });

  test('every question goes to the chosen resolver and is reported', async () => {
    const seen: DnsQueryStat[] = [];
    const r = await check({ mailFrom: 'a@chain.test', ip: '127.0.0.1' }, (q) => seen.push(q));
    assert.ok(seen.length >= 4);
    assert.ok(seen.every((q) => q.resolver === dns?.server));
    assert.deepEqual(seen.slice(0, 3).map((q) => q.name), ['chain.test', 'a.chain.test', 'b.chain.test']);
    assert.equal(seen.at(-1)?.name, '_dmarc.chain.test');
    assert.equal(r.resolver, dns?.server);
  });

  test('a target name is followed to its MX host\'s address before the route is asked', async () => {
    const r = await check({ mailFrom: 'a@pass.test', target: 'mxspf.test' });
    assert.equal(r.spf.ipSource, 'route');
    assert.match(r.spf.ip, /^127\./);
  });

  test('the outgoing address is found from the route to the target', async () => {
    const r = await check({ mailFrom: 'a@pass.test', target: '127.0.0.1' });
    assert.equal(r.spf.ipSource, 'route');
    assert.equal(r.spf.ip, '127.0.0.1');
    assert.equal(r.spf.result, 'pass');
  });
});

describe('DMARC of the From domain (RFC 7489)', () => {
  test('the record is parsed, SPF aligns, and the verdict passes', async () => {
    const r = await check({ mailFrom: 'a@pass.test', ip: '127.0.0.1' });
    assert.equal(r.dmarc.result, 'pass');
    assert.equal(r.dmarc.record?.p, 'reject');
    assert.equal(r.dmarc.record?.adkim, 's');
    assert.equal(r.dmarc.record?.aspf, 'r');
    assert.equal(r.dmarc.record?.pct, 50);
    assert.deepEqual(r.dmarc.record?.rua, ['mailto:dmarc@pass.test']);
    assert.equal(r.dmarc.alignment.find((a) => a.mechanism === 'spf')?.aligned, true);
    assert.equal(r.passes, true);
  });

  test('SPF for another domain does not align, and p=reject with pct=50 is explained', async () => {
    const r = await check({ mailFrom: 'a@other.test', from: 'b@pass.test', ip: '127.0.0.1' });
    assert.equal(r.spf.result, 'pass');
    assert.equal(r.dmarc.result, 'fail');
    assert.match(r.dmarc.disposition, /50% chance of being refused.*quarantine.*§6\.6\.4/);
    assert.equal(r.passes, false);
  });

  test('strict DKIM alignment (adkim=s) refuses a subdomain signer and takes the exact domain', async () => {
    const strict = await check({ mailFrom: 'a@other.test', from: 'b@pass.test', ip: '127.0.0.1', dkimDomain: 'mail.pass.test' });
    assert.equal(strict.dmarc.alignment.find((a) => a.mechanism === 'dkim')?.aligned, false);
    const exact = await check({ mailFrom: 'a@other.test', from: 'b@pass.test', ip: '127.0.0.1', dkimDomain: 'pass.test' });
    assert.equal(exact.dmarc.result, 'pass');
  });

  test('a DKIM signature counts only when its key is published at selector._domainkey (RFC 6376 §3.6.2.1)', async () => {
    const published = await check({ mailFrom: 'a@other.test', from: 'b@shot.test', ip: '127.0.0.1', dkimDomain: 'shot.test', dkimSelector: 'mail2026' });
    assert.equal(published.dkimKey?.found, true);
    assert.equal(published.dkimKey?.keyType, 'ed25519');
    assert.equal(published.dmarc.result, 'pass');
    const revoked = await check({ mailFrom: 'a@other.test', from: 'b@shot.test', ip: '127.0.0.1', dkimDomain: 'shot.test', dkimSelector: 'old' });
    assert.equal(revoked.dkimKey?.found, false);
    assert.match(revoked.dkimKey?.explanation ?? '', /revoked/);
    assert.equal(revoked.dmarc.result, 'fail');
    const missing = await check({ mailFrom: 'a@other.test', from: 'b@shot.test', ip: '127.0.0.1', dkimDomain: 'shot.test', dkimSelector: 'nokey' });
    assert.match(missing.dkimKey?.explanation ?? '', /No key is published at nokey\._domainkey\.shot\.test/);
    assert.equal(missing.dmarc.alignment.find((a) => a.mechanism === 'dkim')?.authenticated, false);
  });

  test('a subdomain without a record uses the organizational domain\'s sp=', async () => {
    const r = await check({ mailFrom: 'a@mail.orgd.test', ip: '127.0.0.1' });
    assert.equal(r.spf.result, 'fail');
    assert.equal(r.dmarc.organizationalDomain, 'orgd.test');
    assert.equal(r.dmarc.record?.foundAt, '_dmarc.orgd.test');
    assert.equal(r.dmarc.policy, 'reject');
    assert.match(r.dmarc.disposition, /refused/);
  });

  test('p=none only reports', async () => {
    const r = await check({ mailFrom: 'a@soft.test', ip: '127.0.0.1' });
    assert.equal(r.dmarc.result, 'fail');
    assert.match(r.dmarc.disposition, /p=none/);
  });

  test('no DMARC record gives none', async () => {
    const r = await check({ mailFrom: 'a@chain.test', ip: '127.0.0.1' });
    assert.equal(r.dmarc.result, 'none');
    assert.match(r.verdict, /no DMARC policy/);
  });
});
