// RELIABILITY.md "TLS": STARTTLS injection, named certificate failures, explicit one-run override, EHLO again
// after the handshake, implicit TLS, and never AUTH without TLS. The servers present certificates made at test
// time for mx.v4only.test, which the private dnsmasq resolves to 127.0.0.1, so SNI and the name check use a
// real host name. Every case also checks T, K, S and C.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { SessionEventBody } from '../../shared/events';
import type { SessionRequest } from '../../shared/model';
import { makeCert, type CertKind } from '../support/certs';
import { startDnsmasq, TEST_ZONE, type Dnsmasq } from '../support/dnsmasq';
import { delay, expect, reply, send, startHostileServer, startTls, type HostileServer, type HostileStep } from '../support/hostile-server';
import { assertExplains, assertNoSecret, assertOneOutcome } from '../support/invariants';
import { CANARY, hostRequest, runCase, type CaseResult } from '../support/session-case';
import { acceptMessage, ehloReply, greet, hello, quit } from '../support/smtp-script';

const NAME = 'mx.v4only.test';
type TlsEvent = Extract<SessionEventBody, { kind: 'tls' }>;

let dns: Dnsmasq;
let server: HostileServer | undefined;
before(async () => {
  dns = await startDnsmasq(TEST_ZONE);
});
after(async () => {
  await dns.stop();
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function serve(steps: HostileStep[] | ((i: number) => HostileStep[])) {
  server = await startHostileServer(steps);
  return server;
}

/** A request to mx.v4only.test (resolved by the private dnsmasq) on the hostile server's port. */
function namedRequest(s: HostileServer, over: Partial<SessionRequest> = {}): SessionRequest {
  const base = hostRequest(s, { request: over });
  return { ...base, target: { kind: 'host', host: NAME, port: s.port }, resolver: dns.server };
}

function starttlsThen(cert: { cert: string; key: string }, after: HostileStep[]): HostileStep[] {
  return [...hello('PIPELINING', 'STARTTLS'), expect(/^STARTTLS$/i), reply('220 2.0.0 Ready to start TLS'), startTls(cert), expect(/^EHLO /i), ...after];
}

const tlsEvents = (r: CaseResult) => r.events.filter((e): e is TlsEvent & typeof e => e.kind === 'tls');
const normFp = (fp: string) => fp.replace(/:/g, '').toLowerCase();

describe('STARTTLS', () => {
  test('bytes after the STARTTLS 220 abort as possible injection', async () => {
    const cert = makeCert('self-signed', NAME);
    const s = await serve([...hello('STARTTLS'), expect(/^STARTTLS$/i), send('220 2.0.0 Ready\r\n250 injected-before-handshake\r\n'), startTls(cert)]);
    const r = await runCase(s, namedRequest(s, { tls: 'starttls', certPolicy: 'override-once' }));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: ['starttls', 'tls'] });
    assertExplains(o, { dotSent: false, mentions: /inject|unexpected|desync/i });
    assert.ok(!s.connections[0].commands.some((c) => /^MAIL/i.test(c)));
  });

  test('after the handshake the client sends EHLO again and forgets the pre-TLS capabilities', async () => {
    const cert = makeCert('self-signed', NAME);
    // Before TLS the server claims SIZE 10; after TLS it offers SIZE 100000. A client that kept the old list
    // would refuse the message as too big.
    const s = await serve([...hello('STARTTLS', 'SIZE 10'), expect(/^STARTTLS$/i), reply('220 2.0.0 Ready'), startTls(cert), expect(/^EHLO /i), ehloReply('SIZE 100000'), ...acceptMessage()]);
    const r = await runCase(s, namedRequest(s, { tls: 'starttls', certPolicy: 'override-once' }));
    assertOneOutcome(r.events, { outcome: 'delivered' });
    assert.equal(s.connections[0].commands.filter((c) => /^EHLO /i.test(c)).length, 2, 'EHLO before and after TLS (RFC 3207 §4.2)');
  });

  test('overriding a certificate failure is explicit, applies to one run and is recorded in the transcript', async () => {
    const cert = makeCert('self-signed', NAME);
    const s = await serve(() => starttlsThen(cert, [ehloReply('PIPELINING'), ...acceptMessage()]));
    const first = await runCase(s, namedRequest(s, { tls: 'starttls', certPolicy: 'override-once' }));
    assertOneOutcome(first.events, { outcome: 'delivered' });
    const done = tlsEvents(first).find((e) => e.phase === 'done');
    assert.ok(done, 'a TLS "done" event');
    assert.equal(done.verified, false);
    assert.equal(done.overridden, true, 'the override is recorded');
    assert.match(done.verifyError ?? '', /self.signed/i);
    // Protocol, cipher, certificate summary and SNI = the host name (never the IP).
    assert.match(done.protocol ?? '', /^TLSv1\.[23]$/);
    assert.ok(done.cipher);
    assert.equal(done.servername, NAME);
    assert.equal(s.connections[0].tlsServername, NAME, 'SNI is the MX host name');
    assert.ok(done.cert, 'certificate summary');
    assert.equal(normFp(done.cert.fingerprint256), normFp(cert.fingerprint256));
    assert.match(done.cert.subject, new RegExp(NAME.replace(/\./g, '\\.')));
    assert.ok(done.cert.subjectAltNames.some((n) => n.includes(NAME)));
    assert.ok(done.cert.validFrom && done.cert.validTo && done.cert.issuer);

    // The next run verifies again.
    const second = await runCase(s, namedRequest(s, { tls: 'starttls', certPolicy: 'verify' }));
    const o = assertOneOutcome(second.events, { outcome: 'not_delivered', stage: 'tls' });
    assertExplains(o, { dotSent: false, mentions: /self.signed|certificate/i });
  });
});

