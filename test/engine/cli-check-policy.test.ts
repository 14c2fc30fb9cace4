// `mxdesk check DOMAIN --json`: the policies section (DNSSEC of the MX set and of each host's addresses, TLSA
// parsed and matched against the certificate the probe saw, MTA-STS match and certificate validity, TLS-RPT)
// against the DNSSEC lab, a scripted STARTTLS server and a private HTTPS policy server. In-process, on the
// same entry the binary calls.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCheckCommand } from '../../electron/cli/check-command';
import type { CliIo } from '../../electron/cli/io';
import type { PolicyReport } from '../../shared/policy-model';
import { makeCert } from '../support/certs';
import { startDnssecLab, type DnssecLab } from '../support/dnssec';
import { freePort } from '../support/free-port';
import { startHostileServer, type HostileServer } from '../support/hostile-server';
import { tlsServer } from '../support/probe-peers';
import { stopAll } from '../support/stop-all';
import { tempDirs } from '../support/temp-dirs';

function captureIo(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    onInterrupt: () => undefined,
    offInterrupt: () => undefined,
    readStdin: async () => Buffer.alloc(0),
    promptSecret: async () => undefined,
    env: {},
  };
  return { io, out, err };
}

const enforce = (mx: string): string => `version: STSv1\r\nmode: enforce\r\nmx: ${mx}\r\nmax_age: 604800\r\n`;

