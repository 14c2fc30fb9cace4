// The HAProxy PROXY protocol header (v1 text, v2 binary) against a private Postfix with
// `smtpd_upstream_proxy_protocol = haproxy`: Postfix takes the client address from the header, so the address
// in its Received header and its log must be the one announced with --proxy-source. The same Postfix speaks
// STARTTLS with a certificate from a test CA, so --tls-name and --tls-ca are proven against it too.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { PROXY_V2_SIGNATURE, proxyHeaderV1, proxyHeaderV2 } from '../../electron/engine/transport/proxy-header';
import type { TransportOptions } from '../../shared/model';
import { makeCert } from '../support/certs';
import { journalSession, runScript } from '../support/export-runs';
import { postfixAvailable, startPostfix, type PostfixInstance } from '../support/postfix';
import { hostRequest, rawDraft, run } from '../support/session-fixtures';
import { tempDirs } from '../support/temp-dirs';

const avail = postfixAvailable();
const skip = avail.ok ? false : avail.reason;
if (skip) console.log(`# skipped: PROXY protocol tests need a private Postfix (${skip})`);

const tmp = tempDirs('mxdesk-proxy-protocol-');
const RAW = 'From: sender@example.test\r\nTo: rcpt@example.test\r\nSubject: behind a load balancer\r\n\r\nproxied\r\n';


/** The first Received header Postfix wrote (with its continuation lines joined). */
function receivedHeader(file: Buffer): string {
  const m = /^Received: [^\n]*(?:\n[ \t][^\n]*)*/m.exec(file.toString('latin1'));
  return (m?.[0] ?? '').replace(/\n[ \t]+/g, ' ');
}

describe('PROXY protocol to a private Postfix behind a "load balancer"', { skip }, () => {
  let pf: PostfixInstance;
  let caFile: string;
  before(async () => {
    const cert = makeCert('unknown-ca', 'mx.example.test');
    caFile = join(tmp(), 'ca.pem');
    writeFileSync(caFile, cert.caCert!);
    pf = await startPostfix({ upstreamProxyProtocol: true, inetProtocolsAll: true, tls: true, tlsCert: { cert: cert.cert, key: cert.key } });
  });
  after(async () => {
    await pf?.stop();
  });
  beforeEach(async () => {
    await pf.clearDelivered();
  });

  const send = (transport: TransportOptions, over = {}) => run(hostRequest(pf.port, rawDraft(RAW), { transport, ...over }));

  for (const [version, source, bytes] of [
    ['v1', { address: '203.0.113.7', port: 40001 }, /PROXY v1 header sent, \d+ bytes, announcing 203\.0\.113\.7:40001 → 127\.0\.0\.1:\d+\./],
    ['v2', { address: '198.51.100.23', port: 40002 }, /PROXY v2 header sent, 28 bytes, announcing 198\.51\.100\.23:40002 → 127\.0\.0\.1:\d+\./],
    ['v1', { address: '2001:db8::8', port: 40005 }, /PROXY v1 header sent, \d+ bytes, announcing \[2001:db8::8\]:40005 → \[::ffff:127\.0\.0\.1\]:\d+ \(the IPv4 end mapped into IPv6\)\./],
  ] as const) {
    test(`${version}: Postfix names the announced client (${source.address}) in its Received header and its log`, async () => {
      const r = await send({ proxyProtocol: version, proxySource: source });
      assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
      assert.ok(r.of('info').some((e) => bytes.test(e.text)), r.transcript().join('\n'));
      const [file] = await pf.readDelivered();
      assert.match(receivedHeader(file), new RegExp(`^Received: from client\\.example\\.test \\(unknown \\[(IPv6:)?${source.address.replace(/\./g, '\\.')}\\]\\)`));
      assert.match(await pf.readLog(), new RegExp(`connect from unknown\\[${source.address.replace(/\./g, '\\.')}\\]`));
    });
  }

  test('v2 with an IPv6 source over an IPv4 connection: the IPv4 end is mapped, and Postfix names the IPv6 client', async () => {
    const r = await send({ proxyProtocol: 'v2', proxySource: { address: '2001:db8::7', port: 40004 } });
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    assert.ok(r.of('info').some((e) => /^PROXY v2 header sent, 52 bytes, announcing \[2001:db8::7\]:40004 → \[::ffff:127\.0\.0\.1\]:\d+ \(the IPv4 end mapped into IPv6\)\.$/.test(e.text)), r.transcript().join('\n'));
    const [file] = await pf.readDelivered();
    assert.match(receivedHeader(file), /\(unknown \[(IPv6:)?2001:db8::7\]\)/);
  });

  test('without --proxy-source the header announces the real connection, and Postfix sees 127.0.0.1', async () => {
    const r = await send({ proxyProtocol: 'v2' });
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    assert.ok(r.of('info').some((e) => /^PROXY v2 header sent, 28 bytes, announcing 127\.0\.0\.1:\d+ → 127\.0\.0\.1:\d+\.$/.test(e.text)));
    const [file] = await pf.readDelivered();
    assert.match(receivedHeader(file), /\[127\.0\.0\.1\]/);
  });

  test('without a PROXY header, such a Postfix never greets: the session fails and says so', async () => {
    const r = await send({}, { timeouts: { greetingMs: 1500 } });
    assert.equal(r.outcome, 'not_delivered');
    assert.match(r.last.reason, /accepted the connection but sent no greeting: no greeting within 1\.5 s/);
    assert.ok(!r.of('command').some((c) => c.text.startsWith('MAIL')));
  });

  test('the swaks export of a PROXY v2 send announces the same client to Postfix; curl --haproxy-protocol the real one', async (t) => {
    const missing = ['swaks', 'curl'].filter((tool) => spawnSync(tool, ['--version']).error !== undefined);
    if (missing.length) return t.skip(`not installed: ${missing.join(', ')}`);
    const req = hostRequest(pf.port, rawDraft(RAW), { transport: { proxyProtocol: 'v2', proxySource: { address: '198.51.100.77', port: 40077 } } });
    const mine = await run(req);
    assert.equal(mine.outcome, 'delivered', mine.transcript().join('\n'));
    const cwd = tmp();
    writeFileSync(join(cwd, 'message.eml'), RAW);
    const swaks = await runScript(await journalSession(req, mine.events).text('swaks'), cwd);
    assert.equal(swaks.code, 0, swaks.output);
    const v1Req = hostRequest(pf.port, rawDraft(RAW), { transport: { proxyProtocol: 'v1' } });
    const v1 = await run(v1Req);
    assert.equal(v1.outcome, 'delivered', v1.transcript().join('\n'));
    const curl = await runScript(await journalSession(v1Req, v1.events).text('curl'), cwd);
    assert.equal(curl.code, 0, curl.output);
    const files = await pf.readDelivered({ count: 4 });
    assert.deepEqual(
      files.map((f) => /\(\S+ \[([^\]]+)\]\)/.exec(receivedHeader(f))?.[1]),
      ['198.51.100.77', '198.51.100.77', '127.0.0.1', '127.0.0.1'],
      'MX Desk v2, swaks v2, MX Desk v1, curl v1',
    );
  });

  test('PROXY v2 then STARTTLS: --tls-name and --tls-ca verify the Postfix certificate', async () => {
    const r = await send({ proxyProtocol: 'v2', proxySource: { address: '192.0.2.99', port: 40003 } }, { tls: 'starttls', tlsOptions: { name: 'mx.example.test', caFile, maxVersion: 'TLSv1.2' } });
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    const done = r.of('tls').find((t) => t.phase === 'done');
    assert.equal(done?.verified, true);
    assert.equal(done?.servername, 'mx.example.test');
    assert.equal(done?.protocol, 'TLSv1.2');
    const [file] = await pf.readDelivered();
    assert.match(receivedHeader(file), /\(unknown \[192\.0\.2\.99\]\).*with ESMTPS/);
  });
});

