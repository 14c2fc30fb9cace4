// Interoperability with Dovecot's submission service (a server we did not write), started by the test in a
// private directory with its own config, relaying into a private Postfix: STARTTLS (587-style) and implicit
// TLS (465-style), the certificate verified against the server's name through a test CA, AUTH PLAIN and
// LOGIN against a passwd-file. What arrives in Postfix's maildir is compared byte for byte with what MX Desk
// sent: Dovecot and Postfix each put a Received header on top (and Postfix Return-Path and Delivered-To);
// those leading trace headers are stripped, and everything after them must be identical.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { SessionDeps } from '../../electron/engine/run-session';
import type { AuthMechanism, SessionRequest } from '../../shared/model';
import { makeCert } from '../support/certs';
import { dovecotAvailable, dovecotVersion, startDovecot, stripTraceHeaders, type DovecotInstance } from '../support/dovecot';
import { assertNoSecret } from '../support/invariants';
import { postfixAvailable, startPostfix, type PostfixInstance } from '../support/postfix';
import { hostRequest, makeDraft, rawDraft, run } from '../support/session-fixtures';
import { stopAll } from '../support/stop-all';
import { bdatPayload, startWireTap } from './wire-tap';

const NAME = 'submission.example.test';
const PASSWORD = 'Dovecot-canary-9vK!r2';
const skip = [dovecotAvailable(), postfixAvailable()].find((a) => !a.ok)?.reason ?? false;
if (skip) console.log(`# skipping the Dovecot submission interop tests: ${skip}`);
else console.log(`# Dovecot ${dovecotVersion()}`);

/** What maildir holds for a message we meant: every line end LF, and a final line end. */
function asDelivered(meant: string): Buffer {
  const lf = meant.replace(/\r\n|\r|\n/g, '\n');
  return Buffer.from(lf.endsWith('\n') ? lf : `${lf}\n`, 'utf8');
}

function message(subject: string): string {
  return [
    'From: sender@example.test',
    'To: rcpt@example.test',
    `Subject: ${subject}`,
    `Message-ID: <${subject.replace(/\W+/g, '-')}@example.test>`,
    'Date: Mon, 07 Dec 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Grüße through Dovecot submission.',
    '.',
    '..two dots',
    '.leading dot',
    'end',
  ].join('\r\n');
}