describe('certificate failures are named', () => {
  const cases: Array<[CertKind, RegExp, string]> = [
    ['self-signed', /self.signed/i, 'self-signed'],
    ['expired', /expired/i, 'expired'],
    ['wrong-name', /name|mismatch|does not match|not valid for/i, 'a name mismatch'],
    ['unknown-ca', /unknown|untrusted|not trusted|issuer|authority/i, 'an unknown CA'],
  ];
  for (const [kind, words, label] of cases) {
    test(`a certificate that is ${label} stops the session with that reason named`, async () => {
      const cert = makeCert(kind, NAME);
      const s = await serve(starttlsThen(cert, [ehloReply(), ...quit()]));
      const r = await runCase(s, namedRequest(s, { tls: 'starttls', certPolicy: 'verify' }));
      const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'tls' });
      const tls = tlsEvents(r);
      const said = [...tls.map((e) => e.verifyError ?? ''), o.reason].join(' | ');
      assert.match(said, words, `the failure is named (${said})`);
      const withCert = tls.find((e) => e.cert);
      assert.ok(withCert?.cert, 'the certificate is shown even when it fails');
      assert.equal(normFp(withCert.cert.fingerprint256), normFp(cert.fingerprint256));
      assert.ok(!s.connections[0].commands.some((c) => /^MAIL/i.test(c)), 'nothing is sent over a failed TLS');
      assertExplains(o, { dotSent: false });
    });
  }
});

