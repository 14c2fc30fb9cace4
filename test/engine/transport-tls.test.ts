// TLS controls against a real TLS peer (nodemailer's smtp-server on Node's TLS, certificates made at test
// time by a throwaway CA): the SNI the server sees (--tls-name, else the host name, never an IP literal,
// RFC 6066 §3), verification against --tls-name, --tls-ca, a client certificate the server verifies, the
// version bounds and a one-cipher list. Each choice is said in the session log. The client key is a secret:
// its bytes never reach an event, a transcript, a journal or an export.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseCliArgs } from '../../electron/cli/args';
import type { CliIo } from '../../electron/cli/io';
import { runSendCommand } from '../../electron/cli/send-command';
import type { SessionDeps } from '../../electron/engine/run-session';
import { transcriptText } from '../../shared/export/transcript';
import type { SessionRequest, TlsClientOptions } from '../../shared/model';
import { findCanary, scanDirForCanary } from '../support/canary';
import { makeCert, type TestCert } from '../support/certs';
import { journalSession } from '../support/export-runs';
import { stamp } from '../support/sample-session';
import { hostRequest, makeDraft, run, type Collected } from '../support/session-fixtures';
import { startRecordingServer, type RecordingOptions, type RecordingServer } from '../support/smtp-recording-server';
import { tempDirs } from '../support/temp-dirs';

const tmp = tempDirs('mxdesk-transport-tls-');
const NAME = 'mx.example.test';
const lookupHost: SessionDeps['lookupHost'] = async () => [{ address: '127.0.0.1', family: 4 }];

let files: { ca: string; clientCa: string; cert: string; key: string };
let serverCert: TestCert;
let clientCert: TestCert;

before(() => {
  serverCert = makeCert('unknown-ca', NAME); // signed by a CA nobody trusts until --tls-ca names it
  clientCert = makeCert('unknown-ca', 'client.example.test');
  const dir = tmp();
  files = { ca: join(dir, 'ca.pem'), clientCa: join(dir, 'client-ca.pem'), cert: join(dir, 'client.pem'), key: join(dir, 'client.key') };
  writeFileSync(files.ca, serverCert.caCert!);
  writeFileSync(files.clientCa, clientCert.caCert!);
  writeFileSync(files.cert, clientCert.cert);
  writeFileSync(files.key, clientCert.key, { mode: 0o600 });
});

const servers: RecordingServer[] = [];
after(async () => {
  for (const s of servers) await s.stop();
});

async function serve(tls: Partial<NonNullable<RecordingOptions['tls']>> = {}): Promise<RecordingServer> {
  const s = await startRecordingServer({ tls: { cert: serverCert.cert, key: serverCert.key, ...tls } });
  servers.push(s);
  return s;
}

/** STARTTLS to the server, by name (resolved to 127.0.0.1) or by IP, with these TLS options. */
function request(s: RecordingServer, tlsOptions: TlsClientOptions | undefined, over: Partial<SessionRequest> = {}): SessionRequest {
  return hostRequest(s.port, makeDraft(), { target: { kind: 'host', host: NAME, port: s.port }, tls: 'starttls', tlsOptions, ...over });
}

const byIp = (s: RecordingServer): Partial<SessionRequest> => ({ target: { kind: 'host', host: '127.0.0.1', port: s.port } });

function setupLine(r: Collected): string {
  return r.of('info').find((e) => e.text.startsWith('TLS options:'))?.text ?? '(no TLS options line)';
}

const tlsDone = (r: Collected) => r.of('tls').find((t) => t.phase === 'done');

