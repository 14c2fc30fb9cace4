import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeCert } from '../support/certs';
import { startDnssecLab, type DnssecLab } from '../support/dnssec';
import { createResolver } from '../../electron/engine/resolver';
import { checkDane } from '../../electron/engine/policy/dane-check';
import { checkPolicy } from '../../electron/engine/policy/policy-report';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { X509Certificate } from 'node:crypto';
import { policySection } from '../../electron/cli/check-policy-section';
import type { ProbeReport } from '../../shared/probe/types';
import type { CheckArgs } from '../../electron/cli/check-args';

let lab: DnssecLab | undefined;
let skip: string | undefined;

before(async () => {
  const r = await startDnssecLab();
  if (r.ok) lab = r;
  else if (r.missing) skip = r.why;
  else throw new Error(`DNSSEC lab failed to start: ${r.why}`);
  if (skip) console.log(`# skipping DANE lab tests: ${skip}`);
});
after(async () => { await lab?.stop(); });

describe('DANE against a validating resolver and signed zones (RFC 7672)', () => {
  test('a DANE-EE 3 1 1 in the signed zone matches the certificate it names', async (t) => {
    if (!lab) return t.skip(skip);
    const r = await checkDane(createResolver(lab.resolver, 3000), 'mx.secure.test', [lab.cert.cert]);
    assert.equal(r.status, 'secure');
    assert.equal(r.decision.usability, 'usable');
    assert.equal(r.match?.matched, true);
    assert.equal(r.match?.rfc, 'RFC 7672 §3.1.1');
  });
  test('another certificate does not match', async (t) => {
    if (!lab) return t.skip(skip);
    const r = await checkDane(createResolver(lab.resolver, 3000), 'mx.secure.test', [makeCert('self-signed', 'other.secure.test').cert]);
    assert.equal(r.match?.matched, false);
  });
  test('a bogus signature reads bogus, never secure, and the host is unusable', async (t) => {
    if (!lab) return t.skip(skip);
    const r = await checkDane(createResolver(lab.resolver, 3000), 'mx.bogus.test', [lab.cert.cert]);
    assert.equal(r.status, 'bogus');
    assert.equal(r.decision.usability, 'host-unusable');
    assert.equal(r.match, undefined);
  });
  test('TLSA in an unsigned zone is ignored (RFC 7672 §2.2)', async (t) => {
    if (!lab) return t.skip(skip);
    const r = await checkDane(createResolver(lab.resolver, 3000), 'mx.unsigned.test', [lab.cert.cert]);
    assert.equal(r.status, 'insecure');
    assert.equal(r.decision.usability, 'ignored');
    assert.ok(r.records.length > 0);
  });
  test('a resolver without validation cannot judge', async (t) => {
    if (!lab) return t.skip(skip);
    const r = await checkDane(createResolver(lab.nonValidating, 3000), 'mx.secure.test', [lab.cert.cert]);
    assert.equal(r.status, 'unknown');
    assert.equal(r.decision.usability, 'cannot-judge');
  });
});

describe('the policy report of a domain (DANE + MTA-STS + TLS-RPT per MX)', () => {
  test('secure.test: MX secure, DANE match, MTA-STS enforce match or not, TLS-RPT shown', async (t) => {
    if (!lab) return t.skip(skip);
    const c = makeCert('self-signed', 'mta-sts.secure.test');
    let body = 'version: STSv1\nmode: enforce\nmx: mx.secure.test\nmax_age: 86400\n';
    const server = createServer({ cert: c.cert, key: c.key }, (_req, res) => { res.writeHead(200); res.end(body); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => { server.close(); });
    const sts = { connectTo: { 'mta-sts.secure.test': `127.0.0.1:${(server.address() as AddressInfo).port}` }, ca: [c.cert], timeoutMs: 3000 };
    const r = await checkPolicy(createResolver(lab.resolver, 3000), 'secure.test', { sts, chains: { 'mx.secure.test': [lab.cert.cert] } });
    assert.equal(r.mxStatus, 'secure');
    assert.equal(r.mtaSts.id, 'lab1');
    assert.equal(r.mtaSts.policy?.mode, 'enforce');
    assert.deepEqual(r.tlsRpt.record?.rua, ['mailto:tlsrpt@secure.test']);
    assert.equal(r.hosts.length, 1);
    assert.equal(r.hosts[0].dane.matched, true);
    assert.equal(r.hosts[0].mtaSts?.inPolicy, true);
    body = 'version: STSv1\nmode: enforce\nmx: other.secure.test\nmax_age: 86400\n';
    const r2 = await checkPolicy(createResolver(lab.resolver, 3000), 'secure.test', { sts });
    assert.equal(r2.hosts[0].mtaSts?.inPolicy, false);
    assert.match(r2.hosts[0].mtaSts?.verdict ?? '', /must not deliver/);
  });
});

describe('mxdesk check: the Policies section', () => {
  test('prints DANE per MX from the probe chain, and JSON carries the report', async (t) => {
    if (!lab) return t.skip(skip);
    const der = new X509Certificate(lab.cert.cert).raw.toString('base64');
    const report = { domain: 'secure.test', port: 25, probes: [{ host: 'mx.secure.test', starttls: { offered: true, tls: { chainDer: [der] } } }] } as unknown as ProbeReport;
    const out = await policySection.run({ report, args: { dns: lab.resolver, timeoutMs: 1500 } as CheckArgs, signal: new AbortController().signal });
    assert.ok(out);
    const text = out.lines.join('\n');
    assert.match(text, /Policies/);
    assert.match(text, /mx\.secure\.test: TLSA secure, 1 record\(s\)\. DANE: The leaf certificate matches TLSA 3 1 1/);
    assert.match(text, /TLS-RPT: TLS reports go to mailto:tlsrpt@secure\.test/);
    const json = JSON.parse(JSON.stringify(out.json)) as { hosts: { dane: { matched: boolean } }[] };
    assert.equal(json.hosts[0].dane.matched, true);
  });
});