describe('mxdesk check: policies per MX (DANE, MTA-STS, TLS-RPT) in JSON', () => {
  const dir = tempDirs('mxdesk-cli-policy-');
  let lab: DnssecLab | undefined;
  let skip = '';
  let good: HostileServer | undefined;
  let wrong: HostileServer | undefined;
  let goodPort = 0;
  let wrongPort = 0;
  let https: Server | undefined;
  let body = enforce('mx.secure.test');
  const stsCert = makeCert('self-signed', 'mta-sts.secure.test');
  const other = makeCert('self-signed', 'mx.secure.test-other');
  let stsCa = '';
  let mxCa = '';
  const savedPort = process.env.MXDESK_MTA_STS_PORT;

  before(async () => {
    const r = await startDnssecLab({ extra: { secure: ['mta-sts A 127.0.0.1'] }, nonValidating: false });
    if (!r.ok) {
      if (!r.missing) throw new Error(r.why);
      skip = r.why;
      console.log(`# ${skip}`);
      return;
    }
    lab = r;
    goodPort = await freePort();
    good = await startHostileServer(tlsServer('mx.secure.test', lab.cert), { port: goodPort });
    wrongPort = await freePort();
    wrong = await startHostileServer(tlsServer('mx.secure.test', other), { port: wrongPort });
    https = createServer({ cert: stsCert.cert, key: stsCert.key }, (req, res) => {
      res.writeHead(req.url === '/.well-known/mta-sts.txt' ? 200 : 404, { 'content-type': 'text/plain' });
      res.end(body);
    });
    await new Promise<void>((resolve) => https!.listen(0, '127.0.0.1', resolve));
    process.env.MXDESK_MTA_STS_PORT = String((https.address() as AddressInfo).port);
    stsCa = join(dir(), 'sts-ca.pem');
    writeFileSync(stsCa, stsCert.cert);
    mxCa = join(dir(), 'mx-ca.pem');
    writeFileSync(mxCa, lab.cert.cert);
  });
  after(async () => {
    if (savedPort === undefined) delete process.env.MXDESK_MTA_STS_PORT;
    else process.env.MXDESK_MTA_STS_PORT = savedPort;
    https?.closeAllConnections();
    https?.close();
    await stopAll(good, wrong, lab);
  });

  async function check(port: number, extra: string[] = []): Promise<{ code: number; policies: PolicyReport; out: string[] }> {
    assert.ok(lab);
    const c = captureIo();
    const code = await runCheckCommand(['secure.test', '--dns', lab.resolver, '--port', String(port), '-4', '--timeout-ms', '1500', '--no-ptr', '--ca-file', stsCa, ...extra, '--json'], c.io);
    assert.equal(c.out.length, 1, c.err.join('\n'));
    const doc = JSON.parse(c.out[0]) as { sections: { policies: PolicyReport } };
    return { code, policies: doc.sections.policies, out: c.out };
  }

  test('a signed domain whose MX presents the certificate its TLSA names, listed in an enforce policy: every verdict passes, exit 0', async (t) => {
    if (!lab) return t.skip(skip);
    body = enforce('mx.secure.test');
    const { code, policies: p } = await check(goodPort, ['--ca-file', mxCa]);
    assert.equal(p.mxStatus, 'secure');
    assert.equal(p.validating, true);
    assert.equal(p.mx?.tone, 'pass');
    assert.equal(p.probedPort, goodPort);
    assert.equal(p.mtaSts.id, 'lab1');
    assert.deepEqual(p.mtaSts.policy, { mode: 'enforce', mx: ['mx.secure.test'], maxAge: 604800 });
    assert.deepEqual(p.tlsRpt.record?.rua, ['mailto:tlsrpt@secure.test']);
    const h = p.hosts[0];
    assert.equal(h.host, 'mx.secure.test');
    assert.deepEqual(h.addressDnssec, { A: 'secure', AAAA: 'secure' });
    assert.equal(h.tlsaStatus, 'secure');
    assert.deepEqual(
      h.tlsa.map((r) => [r.usage, r.selector, r.matchingType]),
      [[3, 1, 1]],
    );
    assert.equal(h.dane.matched, true);
    assert.equal(h.dane.tone, 'pass');
    assert.equal(h.dane.rfc, 'RFC 7672 §3.1.1');
    assert.deepEqual([h.mtaSts?.inPolicy, h.mtaSts?.certValid, h.mtaSts?.tone], [true, true, 'pass']);
    assert.equal(code, 0);
  });

  test('the certificate is not PKIX-valid for the MX name: DANE-EE still matches, the enforce policy fails, exit 1', async (t) => {
    if (!lab) return t.skip(skip);
    body = enforce('mx.secure.test');
    const { code, policies: p } = await check(goodPort);
    const h = p.hosts[0];
    assert.equal(h.dane.matched, true);
    assert.equal(h.certificate?.validForName, false);
    assert.equal(h.mtaSts?.certValid, false);
    assert.equal(h.mtaSts?.tone, 'fail');
    assert.match(h.mtaSts?.verdict ?? '', /not valid for its name.*must not deliver/);
    assert.equal(code, 1);
  });

  test('a certificate the TLSA record does not name fails DANE; an MX missing from the policy fails MTA-STS', async (t) => {
    if (!lab) return t.skip(skip);
    body = enforce('mx2.secure.test');
    const { code, policies: p } = await check(wrongPort, ['--ca-file', mxCa]);
    const h = p.hosts[0];
    assert.equal(h.dane.matched, false);
    assert.equal(h.dane.tone, 'fail');
    assert.match(h.dane.verdict, /No usable TLSA record matches/);
    assert.equal(h.mtaSts?.inPolicy, false);
    assert.match(h.mtaSts?.verdict ?? '', /not in the enforce policy/);
    assert.equal(code, 1);
  });

  test('the text report prints the policies block with a mark and the RFC section per verdict', async (t) => {
    if (!lab) return t.skip(skip);
    body = enforce('mx.secure.test');
    const c = captureIo();
    await runCheckCommand(['secure.test', '--dns', lab.resolver, '--port', String(goodPort), '-4', '--timeout-ms', '1500', '--no-ptr', '--ca-file', stsCa, '--ca-file', mxCa], c.io);
    const text = c.out.join('\n');
    assert.match(text, /=== Policies for secure\.test via 127\.0\.0\.1:\d+/);
    assert.match(text, /ok {3}MX set DNSSEC secure: .*\(RFC 7672 §2\.2\.1\)/);
    assert.match(text, /id lab1, mode enforce, max_age 604800 s, mx mx\.secure\.test/);
    assert.match(text, /TLSA 3 1 1 \(DANE-EE, SPKI, SHA-256\) [0-9a-f]{64}/);
    assert.match(text, /ok {3}DANE {9}The leaf certificate matches/);
    assert.match(text, /ok {3}MTA-STS {6}The host matches the enforce policy and presents a certificate valid for its name\. \(RFC 8461 §4\.1, §4\.2\)/);
  });
});
