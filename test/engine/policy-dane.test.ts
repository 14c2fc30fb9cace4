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
import { caSignedCert } from '../support/probe-peers';
import { tlsa311 } from '../support/dnssec';

// DANE-TA (RFC 7672 §3.1.2): a `2 1 1` record naming a private CA's key at two hosts of the signed zone; the
// leaf names only mxta.secure.test.
const ta = caSignedCert('mxta.secure.test', 30);
const otherCa = caSignedCert('mxta.secure.test', 30);
const ta211 = `2${tlsa311(ta.caCert).slice(1)}`;
const TA_LINES = ['mxta A 127.0.0.1', `_25._tcp.mxta TLSA ${ta211}`, 'mxta2 A 127.0.0.1', `_25._tcp.mxta2 TLSA ${ta211}`];

let lab: DnssecLab | undefined;
let skip: string | undefined;

before(async () => {
  const r = await startDnssecLab({ extra: { secure: TA_LINES } });
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

describe('DANE-TA against the signed zone (RFC 7672 §3.1.2)', () => {
  test('a chain that verifies up to the DANE-TA anchor and names the host matches', async (t) => {
    if (!lab) return t.skip(skip);
    const r = await checkDane(createResolver(lab.resolver, 3000), 'mxta.secure.test', [ta.cert, ta.caCert]);
    assert.equal(r.status, 'secure');
    assert.equal(r.match?.matched, true, r.match?.verdict);
    assert.equal(r.match?.chainIndex, 1);
    assert.match(r.match?.rfc ?? '', /RFC 7672 §3\.1\.2/);
  });
  test('the same anchor at a host the leaf does not name does not match (name checks apply to DANE-TA)', async (t) => {
    if (!lab) return t.skip(skip);
    const r = await checkDane(createResolver(lab.resolver, 3000), 'mxta2.secure.test', [ta.cert, ta.caCert]);
    assert.equal(r.match?.matched, false);
    assert.match(r.match?.verdict ?? '', /does not name mxta2\.secure\.test/);
  });
  test('a leaf not signed by the anchor does not match, even when the anchor is sent along', async (t) => {
    if (!lab) return t.skip(skip);
    const r = await checkDane(createResolver(lab.resolver, 3000), 'mxta.secure.test', [otherCa.cert, ta.caCert]);
    assert.equal(r.match?.matched, false);
    assert.match(r.match?.verdict ?? '', /not signed by certificate 1/);
  });
  test('DANE-EE ignores names: the lab certificate matches at a host it does not name', async (t) => {
    if (!lab) return t.skip(skip);
    await lab.setExtra('secure', [...TA_LINES, 'mxee A 127.0.0.1', `_25._tcp.mxee TLSA ${lab.tlsa}`]);
    const r = await checkDane(createResolver(lab.resolver, 3000), 'mxee.secure.test', [lab.cert.cert]);
    assert.equal(r.match?.matched, true);
    assert.match(r.match?.verdict ?? '', /names and validity dates do not apply/);
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

describe('the policy report of bogus and unsigned domains', () => {
  test('bogus.test: the MX set reads bogus, never secure, and fails', async (t) => {
    if (!lab) return t.skip(skip);
    const r = await checkPolicy(createResolver(lab.resolver, 3000), 'bogus.test');
    assert.equal(r.mxStatus, 'bogus');
    assert.equal(r.mx?.tone, 'fail');
    assert.ok(!JSON.stringify(r).includes('"secure"'));
  });
  test('unsigned.test: TLSA is listed but ignored, addresses read insecure', async (t) => {
    if (!lab) return t.skip(skip);
    const r = await checkPolicy(createResolver(lab.resolver, 3000), 'unsigned.test', { chains: { 'mx.unsigned.test': [lab.cert.cert] } });
    assert.equal(r.mxStatus, 'insecure');
    assert.equal(r.hosts[0].tlsa.length, 1);
    assert.equal(r.hosts[0].dane.usability, 'ignored');
    assert.equal(r.hosts[0].dane.matched, undefined);
    assert.deepEqual(r.hosts[0].addressDnssec, { A: 'insecure', AAAA: 'insecure' });
    // The _mta-sts TXT record is there but mta-sts.unsigned.test is not: counted as no policy, a warning.
    assert.equal(r.mtaSts.id, 'lab1');
    assert.equal(r.mtaSts.tone, 'warn');
    assert.equal(r.mtaSts.verdict, 'mta-sts.unsigned.test has no address, so the policy cannot be fetched.');
    assert.equal(r.mtaSts.rfc, 'RFC 8461 §3.3');
  });
  test('through a non-validating resolver: cannot be judged, a warning, not a failure', async (t) => {
    if (!lab) return t.skip(skip);
    const r = await checkPolicy(createResolver(lab.nonValidating, 3000), 'secure.test', { chains: { 'mx.secure.test': [lab.cert.cert] } });
    assert.equal(r.validating, false);
    assert.equal(r.hosts[0].dane.usability, 'cannot-judge');
    assert.equal(r.hosts[0].dane.tone, 'warn');
    assert.match(r.mx?.verdict ?? '', /does not validate/);
  });
});

describe('mxdesk check: the Policies section', () => {
  test('prints DANE per MX from the probe chain, and JSON carries the report', async (t) => {
    if (!lab) return t.skip(skip);
    const der = new X509Certificate(lab.cert.cert).raw.toString('base64');
    const report = { domain: 'secure.test', port: 25, probes: [{ host: 'mx.secure.test', starttls: { offered: true, tls: { chainDer: [der], chain: [], verified: false, failure: 'self-signed' } } }] } as unknown as ProbeReport;
    const out = await policySection.run({ report, args: { dns: lab.resolver, timeoutMs: 1500 } as CheckArgs, signal: new AbortController().signal });
    assert.ok(out);
    const text = out.lines.join('\n');
    assert.match(text, /Policies/);
    assert.match(text, /--- 10 mx\.secure\.test {2}addresses: A secure, AAAA secure; TLSA secure, 1 record\(s\)/);
    assert.match(text, /ok {3}DANE +The leaf certificate matches TLSA 3 1 1/);
    assert.match(text, /TLS-RPT: TLS reports go to mailto:tlsrpt@secure\.test/);
    const json = JSON.parse(JSON.stringify(out.json)) as { hosts: { dane: { matched: boolean } }[] };
    assert.equal(json.hosts[0].dane.matched, true);
  });
});
