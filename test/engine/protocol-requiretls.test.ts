// REQUIRETLS (RFC 8689): sent on MAIL only over TLS with a verified certificate, to a server that offers it
// after STARTTLS; otherwise a clear stop before MAIL (or a refusal before connecting). The peer is nodemailer's
// smtp-server, which offers REQUIRETLS only on TLS connections and records it in the envelope.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import type { SessionRequest } from '../../shared/model';
import { parseSessionRequest } from '../../shared/validate/session-request';
import { makeCert } from '../support/certs';
import { startHostileServer, type HostileServer } from '../support/hostile-server';
import { hostRequest, runCase } from '../support/session-case';
import { hello, quit } from '../support/smtp-script';
import { tempDirs } from '../support/temp-dirs';

const tempDir = tempDirs('mxdesk-requiretls-');

async function startServer(opts: { hideREQUIRETLS?: boolean }, seen: { requireTLS: boolean; from: string }[]) {
  const cert = makeCert('unknown-ca', 'mx.example.test');
  const server = new SMTPServer({
    name: 'mx.example.test',
    key: cert.key,
    cert: cert.cert,
    authOptional: true,
    hideREQUIRETLS: opts.hideREQUIRETLS === true,
    logger: false,
    onData(stream, session, cb) {
      stream.resume();
      stream.on('end', () => {
        const env = session.envelope as typeof session.envelope & { requireTLS?: boolean };
        seen.push({ requireTLS: env.requireTLS === true, from: env.mailFrom ? env.mailFrom.address : '' });
        cb();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.server.address();
  return { server, port: typeof a === 'object' && a ? a.port : 0, caCert: cert.caCert ?? '' };
}

describe('REQUIRETLS against smtp-server', () => {
  const seen: { requireTLS: boolean; from: string }[] = [];
  let offers: Awaited<ReturnType<typeof startServer>>;
  let hides: Awaited<ReturnType<typeof startServer>>;
  let caFile = '';
  before(async () => {
    [offers, hides] = await Promise.all([startServer({}, seen), startServer({ hideREQUIRETLS: true }, seen)]);
    caFile = join(tempDir(), 'ca.pem');
    writeFileSync(caFile, offers.caCert);
  });
  after(async () => {
    await Promise.all([offers, hides].map((s) => new Promise<void>((r) => s.server.close(() => r()))));
  });

  // The test CA is trusted through --tls-ca, and the certificate is checked against its name (--tls-name).
  const req = (port: number): SessionRequest =>
    hostRequest({ host: '127.0.0.1', port }, { request: { tls: 'starttls', certPolicy: 'verify', tlsOptions: { caFile, name: 'mx.example.test' }, protocol: { requireTls: true } } });

  test('offered after STARTTLS: MAIL FROM carries REQUIRETLS and the server records it', async () => {
    seen.length = 0;
    const r = await runCase(undefined, req(offers.port), { deadlineMs: 5000 });
    assert.equal(r.outcome.outcome, 'delivered', r.outcome.reason);
    const mail = r.commands.find((c) => c.startsWith('MAIL FROM:'));
    assert.match(mail ?? '', / REQUIRETLS$/);
    assert.deepEqual(seen, [{ requireTLS: true, from: 'sender@example.test' }]);
  });

  test('not offered over TLS: stops before MAIL, nothing sent', async () => {
    seen.length = 0;
    const r = await runCase(undefined, req(hides.port), { deadlineMs: 5000 });
    assert.equal(r.outcome.outcome, 'not_delivered');
    assert.equal(r.outcome.stage, 'mail');
    assert.match(r.outcome.reason, /does not offer REQUIRETLS \(RFC 8689\) over TLS/);
    assert.ok(!r.commands.some((c) => c.startsWith('MAIL')));
    assert.deepEqual(seen, []);
  });
});

describe('REQUIRETLS without TLS', () => {
  let s: HostileServer | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  test('a server that offers REQUIRETLS but not STARTTLS: stops before MAIL (REQUIRETLS is meaningless in clear)', async () => {
    s = await startHostileServer([...hello('REQUIRETLS', 'PIPELINING'), ...quit()]);
    const r = await runCase(s, hostRequest(s, { request: { tls: 'auto', protocol: { requireTls: true } } }), { deadlineMs: 5000 });
    assert.equal(r.outcome.outcome, 'not_delivered');
    assert.match(r.outcome.reason, /REQUIRETLS needs a TLS connection .*not encrypted; nothing was sent/);
    assert.ok(!r.commands.some((c) => c.startsWith('MAIL')));
  });

  test('refused before connecting: with TLS off, or with certificate problems overridden', () => {
    const base = hostRequest({ host: '127.0.0.1', port: 1 }, { request: { protocol: { requireTls: true } } });
    const none = parseSessionRequest({ ...base, tls: 'none' });
    assert.ok(!none.ok && none.error.field === 'protocol.requireTls' && /choose a TLS mode/.test(none.error.message));
    const override = parseSessionRequest({ ...base, tls: 'starttls', certPolicy: 'override-once' });
    assert.ok(!override.ok && /verified certificate/.test(override.error.message));
    assert.ok(parseSessionRequest({ ...base, tls: 'starttls' }).ok);
  });
});
