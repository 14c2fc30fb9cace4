// Sending with tlsPolicy 'mta' ("as a DANE/MTA-STS-aware MTA would") against the DNSSEC lab (nsd + validating
// unbound) and a private Postfix with STARTTLS whose certificate is the lab's: the MX of every lab zone is
// mx.<zone> at 127.0.0.1, and each test publishes the TLSA it needs at _<postfix port>._tcp.<mx> (port-aware).
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { SessionRequest } from '../../shared/model';
import type { SessionEventBody } from '../../shared/events';
import { runSession, type SessionDeps } from '../../electron/engine/run-session';
import { makeCert } from '../support/certs';
import { startDnssecLab, type DnssecLab } from '../support/dnssec';
import { postfixAvailable, startPostfix, type PostfixInstance } from '../support/postfix';
import { startHostileServer } from '../support/hostile-server';
import { hello, quit } from '../support/smtp-script';
import { rawDraft, run, TEST_TIMEOUTS, type Collected } from '../support/session-fixtures';

const MISMATCH = `3 1 1 ${'00'.repeat(32)}`;
let lab: DnssecLab | undefined;
let pf: PostfixInstance | undefined;
let skip: string | undefined;
let sts: { server: Server; body: string; cert: string; port: number } | undefined;

before(async () => {
  const avail = postfixAvailable();
  if (!avail.ok) {
    skip = `Postfix: ${avail.reason}`;
    console.log(`# skipping tlsPolicy send tests: ${skip}`);
    return;
  }
  // Only TLSA signatures are broken in bogus.test, so its MX and addresses validate and DANE decides.
  const r = await startDnssecLab({ brokenTypes: ['TLSA'], nonValidating: false });
  if (!r.ok) {
    if (!r.missing) throw new Error(`DNSSEC lab failed to start: ${r.why}`);
    skip = r.why;
    console.log(`# skipping tlsPolicy send tests: ${skip}`);
    return;
  }
  lab = r;
  pf = await startPostfix({ tls: true, tlsCert: { cert: lab.cert.cert, key: lab.cert.key }, domains: ['secure.test', 'bogus.test', 'unsigned.test'] });
  const c = makeCert('self-signed', 'mta-sts.secure.test');
  const state = { body: '', cert: c.cert };
  const server = createServer({ cert: c.cert, key: c.key }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(state.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sts = { server, cert: c.cert, port: (server.address() as AddressInfo).port, get body() { return state.body; }, set body(v: string) { state.body = v; } };
});
after(async () => {
  sts?.server.close();
  await pf?.stop();
  await lab?.stop();
});

const RAW = (domain: string) => `From: sender@example.test\r\nTo: rcpt@${domain}\r\nSubject: policy\r\n\r\nunder a TLS policy\r\n`;

function mxRequest(domain: string): SessionRequest {
  return {
    draft: rawDraft(RAW(domain), [`rcpt@${domain}`]),
    target: { kind: 'mx' },
    port: pf!.port,
    tls: 'auto',
    tlsPolicy: 'mta',
    certPolicy: 'verify',
    pipelining: true,
    chunking: true,
    mode: 'auto',
    heloName: 'client.example.test',
    resolver: lab!.resolver,
    timeouts: TEST_TIMEOUTS,
  };
}

const infos = (r: Collected): string => r.of('info').map((i) => `[${i.level}] ${i.text}`).join('\n');
const show = (r: Collected): void => { if (process.env.SHOW_POLICY_LOG) console.log(r.transcript().join("\n")); };
const tlsa = (host: string, data: string) => `_${pf!.port}._tcp.${host} TLSA ${data}`;
const policy = (mode: string, mx: string) => `version: STSv1\nmode: ${mode}\nmx: ${mx}\nmax_age: 86400\n`;
const stsDeps = (): Partial<SessionDeps> => ({ policyFetch: { connectTo: { 'mta-sts.secure.test': `127.0.0.1:${sts!.port}` }, ca: [sts!.cert], timeoutMs: 3000 } });

describe('DANE when sending (RFC 7672)', () => {
  test('a matching DANE-EE TLSA: delivered, the log says DANE-EE matched', async (t) => {
    if (!lab) return t.skip(skip);
    await lab.setExtra('secure', [tlsa('mx', lab.tlsa)]);
    const r = await run(mxRequest('secure.test'));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    assert.match(infos(r), /TLS policy for mx\.secure\.test: DANE: 1 usable DNSSEC-secure TLSA record\(s\) at _\d+\._tcp\.mx\.secure\.test/);
    assert.match(infos(r), /\[info\] DANE-EE matched for mx\.secure\.test: .*RFC 7672 §3\.1\.1/);
    const done = r.of('tls').find((e) => e.phase === 'done');
    assert.equal(done?.verified, true, 'authenticated by DANE, although the certificate is self-signed');
    assert.ok(r.of('dns').some((d) => d.query.type === 'TLSA' && d.query.dnssec === 'secure'));
    assert.equal((await pf!.readDelivered()).length >= 1, true);
    await pf!.clearDelivered();
  });

  test('a mismatching TLSA: the host is not used, the reason logged, nothing delivered', async (t) => {
    if (!lab) return t.skip(skip);
    await lab.setExtra('secure', [tlsa('mx', MISMATCH)]);
    const r = await run(mxRequest('secure.test'));
    assert.equal(r.outcome, 'not_delivered', r.transcript().join('\n'));
    assert.match(infos(r), /\[warn\] DANE: No usable TLSA record matches .*, so mx\.secure\.test is not used/);
    assert.ok(!r.of('command').some((c) => c.text.startsWith('MAIL')), 'nothing after STARTTLS');
    assert.match(r.last.reason, /not used|No usable TLSA/);
  });

  test('a mismatching TLSA on the best MX: delivered to the next MX, whose TLSA matches', async (t) => {
    if (!lab) return t.skip(skip);
    await lab.setExtra('secure', [tlsa('mx', MISMATCH), '@ MX 20 mx2.secure.test.', 'mx2 A 127.0.0.1', tlsa('mx2', lab.tlsa)]);
    const r = await run(mxRequest('secure.test'));
    show(r);
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    const log = infos(r);
    assert.match(log, /DANE: No usable TLSA record matches .*, so mx\.secure\.test is not used/);
    assert.match(log, /DANE-EE matched for mx2\.secure\.test/);
    assert.ok(log.indexOf('mx.secure.test is not used') < log.indexOf('DANE-EE matched for mx2'));
    await pf!.clearDelivered();
  });

  test('bogus TLSA: refused before any connection (RFC 7672 §2.1.1)', async (t) => {
    if (!lab) return t.skip(skip);
    await lab.setExtra('bogus', [tlsa('mx', lab.tlsa)]);
    const r = await run(mxRequest('bogus.test'));
    show(r);
    assert.equal(r.outcome, 'not_delivered');
    assert.match(infos(r), /\[warn\] TLS policy for mx\.bogus\.test: The TLSA lookup .* is bogus .* not used \(RFC 7672 §2\.1\.1\)/);
    assert.equal(r.of('connect_result').length, 0, 'no connection is made');
    assert.match(r.last.reason, /bogus/);
  });

  test('an unsigned zone with a (mismatching) TLSA: ignored, delivered with opportunistic TLS', async (t) => {
    if (!lab) return t.skip(skip);
    await lab.setExtra('unsigned', [tlsa('mx', MISMATCH)]);
    const r = await run(mxRequest('unsigned.test'));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    assert.match(infos(r), /\[warn\] The MX RRset is insecure, so the TLSA records at _\d+\._tcp\.mx\.unsigned\.test are not used/);
    assert.match(infos(r), /TLS policy for mx\.unsigned\.test: No DANE and no MTA-STS policy/);
    assert.match(infos(r), /Opportunistic TLS to mx\.unsigned\.test: the certificate is not verified/);
    assert.equal(r.of('tls').find((e) => e.phase === 'done')?.verified, false);
    await pf!.clearDelivered();
  });
});

describe('MTA-STS when sending (RFC 8461), with the policy on a loopback HTTPS server', () => {
  test('enforce with the MX not in the policy: skipped, nothing delivered', async (t) => {
    if (!lab || !sts) return t.skip(skip);
    await lab.setExtra('secure', []);
    sts.body = policy('enforce', 'other.secure.test');
    const r = await run(mxRequest('secure.test'), stsDeps());
    assert.equal(r.outcome, 'not_delivered', r.transcript().join('\n'));
    assert.match(infos(r), /MTA-STS for secure\.test: policy in enforce mode/);
    assert.match(infos(r), /mx\.secure\.test is not listed in the enforce MTA-STS policy .* \(RFC 8461 §4\.1, §5\)/);
    assert.equal(r.of('connect_result').length, 0);
  });

  test('enforce with the MX listed: the certificate must verify for the MX name', async (t) => {
    if (!lab || !sts) return t.skip(skip);
    await lab.setExtra('secure', []);
    sts.body = policy('enforce', 'mx.secure.test');
    const refused = await run(mxRequest('secure.test'), stsDeps());
    show(refused);
    assert.equal(refused.outcome, 'not_delivered');
    assert.match(infos(refused), /MTA-STS enforce: the certificate of mx\.secure\.test is not valid \(self-signed/);
    const trusted = await run(mxRequest('secure.test'), { ...stsDeps(), tlsCa: [lab.cert.cert] });
    assert.equal(trusted.outcome, 'delivered', trusted.transcript().join('\n'));
    assert.match(infos(trusted), /MTA-STS enforce: the certificate of mx\.secure\.test is valid for its name/);
    await pf!.clearDelivered();
  });

  test('testing with the MX not listed: delivered, the failure only logged (RFC 8461 §5)', async (t) => {
    if (!lab || !sts) return t.skip(skip);
    await lab.setExtra('secure', []);
    sts.body = policy('testing', 'other.secure.test');
    const r = await run(mxRequest('secure.test'), stsDeps());
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    assert.match(infos(r), /\[warn\] MTA-STS testing: mx\.secure\.test is not listed/);
    await pf!.clearDelivered();
  });

  test('DANE wins over MTA-STS: a matching TLSA delivers although enforce does not list the MX (RFC 8461 §2)', async (t) => {
    if (!lab || !sts) return t.skip(skip);
    await lab.setExtra('secure', [tlsa('mx', lab.tlsa)]);
    sts.body = policy('enforce', 'other.secure.test');
    const r = await run(mxRequest('secure.test'), stsDeps());
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    assert.match(infos(r), /DANE wins \(RFC 8461 §2\)/);
    assert.match(infos(r), /DANE-EE matched/);
    await pf!.clearDelivered();
  });
});

describe('DANE-TA and time bounds', () => {
  test('DANE-TA (2 0 1 of the issuing CA): the chain leads to it and names the MX host, so delivered (RFC 7672 §3.1.2)', async (t) => {
    if (!lab) return t.skip(skip);
    const c = makeCert('unknown-ca', 'mx.secure.test');
    const ta = await startPostfix({ tls: true, tlsCert: { cert: c.cert + c.caCert!, key: c.key }, domains: ['secure.test'] });
    t.after(() => ta.stop());
    const caHash = createHash('sha256').update(new X509Certificate(c.caCert!).raw).digest('hex');
    await lab.setExtra('secure', [`_${ta.port}._tcp.mx TLSA 2 0 1 ${caHash}`]);
    const r = await run({ ...mxRequest('secure.test'), port: ta.port });
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    assert.match(infos(r), /DANE-TA matched for mx\.secure\.test: .*leaf names mx\.secure\.test/);
    assert.equal(r.of('tls').find((e) => e.phase === 'done')?.verified, true);
  });

  test('cancel while the MTA-STS policy server hangs: cancelled within a second, nothing sent', async (t) => {
    if (!lab) return t.skip(skip);
    await lab.setExtra('secure', []);
    const held: Socket[] = [];
    const hang = createTcpServer((s) => held.push(s)); // accepts, never answers the TLS handshake
    await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      for (const s of held) s.destroy();
      hang.close();
    });
    const ac = new AbortController();
    const events: SessionEventBody[] = [];
    let abortedAt = 0;
    const deps: SessionDeps = {
      sessionId: 'cancel',
      signal: ac.signal,
      policyFetch: { connectTo: { 'mta-sts.secure.test': `127.0.0.1:${(hang.address() as AddressInfo).port}` }, timeoutMs: 5000 },
      emit: (e) => {
        events.push(e);
        // The TXT answer says there is a policy; its fetch is what hangs.
        if (e.kind === 'dns' && e.query.type === 'TXT' && !abortedAt) {
          abortedAt = performance.now();
          setImmediate(() => ac.abort());
        }
      },
    };
    const outcome = await runSession(mxRequest('secure.test'), deps);
    assert.equal(outcome, 'cancelled');
    assert.ok(performance.now() - abortedAt < 1000, `cancel took ${Math.round(performance.now() - abortedAt)} ms`);
    assert.equal(events.filter((e) => e.kind === 'connect_result').length, 0);
  });
});

describe('a host the user names: DANE only', () => {
  const named = (port: number): SessionRequest => ({ ...mxRequest('secure.test'), target: { kind: 'host', host: 'mx.secure.test', port }, port: undefined });

  test('mx.secure.test named with its port: TLSA looked up for it, DANE-EE matched, no MTA-STS asked', async (t) => {
    if (!lab || !pf) return t.skip(skip);
    await lab.setExtra('secure', [tlsa('mx', lab.tlsa)]);
    const r = await run(named(pf.port));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    assert.match(infos(r), /DANE-EE matched for mx\.secure\.test/);
    assert.ok(!r.of('dns').some((d) => d.query.name.startsWith('_mta-sts.')), 'MTA-STS is for MX delivery only');
    await pf.clearDelivered();
  });

  test('usable TLSA but no STARTTLS offered: not used, nothing sent after EHLO (RFC 7672 §2.2)', async (t) => {
    if (!lab) return t.skip(skip);
    const server = await startHostileServer([...hello('PIPELINING', '8BITMIME'), ...quit()]);
    t.after(() => server.stop());
    await lab.setExtra('secure', [`_${server.port}._tcp.mx TLSA ${lab.tlsa}`]);
    const r = await run(named(server.port));
    assert.equal(r.outcome, 'not_delivered');
    assert.match(r.last.reason, /The TLS policy makes TLS mandatory for mx\.secure\.test \(RFC 7672 §2\.2\), so it is not used\. The server does not offer STARTTLS/);
    assert.ok(!r.of('command').some((c) => c.text.startsWith('MAIL')));
  });
});