describe('PROXY header bytes (haproxy proxy-protocol.txt)', () => {
  test('v1 is one TCP4/TCP6 line; with no IP ends (a UNIX socket) it is PROXY UNKNOWN', () => {
    assert.equal(proxyHeaderV1({ address: '192.0.2.1', port: 1 }, { address: '192.0.2.2', port: 25 }).toString('latin1'), 'PROXY TCP4 192.0.2.1 192.0.2.2 1 25\r\n');
    assert.equal(proxyHeaderV1({ address: '2001:db8::1', port: 1 }, { address: '192.0.2.2', port: 25 }).toString('latin1'), 'PROXY TCP6 2001:db8::1 ::ffff:192.0.2.2 1 25\r\n');
    assert.equal(proxyHeaderV1(undefined, undefined).toString('latin1'), 'PROXY UNKNOWN\r\n');
  });

  test('v2 is the signature, PROXY over TCP/IPv4 or IPv6, then the addresses; LOCAL with no addresses', () => {
    const v4 = proxyHeaderV2({ address: '192.0.2.1', port: 0x1234 }, { address: '192.0.2.2', port: 25 });
    // version 2 + PROXY (0x21), TCP over IPv4 (0x11), 12 bytes of addresses, src, dst, sport, dport.
    assert.equal(v4.toString('hex'), `${PROXY_V2_SIGNATURE.toString('hex')}2111000cc0000201c000020212340019`);
    const v6 = proxyHeaderV2({ address: '2001:db8::7', port: 1 }, { address: '::1', port: 25 });
    assert.equal(v6.subarray(12, 16).toString('hex'), '21210024');
    assert.equal(v6.subarray(16, 32).toString('hex'), '20010db8000000000000000000000007');
    assert.equal(v6.subarray(32, 48).toString('hex'), '00000000000000000000000000000001');
    assert.equal(proxyHeaderV2(undefined, undefined).toString('hex'), `${PROXY_V2_SIGNATURE.toString('hex')}20000000`);
  });
});