describe('TLS failures that are not about the certificate', () => {
  test('a server that only speaks an obsolete TLS version is named as such', async () => {
    const cert = makeCert('self-signed', NAME);
    const old = { ...cert, minVersion: 'TLSv1' as const, maxVersion: 'TLSv1' as const, ciphers: 'DEFAULT:@SECLEVEL=0' };
    const s = await serve([...hello('STARTTLS'), expect(/^STARTTLS$/i), reply('220 2.0.0 Ready'), startTls(old)]);
    const r = await runCase(s, namedRequest(s, { tls: 'starttls', certPolicy: 'override-once' }));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'tls' });
    const said = [...tlsEvents(r).map((e) => e.verifyError ?? ''), o.reason].join(' | ');
    assert.match(said, /obsolete|old|protocol version|TLS ?1\.0|no longer/i, said);
    assertExplains(o, { dotSent: false });
  });

  test('a server that stalls the TLS handshake hits the TLS deadline', async () => {
    const s = await serve([...hello('STARTTLS'), expect(/^STARTTLS$/i), reply('220 2.0.0 Ready'), delay(10_000)]);
    const r = await runCase(s, namedRequest(s, { tls: 'starttls', timeouts: { tlsMs: 500 } }), { deadlineMs: 500 });
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: 'tls' });
    assertExplains(o, { dotSent: false, mentions: /within|time|deadline/i });
  });
});

describe('implicit TLS', () => {
  test('implicit TLS (port 465 style) handshakes first, then reads the greeting', async () => {
    const cert = makeCert('self-signed', NAME);
    const s = await serve([startTls(cert), greet(), expect(/^EHLO /i), ehloReply(), ...acceptMessage()]);
    const r = await runCase(s, namedRequest(s, { tls: 'implicit', certPolicy: 'override-once' }));
    assertOneOutcome(r.events, { outcome: 'delivered' });
    assert.ok(tlsEvents(r).some((e) => e.mode === 'implicit' && e.phase === 'done'));
  });

  test('port 465 answered in plaintext gives a plain-language hint to try 587', async () => {
    const s = await serve([greet()]);
    const r = await runCase(s, namedRequest(s, { tls: 'implicit' }));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: ['tls', 'connect', 'greeting'] });
    assertExplains(o, { dotSent: false, mentions: /587/ });
    assert.doesNotMatch(o.reason, /wrong version number|SSL routines|ERR_SSL/i, 'not a raw OpenSSL error');
  });
});

describe('when TLS is missing', () => {
  test('opportunistic TLS on an MX-style session continues unencrypted and says so', async () => {
    const s = await serve([...hello('PIPELINING'), ...acceptMessage()]);
    const r = await runCase(s, namedRequest(s, { tls: 'auto' }));
    assertOneOutcome(r.events, { outcome: 'delivered' });
    const said = r.events.flatMap((e) => (e.kind === 'info' ? [e.text] : [])).join(' | ');
    assert.match(said, /unencrypted|not encrypted|plain ?text|without TLS/i);
  });

  test('TLS required but STARTTLS not offered stops before MAIL', async () => {
    const s = await serve([...hello('PIPELINING'), ...quit()]);
    const r = await runCase(s, namedRequest(s, { tls: 'require' }));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered', stage: ['starttls', 'ehlo', 'tls'] });
    assert.ok(!s.connections[0].commands.some((c) => /^MAIL/i.test(c)));
    assertExplains(o, { dotSent: false, mentions: /STARTTLS|TLS/ });
  });

  for (const [name, steps] of [
    ['STARTTLS is not offered', [...hello('AUTH PLAIN LOGIN'), ...quit()]],
    ['STARTTLS gets 454', [...hello('STARTTLS', 'AUTH PLAIN LOGIN'), expect(/^STARTTLS$/i), reply('454 4.7.0 TLS not available due to temporary reason'), ...quit()]],
  ] as const) {
    test(`with AUTH, when ${name}, it stops before AUTH saying the password was NOT sent`, async () => {
      const s = await serve([...steps]);
      const r = await runCase(s, namedRequest(s, { tls: 'auto', auth: { user: 'alice', password: CANARY, mechanism: 'auto' } }));
      const o = assertOneOutcome(r.events, { outcome: 'not_delivered' });
      assertExplains(o, { dotSent: false, mentions: /password was NOT sent/i });
      assert.ok(!s.connections[0].commands.some((c) => /^AUTH/i.test(c)), 'no AUTH without TLS');
      assertNoSecret(s.connections[0].received().toString('latin1'), CANARY, 'the bytes the server received');
    });
  }
});
