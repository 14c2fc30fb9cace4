// DKIM signing (RFC 6376; Ed25519 RFC 8463) of what MX Desk sends, checked by verifiers that are not MX
// Desk's: OpenDKIM's opendkim-testmsg and mailauth's verifier, on the file the private Postfix delivered.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { postfixAvailable, startPostfix, type PostfixInstance } from '../support/postfix';
import { hostRequest, makeDraft, rawDraft, run } from '../support/session-fixtures';
import { opendkimUnavailable, opendkimVerify, type KeyRecord } from './dkim-opendkim';

const skip = postfixAvailable().ok ? false : postfixAvailable().reason;
const noOpendkim = opendkimUnavailable();
if (noOpendkim) console.log(`# opendkim-testmsg checks skipped: ${noOpendkim}`);

type Verify = (msg: Buffer, opts: { resolver: (name: string, type: string) => Promise<unknown> }) => Promise<{ results: { status: { result: string; comment?: string }; signingDomain: string; algo: string }[] }>;
const { dkimVerify } = createRequire(join(process.cwd(), 'package.json'))('mailauth/lib/dkim/verify') as { dkimVerify: Verify };

function rsaKey() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), record: `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}` };
}

function edKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  // RFC 8463 §4.2: p= is the raw 32-byte public key, the tail of the SPKI DER.
  const raw = publicKey.export({ type: 'spki', format: 'der' }).subarray(-32);
  return { pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), record: `v=DKIM1; k=ed25519; p=${raw.toString('base64')}` };
}

const RSA = rsaKey();
const ED = edKey();
const KEYS: KeyRecord[] = [
  { name: 'rsa1._domainkey.example.test', text: RSA.record },
  { name: 'ed1._domainkey.example.test', text: ED.record },
];

/** A resolver for mailauth that knows only the test keys. */
async function keyResolver(name: string, type: string): Promise<unknown> {
  const k = KEYS.find((r) => r.name === name.toLowerCase());
  if (type === 'TXT' && k) return [k.text.match(/.{1,200}/g)];
  throw Object.assign(new Error(`no ${type} ${name}`), { code: 'ENOTFOUND' });
}

async function mailauthResults(file: Buffer) {
  const crlf = Buffer.from(file.toString('utf8').replace(/\r?\n/g, '\r\n'));
  return (await dkimVerify(crlf, { resolver: keyResolver })).results;
}

describe('DKIM-signed mail through the private Postfix verifies independently', { skip }, () => {
  let pf: PostfixInstance;
  before(async () => {
    pf = await startPostfix();
  });
  after(async () => {
    await pf?.stop();
  });
  beforeEach(async () => {
    await pf.clearDelivered();
  });

  test('RSA-SHA256, relaxed/relaxed: a composed message passes mailauth and opendkim-testmsg', async () => {
    const r = await run(hostRequest(pf.port, makeDraft({ subject: 'signed by MX Desk' }), { dkim: { domain: 'example.test', selector: 'rsa1', privateKey: RSA.pem } }));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    const [file] = await pf.readDelivered({ count: 1 });
    assert.ok(file);
    const results = await mailauthResults(file);
    assert.deepEqual(results.map((x) => [x.status.result, x.signingDomain, x.algo]), [['pass', 'example.test', 'rsa-sha256']]);
    if (!noOpendkim) {
      const o = await opendkimVerify(file, KEYS);
      assert.equal(o.code, 0, `opendkim-testmsg: ${o.stderr}`);
    }
  });

  test('a changed body no longer verifies, for both verifiers', async () => {
    const r = await run(hostRequest(pf.port, makeDraft({ text: 'the original body\n' }), { dkim: { domain: 'example.test', selector: 'rsa1', privateKey: RSA.pem } }));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    const [file] = await pf.readDelivered({ count: 1 });
    const changed = Buffer.from((file ?? Buffer.alloc(0)).toString('utf8').replace('the original body', 'the altered body'));
    assert.notEqual((await mailauthResults(changed))[0]?.status.result, 'pass');
    if (!noOpendkim) assert.notEqual((await opendkimVerify(changed, KEYS)).code, 0);
  });

  test('Ed25519-SHA256 (RFC 8463) passes mailauth, and opendkim-testmsg', async () => {
    const r = await run(hostRequest(pf.port, makeDraft(), { dkim: { domain: 'example.test', selector: 'ed1', privateKey: ED.pem, algorithm: 'ed25519-sha256' } }));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    const [file] = await pf.readDelivered({ count: 1 });
    assert.ok(file);
    const results = await mailauthResults(file);
    assert.deepEqual(results.map((x) => [x.status.result, x.algo]), [['pass', 'ed25519-sha256']]);
    if (!noOpendkim) {
      const o = await opendkimVerify(file, KEYS);
      assert.equal(o.code, 0, `opendkim-testmsg: ${o.stderr}`);
      // The check has teeth: another Ed25519 public key under the same name fails.
      const wrong = await opendkimVerify(file, [{ name: 'ed1._domainkey.example.test', text: edKey().record }]);
      assert.notEqual(wrong.code, 0);
    }
  });

  test('raw mode with bare LF and a dot line, simple/simple: signed over the bytes on the wire', async () => {
    const raw = 'From: sender@example.test\nTo: rcpt@example.test\nSubject: raw and signed\nDate: Mon, 07 Dec 2026 10:00:00 +0000\nMessage-ID: <raw-dkim@example.test>\n\nline one\n.a dot line\nlast line';
    const r = await run(hostRequest(pf.port, rawDraft(raw), { dkim: { domain: 'example.test', selector: 'rsa1', privateKey: RSA.pem, canonicalization: 'simple/simple', headers: ['From', 'Subject', 'Date', 'Message-ID'] } }));
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    const [file] = await pf.readDelivered({ count: 1 });
    assert.ok(file);
    assert.match(file.toString(), /c=simple\/simple/);
    assert.equal((await mailauthResults(file))[0]?.status.result, 'pass');
    if (!noOpendkim) assert.equal((await opendkimVerify(file, KEYS)).code, 0);
  });
});

describe('DKIM refusals happen before anything is sent', () => {
  test('a key that is not PEM is refused at the data stage, and the message never quotes the key', async () => {
    const bogus = '-----BEGIN PRIVATE KEY-----\nTm90QUtleUF0QWxsSnVzdFRleHQ=\n-----END PRIVATE KEY-----\n';
    const r = await run(hostRequest(1, makeDraft(), { dkim: { domain: 'example.test', selector: 's', privateKey: bogus } }));
    assert.equal(r.outcome, 'not_delivered');
    assert.equal(r.last.stage, 'data');
    assert.match(r.last.reason, /DKIM signing: the private key is not a PEM private key.*Nothing was sent/);
    assert.doesNotMatch(JSON.stringify(r.events), /Tm90QUtleUF0QWxsSnVzdFRleHQ/);
  });

  test('an Ed25519 key with a=rsa-sha256 chosen is refused', async () => {
    const r = await run(hostRequest(1, makeDraft(), { dkim: { domain: 'example.test', selector: 's', privateKey: ED.pem, algorithm: 'rsa-sha256' } }));
    assert.equal(r.outcome, 'not_delivered');
    assert.match(r.last.reason, /rsa-sha256 was chosen but the key is ed25519/);
  });

  test('an RSA key under 1024 bits is refused (RFC 8301 §3.2)', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 512 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const r = await run(hostRequest(1, makeDraft(), { dkim: { domain: 'example.test', selector: 's', privateKey: small } }));
    assert.match(r.last.reason, /512 bits; at least 1024/);
  });
});