describe('SNI and the name the certificate is verified against', () => {
  test('without --tls-name, SNI is the host name and the certificate is verified against it', async () => {
    const s = await serve();
    const r = await run(request(s, { caFile: files.ca }), { lookupHost });
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    assert.equal(s.seen.at(-1)?.servername, NAME);
    assert.equal(tlsDone(r)?.verified, true);
    assert.match(setupLine(r), /^TLS options: SNI: mx\.example\.test, verifying against: mx\.example\.test; trusting only the CAs in /);
  });

  test('--tls-name sets the SNI and the verification name when connecting by IP address', async () => {
    const s = await serve();
    const r = await run(request(s, { name: NAME, caFile: files.ca }, byIp(s)));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    assert.equal(s.seen.at(-1)?.servername, NAME);
    assert.equal(tlsDone(r)?.servername, NAME);
    assert.match(setupLine(r), /^TLS options: SNI: mx\.example\.test, verifying against: mx\.example\.test;/);
  });

  test('--tls-name naming another host fails as a name mismatch, with the names in the reason', async () => {
    const s = await serve();
    const r = await run(request(s, { name: 'other.example.test', caFile: files.ca }, byIp(s)));
    assert.equal(r.outcome, 'not_delivered');
    assert.equal(r.last.stage, 'tls');
    assert.deepEqual(s.sni, ['other.example.test']);
    assert.equal(
      r.last.reason,
      "Certificate check failed for other.example.test: name mismatch (Hostname/IP does not match certificate's altnames: Host: other.example.test. is not in the cert's altnames: DNS:mx.example.test).",
    );
    assert.ok(!r.of('command').some((c) => c.text.startsWith('MAIL')), 'nothing is sent after a failed check');
  });

  test('connecting by IP address sends no SNI at all (RFC 6066 §3), and says so', async () => {
    const s = await serve();
    const r = await run(request(s, { caFile: files.ca }, { ...byIp(s), certPolicy: 'override-once' }));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    assert.equal(s.seen.at(-1)?.servername, undefined, 'the server saw no server name');
    assert.deepEqual(s.sni, []);
    assert.match(setupLine(r), /^TLS options: SNI: none \(an IP address is never sent as SNI\), verifying against: 127\.0\.0\.1;/);
    assert.match(tlsDone(r)?.verifyError ?? '', /^name mismatch/);
    assert.match(transcriptText(stamp('s', r.events)), /=== Starting TLS \(starttls\), no SNI \(verifying against the IP address 127\.0\.0\.1\)/);
  });

  test('an IP literal given as --tls-name is not sent as SNI either', async () => {
    const s = await serve();
    const r = await run(request(s, { name: '127.0.0.1', caFile: files.ca }, { certPolicy: 'override-once' }), { lookupHost });
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    assert.equal(s.seen.at(-1)?.servername, undefined);
  });

  test('implicit TLS honours --tls-name too', async () => {
    const s = await serve({ implicit: true });
    const r = await run(request(s, { name: NAME, caFile: files.ca }, { ...byIp(s), tls: 'implicit' }));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    assert.equal(s.seen.at(-1)?.servername, NAME);
    assert.equal(tlsDone(r)?.mode, 'implicit');
  });
});

describe('--tls-ca', () => {
  test('a certificate from a private CA is an unknown CA without --tls-ca', async () => {
    const s = await serve();
    const r = await run(request(s, undefined), { lookupHost });
    assert.equal(r.outcome, 'not_delivered');
    assert.equal(r.last.reason, 'Certificate check failed for mx.example.test: unknown CA (UNABLE_TO_VERIFY_LEAF_SIGNATURE).');
  });

  test('the same certificate passes with its CA given in --tls-ca, and only that CA is trusted', async () => {
    const s = await serve();
    const ok = await run(request(s, { caFile: files.ca }), { lookupHost });
    assert.equal(ok.outcome, 'delivered', ok.transcript().join('\n'));
    // Another CA file (the client's CA) does not vouch for the server.
    const other = await run(request(s, { caFile: files.clientCa }), { lookupHost });
    assert.equal(other.outcome, 'not_delivered');
    assert.match(other.last.reason, /unknown CA/);
  });

  test('a CA file that holds no certificate is refused before connecting', async () => {
    const bad = join(tmp(), 'not-a-ca.pem');
    writeFileSync(bad, 'hello\n');
    const s = await serve();
    const before = s.seen.length;
    const r = await run(request(s, { caFile: bad }), { lookupHost });
    assert.equal(r.outcome, 'not_delivered');
    assert.match(r.last.reason, /^TLS setup: the CA file ".*not-a-ca\.pem" holds no PEM certificate\. Nothing was sent\.$/);
    assert.equal(s.seen.length, before, 'no connection was made');
  });
});