describe('Dovecot submission relaying into Postfix', { skip }, () => {
  let pf: PostfixInstance;
  let dc: DovecotInstance;
  const cert = makeCert('unknown-ca', NAME);
  // The server is reached by its name (the certificate's), which resolves to loopback.
  const deps: Partial<SessionDeps> = { lookupHost: async () => [{ address: '127.0.0.1', family: 4 }], tlsCa: [cert.caCert!] };

  before(async () => {
    pf = await startPostfix();
    dc = await startDovecot({ hostname: NAME, tls: cert, password: PASSWORD, relay: { host: '127.0.0.1', port: pf.port } });
  });
  after(async () => {
    await stopAll(dc, pf);
  });
  beforeEach(async () => {
    await pf.clearDelivered();
  });

  const submit = (port: number, tls: 'starttls' | 'implicit' | 'none', mechanism: AuthMechanism, raw: string, over: Partial<SessionRequest> = {}): SessionRequest =>
    hostRequest(port, rawDraft(raw), { target: { kind: 'host', host: NAME, port }, tls, auth: { user: dc.user, password: PASSWORD, mechanism }, ...over });

  const cases = [
    { name: 'STARTTLS (587-style), AUTH PLAIN', tls: 'starttls', mechanism: 'PLAIN', chunking: true },
    { name: 'STARTTLS (587-style), AUTH LOGIN, DATA instead of BDAT', tls: 'starttls', mechanism: 'LOGIN', chunking: false },
    { name: 'implicit TLS (465-style), AUTH PLAIN', tls: 'implicit', mechanism: 'PLAIN', chunking: true },
    { name: 'implicit TLS (465-style), AUTH LOGIN', tls: 'implicit', mechanism: 'LOGIN', chunking: false },
  ] as const;
  for (const c of cases) {
    test(`${c.name}: the message arrives in Postfix's maildir byte for byte after the trace headers`, async () => {
      const raw = message(c.name);
      const port = c.tls === 'implicit' ? dc.submissionsPort : dc.submissionPort;
      const r = await run(submit(port, c.tls, c.mechanism, raw, { chunking: c.chunking }), deps);
      assert.equal(r.outcome, 'delivered', `${r.transcript().join('\n')}\n${await dc.readLog()}`);
      const tls = r.of('tls').find((t) => t.phase === 'done');
      assert.equal(tls?.verified, true, 'the certificate is verified against the test CA and the name');
      assert.equal(tls?.servername, NAME);
      assert.equal(tls?.overridden, false);
      const auth = r.of('command').filter((x) => x.stage === 'auth');
      assert.match(auth[0]?.text ?? '', new RegExp(`^AUTH ${c.mechanism}\\b`));
      assert.ok(r.of('reply').some((x) => x.stage === 'auth' && x.code === 235), 'Dovecot accepted the credentials (235)');
      assertNoSecret(r.events, PASSWORD);
      const [file] = await pf.readDelivered({ count: 1 });
      assert.ok(file, `nothing reached Postfix\n${await pf.readLog()}\n${await dc.readLog()}`);
      assert.match(file.toString('latin1'), new RegExp(`^Received: from [^\\n]*\\n(\\s[^\\n]*\\n)*?\\s+by ${NAME.replace(/\./g, '\\.')}`, 'm'), 'Dovecot added its Received header');
      assert.deepEqual(stripTraceHeaders(file).toString('utf8'), asDelivered(raw).toString('utf8'));
    });
  }

  test('Dovecot offers AUTH before TLS on loopback, yet MX Desk sends STARTTLS first and EHLO again (RFC 3207 §4.2)', async () => {
    const r = await run(submit(dc.submissionPort, 'starttls', 'PLAIN', message('order')), deps);
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    const verbs = r.of('command').map((x) => x.text.split(' ')[0]);
    assert.deepEqual(verbs.slice(0, 4), ['EHLO', 'STARTTLS', 'EHLO', 'AUTH']);
    const ehlos = r.of('reply').filter((x) => x.stage === 'ehlo');
    assert.ok(ehlos[0].lines.includes('STARTTLS'));
    assert.ok(ehlos[0].lines.some((l) => /^AUTH\b/.test(l)), 'Dovecot counts loopback as secured and offers AUTH in clear');
    assert.ok(!ehlos[1].lines.includes('STARTTLS'));
    await pf.readDelivered({ count: 1 });
  });

  test('without TLS, the offered AUTH is not attempted and the reason says the password was NOT sent', async () => {
    const r = await run(submit(dc.submissionPort, 'none', 'PLAIN', message('cleartext')), deps);
    assert.equal(r.outcome, 'not_delivered');
    assert.match(r.last.reason, /password was NOT sent/);
    assert.ok(!r.of('command').some((x) => x.stage === 'auth'));
    assertNoSecret(r.events, PASSWORD);
  });

  test('plaintext AUTH explicitly allowed on loopback: Dovecot, which counts loopback as secured, accepts it', async () => {
    const raw = message('cleartext allowed');
    const r = await run(submit(dc.submissionPort, 'none', 'PLAIN', raw, { allowPlaintextAuthOnLoopback: true }), deps);
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    assert.ok(!r.of('command').some((x) => x.text === 'STARTTLS'));
    assert.ok(r.of('reply').some((x) => x.stage === 'auth' && x.code === 235));
    assertNoSecret(r.events, PASSWORD);
    const [file] = await pf.readDelivered({ count: 1 });
    assert.deepEqual(stripTraceHeaders(file).toString('utf8'), asDelivered(raw).toString('utf8'));
  });

  test('a composed message (text, HTML, attachment, UTF-8 Subject, Bcc) reaches Postfix exactly as MX Desk wrote it on the wire', async () => {
    // The tap sees cleartext only: AUTH in clear to loopback, explicitly allowed (Dovecot counts loopback as secured).
    const tap = await startWireTap({ host: '127.0.0.1', port: dc.submissionPort });
    try {
      const draft = makeDraft({
        from: 'Sender Name <sender@example.test>',
        to: 'rcpt@example.test',
        bcc: 'hidden@example.test',
        subject: 'Grüße — composed through Dovecot',
        text: 'Plain text, Grüße.\n.\n.leading dot line\n',
        html: '<p>HTML <b>alternative</b></p>',
        attachments: [{ filename: 'a.txt', contentType: 'text/plain', contentBase64: Buffer.from('attachment body\n').toString('base64') }],
      });
      const r = await run(hostRequest(tap.port, draft, { tls: 'none', allowPlaintextAuthOnLoopback: true, chunking: true, auth: { user: dc.user, password: PASSWORD, mechanism: 'PLAIN' } }));
      assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
      assert.deepEqual(r.of('command').filter((c) => c.text.startsWith('RCPT')).map((c) => c.text), ['RCPT TO:<rcpt@example.test>', 'RCPT TO:<hidden@example.test>']);
      const wrote = bdatPayload(tap.sent()[0]);
      assert.doesNotMatch(wrote.toString('latin1'), /^Bcc:/im, 'no Bcc header in what was written');
      const files = await pf.readDelivered({ count: 2 });
      assert.equal(files.length, 2, 'one copy per recipient, the Bcc one included');
      const wroteLf = wrote.toString('utf8').replace(/\r\n/g, '\n');
      for (const f of files) assert.equal(stripTraceHeaders(f).toString('utf8'), wroteLf);
    } finally {
      await tap.stop();
    }
  });

  test('a recipient the relay refuses is refused at RCPT through Dovecot; the other is delivered', async () => {
    const raw = message('relay refusal');
    const r = await run(hostRequest(dc.submissionPort, rawDraft(raw, ['rcpt@example.test', 'someone@elsewhere.invalid']), { target: { kind: 'host', host: NAME, port: dc.submissionPort }, tls: 'starttls', auth: { user: dc.user, password: PASSWORD, mechanism: 'PLAIN' } }), deps);
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    const rcpt = r.of('reply').filter((x) => x.stage === 'rcpt');
    assert.equal(rcpt[0]?.code, 250);
    assert.equal(Math.floor((rcpt[1]?.code ?? 0) / 100), 5, 'Postfix refuses the foreign domain, and Dovecot passes the refusal on');
    assert.match(r.last.reason, /1 of 2 recipients/);
    assert.match(r.last.reason, /someone@elsewhere\.invalid/);
    const [file] = await pf.readDelivered({ count: 1 });
    assert.deepEqual(stripTraceHeaders(file).toString('utf8'), asDelivered(raw).toString('utf8'));
  });

  test('a 2 MiB message in BDAT chunks and the same in DATA both arrive byte for byte', async () => {
    const line = `${'0123456789abcdef'.repeat(4)}\r\n`;
    const raw = message('big') + '\r\n' + line.repeat(Math.ceil((2 * 1024 * 1024) / line.length));
    for (const chunking of [true, false]) {
      await pf.clearDelivered();
      const r = await run(submit(dc.submissionPort, 'starttls', 'PLAIN', raw, { chunking }), deps);
      assert.equal(r.outcome, 'delivered', r.transcript().slice(-8).join('\n'));
      assert.equal(r.of('data_body')[0]?.method, chunking ? 'BDAT' : 'DATA');
      const [file] = await pf.readDelivered({ count: 1 });
      assert.ok(stripTraceHeaders(file).equals(asDelivered(raw)), `${chunking ? 'BDAT' : 'DATA'}: the delivered bytes differ`);
    }
  });

  test('DSN options: Dovecot submission offers no DSN, so MX Desk stops before MAIL and says why (RFC 3461)', async () => {
    const r = await run(submit(dc.submissionPort, 'starttls', 'PLAIN', message('dsn'), { protocol: { dsn: { notify: ['FAILURE'], ret: 'HDRS' } } }), deps);
    assert.equal(r.outcome, 'not_delivered');
    assert.ok(!r.of('reply').filter((x) => x.stage === 'ehlo').at(-1)?.lines.includes('DSN'), 'Dovecot 2.3 submission does not offer DSN');
    assert.match(r.last.reason, /does not offer DSN/);
    assert.ok(!r.of('command').some((x) => x.text.startsWith('MAIL')));
  });

  test('a wrong password: Dovecot says 535, MX Desk explains it, does not retry and sends no MAIL', async () => {
    const wrong = 'wrong-Pw-canary-3x';
    const r = await run(hostRequest(dc.submissionPort, rawDraft(message('wrong')), { target: { kind: 'host', host: NAME, port: dc.submissionPort }, tls: 'starttls', auth: { user: dc.user, password: wrong, mechanism: 'PLAIN' } }), deps);
    assert.equal(r.outcome, 'not_delivered');
    assert.equal(r.last.stage, 'auth');
    assert.match(r.last.reason, /535/);
    assert.equal(r.of('command').filter((x) => x.text.startsWith('AUTH')).length, 1, 'one AUTH attempt');
    assert.ok(!r.of('command').some((x) => x.text.startsWith('MAIL')));
    assertNoSecret(r.events, wrong);
  });
});