describe('client certificate', () => {
  test('the server verifies the client certificate and sees its subject', async () => {
    const s = await serve({ requestCert: true, rejectUnauthorized: true, ca: clientCert.caCert });
    const r = await run(request(s, { caFile: files.ca, certFile: files.cert, keyFile: files.key }), { lookupHost });
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    assert.equal(s.seen.at(-1)?.clientCertAuthorized, true);
    assert.equal(s.seen.at(-1)?.clientCertSubject, 'client.example.test');
    assert.ok(setupLine(r).includes(`client certificate: subject CN=client.example.test (${files.cert}, key ${files.key})`), setupLine(r));
  });

  test('without a client certificate, a server that requires one refuses the session', async () => {
    const s = await serve({ requestCert: true, rejectUnauthorized: true, ca: clientCert.caCert });
    const before = s.messages.length;
    const r = await run(request(s, { caFile: files.ca }), { lookupHost });
    assert.equal(r.outcome, 'not_delivered', r.transcript().join('\n'));
    assert.equal(s.messages.length, before, 'no message reached the server');
    assert.equal(
      r.last.reason,
      'The server closed the connection during EHLO (the server requires a client certificate (TLS alert "certificate required", RFC 8446 §6.2); give one with --tls-cert and --tls-key).',
    );
  });

  test('a client certificate from a CA the server does not trust is refused: nothing is delivered', async () => {
    // Node's TLS server hangs up without an alert here, so the reason can only say the server closed.
    const s = await serve({ requestCert: true, rejectUnauthorized: true, ca: serverCert.caCert });
    const before = s.messages.length;
    const r = await run(request(s, { caFile: files.ca, certFile: files.cert, keyFile: files.key }), { lookupHost });
    assert.equal(r.outcome, 'not_delivered');
    assert.equal(s.messages.length, before);
    assert.match(r.last.reason, /^The server closed the connection during EHLO/);
  });

  test('a key that does not belong to the certificate is refused before connecting, naming both files', async () => {
    const otherKey = join(tmp(), 'other.key');
    writeFileSync(otherKey, serverCert.key);
    const s = await serve();
    const r = await run(request(s, { caFile: files.ca, certFile: files.cert, keyFile: otherKey }), { lookupHost });
    assert.equal(r.outcome, 'not_delivered');
    assert.match(r.last.reason, /^TLS setup: the client certificate ".*client\.pem" and key ".*other\.key" cannot be used together \(/);
    assert.deepEqual(findCanary(JSON.stringify(r.events), keyCanary(serverCert.key)), []);
  });
});

describe('TLS versions and ciphers', () => {
  test('--tls-min 1.3 against a server limited to TLS 1.2 fails, naming the range', async () => {
    const s = await serve({ maxVersion: 'TLSv1.2' });
    const r = await run(request(s, { caFile: files.ca, minVersion: 'TLSv1.3' }), { lookupHost });
    assert.equal(r.outcome, 'not_delivered');
    assert.equal(r.last.stage, 'tls');
    assert.equal(r.last.reason, 'TLS handshake failed: the server offers no TLS version in the range allowed by --tls-min/--tls-max (TLSv1.3 to any).');
    assert.match(setupLine(r), /TLS versions TLSv1\.3 to any/);
  });

  test('--tls-max 1.2 makes the session TLS 1.2 on a server that offers 1.3', async () => {
    const s = await serve();
    const r = await run(request(s, { caFile: files.ca, maxVersion: 'TLSv1.2' }), { lookupHost });
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    assert.equal(tlsDone(r)?.protocol, 'TLSv1.2');
    assert.equal(s.seen.at(-1)?.protocol, 'TLSv1.2');
  });

  test('--tls-ciphers with one TLS 1.2 cipher negotiates exactly that cipher', async () => {
    const s = await serve({ maxVersion: 'TLSv1.2' });
    const r = await run(request(s, { caFile: files.ca, ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' }), { lookupHost });
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    assert.equal(s.seen.at(-1)?.cipher, 'ECDHE-ECDSA-AES128-GCM-SHA256');
    assert.equal(tlsDone(r)?.cipher, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
    assert.match(setupLine(r), /ciphers ECDHE-ECDSA-AES128-GCM-SHA256/);
  });

  test('a cipher the server does not accept fails, naming --tls-ciphers', async () => {
    const s = await serve({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384' });
    const r = await run(request(s, { caFile: files.ca, ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' }), { lookupHost });
    assert.equal(r.outcome, 'not_delivered');
    assert.equal(r.last.reason, 'TLS handshake failed: the server accepts none of the ciphers allowed by --tls-ciphers (ECDHE-ECDSA-AES128-GCM-SHA256).');
  });
});

/** A piece of the key's base64 body that no other text has by chance: the canary for the key's bytes. */
function keyCanary(pem: string): string {
  const body = pem.split('\n').filter((l) => l && !l.startsWith('-----'));
  return body.join('').slice(8, 40);
}

describe('the client key is a secret', () => {
  test('its bytes never reach the events, the transcript, the journal or an export (only its path shows)', async () => {
    const s = await serve({ requestCert: true, rejectUnauthorized: true, ca: clientCert.caCert });
    const req = request(s, { caFile: files.ca, certFile: files.cert, keyFile: files.key }, byIp(s));
    req.tlsOptions = { ...req.tlsOptions, name: NAME };
    const r = await run(req);
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    const secret = keyCanary(readFileSync(files.key, 'utf8'));
    const der = Buffer.from(secret, 'base64').toString('latin1');
    const events = stamp('s-key', r.events);
    const exported = journalSession(req, r.events, 's-key');
    const dir = exported.dir;
    const artefacts: [string, string][] = [
      ['events', JSON.stringify(events)],
      ['transcript', transcriptText(events)],
    ];
    for (const format of ['text', 'json', 'swaks', 'curl', 'openssl'] as const) artefacts.push([format, await exported.text(format)]);
    for (const [what, text] of artefacts) {
      assert.deepEqual(findCanary(text, secret), [], `${what}: the key's PEM text`);
      assert.ok(!Buffer.from(text, 'latin1').includes(Buffer.from(der, 'latin1')), `${what}: the key's DER bytes`);
    }
    assert.deepEqual(scanDirForCanary(dir, secret), [], 'the journal on disk');
    assert.ok(transcriptText(events).includes(files.key), 'the key file path is shown');
  });
});

describe('mxdesk send: the transport and TLS flags reach the peer', () => {
  function captureIo(): { io: CliIo; out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), onInterrupt: () => undefined, offInterrupt: () => undefined, readStdin: async () => Buffer.alloc(0), promptSecret: async () => undefined, env: {} };
    return { io, out, err };
  }

  test('-4 --local-address --tls-name --tls-ca --tls-cert --tls-key --tls-max --tls-ciphers', async () => {
    const s = await serve({ requestCert: true, rejectUnauthorized: true, ca: clientCert.caCert });
    const argv = ['send', '--from', 'a@example.test', '--to', 'b@example.test', '--server', `127.0.0.1:${s.port}`, '--tls', 'starttls', '--body', 'hi', '-4', '--local-address', '127.0.0.3'];
    argv.push('--tls-name', NAME, '--tls-ca', files.ca, '--tls-cert', files.cert, '--tls-key', files.key, '--tls-max', '1.2', '--tls-ciphers', 'ECDHE-ECDSA-AES128-GCM-SHA256');
    const parsed = parseCliArgs(argv);
    assert.ok(parsed.ok && parsed.args.command === 'send', parsed.ok ? '' : parsed.error.message);
    const c = captureIo();
    const code = await runSendCommand(parsed.args, c.io);
    assert.equal(code, 0, [...c.out, ...c.err].join('\n'));
    assert.deepEqual({ ...s.seen.at(-1), remotePort: 0 }, { remoteAddress: '127.0.0.3', remotePort: 0, servername: NAME, protocol: 'TLSv1.2', cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256', clientCertAuthorized: true, clientCertSubject: 'client.example.test' });
    assert.ok(c.out.some((l) => l.includes('SNI: mx.example.test, verifying against: mx.example.test') && l.includes('client certificate: subject CN=client.example.test')), c.out.join('\n'));
  });

  test('a flag the validator refuses names the flag, and nothing is sent', async () => {
    for (const [flags, words] of [
      [['--tls-min', '1.3', '--tls-max', '1.2'], /^--tls-max: The maximum TLS version is below the minimum\.$/],
      [['--tls-cert', '/tmp/x.pem'], /^--tls-key: A client certificate needs both the certificate file and its key file\.$/],
      [['--tls-ciphers', 'A B'], /^--tls-ciphers: The cipher list may hold only OpenSSL cipher names/],
      [['--proxy-source', '192.0.2.1:5'], /^--proxy-source: An announced PROXY source needs a PROXY protocol version/],
    ] as const) {
      const parsed = parseCliArgs(['send', '--from', 'a@example.test', '--to', 'b@example.test', '--body', 'x', ...flags]);
      assert.equal(parsed.ok, false, flags.join(' '));
      if (!parsed.ok) assert.match(parsed.error.message, words);
    }
  });
});
