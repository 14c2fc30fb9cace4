import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAnalyzeCommand } from '../../electron/cli/analyze-command';
import type { CliIo } from '../../electron/cli/io';
import { analyseMessage } from '../../electron/engine/analyse/analyse-message';
import { createService } from '../../electron/host/service';
import { ANALYSE_LIMITS } from '../../shared/analyse/types';
import { REQUEST_VALIDATORS } from '../../shared/validate/requests';
import { startDnsmasq, type Dnsmasq } from '../support/dnsmasq';
import { stopAll } from '../support/stop-all';
import { tempDirs } from '../support/temp-dirs';

/**
 * DKIM signatures verified again now (RFC 6376 §6), through MX Desk's own resolver, against a private dnsmasq
 * serving the test's public key at s1._domainkey.sender.test. The messages are signed here with mailauth's
 * signer, then tampered with.
 */
type DkimSign = (input: string, options: unknown) => Promise<{ signatures: string; errors: unknown[] }>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { dkimSign } = require('mailauth/lib/dkim/sign') as { dkimSign: DkimSign };

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicDer = keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const privatePem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const record = `v=DKIM1; k=rsa; p=${publicDer}`;
// TXT character-strings hold 255 bytes each (RFC 1035 §3.3); the key record takes two.
const chunks = record.match(/.{1,250}/g) ?? [];

let dns: Dnsmasq | undefined;
before(async () => {
  dns = await startDnsmasq([`txt-record=s1._domainkey.sender.test,${chunks.map((c) => `"${c}"`).join(',')}`]);
});
after(() => stopAll(dns));

const MESSAGE = [
  'From: Alice <alice@sender.test>',
  'To: bob@receiver.test',
  'Subject: Figures for Q4',
  'Date: Mon, 7 Dec 2026 10:00:00 +0000',
  'Message-ID: <q4@sender.test>',
  '',
  'The figures are attached.',
  '',
].join('\r\n');

async function signed(selector = 's1', expires?: Date): Promise<string> {
  const { signatures, errors } = await dkimSign(MESSAGE, {
    canonicalization: 'relaxed/relaxed',
    expires,
    signatureData: [{ signingDomain: 'sender.test', selector, privateKey: privatePem, algorithm: 'rsa-sha256' }],
  });
  assert.deepEqual(errors, []);
  return signatures + MESSAGE;
}

const analyse = (text: string, now = Date.now()) => analyseMessage({ text, resolver: dns!.server }, { now: () => now, dnsTimeoutMs: 1000 });

test('a message signed with the test key verifies now, through the chosen resolver', async () => {
  const r = await analyse(await signed());
  assert.equal(r.dkim.resolver, dns!.server);
  assert.equal(r.dkim.checks.length, 1);
  assert.deepEqual([r.dkim.checks[0].domain, r.dkim.checks[0].selector, r.dkim.checks[0].result], ['sender.test', 's1', 'pass']);
  assert.match(r.dkim.checks[0].explanation, /verifies now/);
});

test('a changed body fails with "body hash mismatch"', async () => {
  const r = await analyse((await signed()).replace('attached.', 'attached. Also, wire the money.'));
  assert.deepEqual([r.dkim.checks[0].result, r.dkim.checks[0].reason], ['neutral', 'body hash mismatch']);
  assert.match(r.dkim.checks[0].explanation, /the body changed after signing/);
});

test('a changed signed header fails with "bad signature"', async () => {
  const r = await analyse((await signed()).replace('Subject: Figures for Q4', 'Subject: Urgent invoice'));
  assert.deepEqual([r.dkim.checks[0].result, r.dkim.checks[0].reason], ['fail', 'bad signature']);
});

test('a selector with no key in DNS gives "key not found"', async () => {
  const r = await analyse(await signed('gone'));
  assert.deepEqual([r.dkim.checks[0].result, r.dkim.checks[0].reason], ['neutral', 'key not found']);
});

test('a signature past its x= expiry is "expired" (RFC 6376 §3.5)', async () => {
  const text = await signed('s1', new Date(Date.now() + 60_000));
  const r = await analyse(text, Date.now() + 3600_000);
  assert.deepEqual([r.dkim.checks[0].result, r.dkim.checks[0].reason], ['neutral', 'expired']);
});

test('headers only: the signature is found but not verified, and no DNS question is asked', async () => {
  const headers = (await signed()).split('\r\n\r\n')[0];
  const r = await analyseMessage({ text: headers, resolver: '127.0.0.1:9' }, { dnsTimeoutMs: 300 });
  assert.equal(r.kind, 'headers');
  assert.deepEqual(r.dkim.checks, []);
  assert.match(r.dkim.note ?? '', /only headers were given/);
});

test('a resolver that does not answer gives a temporary error within the budget, not a hang', async () => {
  const t0 = performance.now();
  const r = await analyseMessage({ text: await signed(), resolver: '127.0.0.1:9' }, { dnsTimeoutMs: 300, dkimTimeoutMs: 3000 });
  assert.ok(performance.now() - t0 < 3500);
  assert.deepEqual([r.dkim.checks[0].result, r.dkim.checks[0].reason], ['temperror', 'DNS failure']);
  assert.match(r.dkim.checks[0].explanation, /could not be fetched now/);
});

test('the service answers analyzeMessage with the same analysis, and its validator caps the size', async () => {
  const service = createService({ host: 'web', version: 'test', defaultResolver: dns!.server });
  const r = await service.analyzeMessage({ text: await signed() });
  assert.ok(r.ok);
  assert.equal(r.value.dkim.checks[0].result, 'pass');
  const tooBig = REQUEST_VALIDATORS.analyzeMessage({ text: 'x'.repeat(ANALYSE_LIMITS.maxInputChars + 1) });
  assert.ok(!tooBig.ok);
  assert.match(tooBig.error.message, /longer than 16 MiB/);
});

test('mxdesk analyze --dns: exit 0 when the signature verifies, 1 when the message was changed', async () => {
  const dir = tempDirs('mxdesk-analyze-dkim-')();
  const good = join(dir, 'good.eml');
  const bad = join(dir, 'bad.eml');
  writeFileSync(good, await signed());
  writeFileSync(bad, (await signed()).replace('Figures for Q4', 'Figures for Q5'));
  const lines: string[] = [];
  const io: CliIo = {
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
    onInterrupt: () => undefined,
    offInterrupt: () => undefined,
    readStdin: async () => Buffer.alloc(0),
    promptSecret: async () => undefined,
    env: {},
  };
  assert.equal(await runAnalyzeCommand([good, '--dns', dns!.server], io), 0);
  assert.ok(lines.some((l) => /sender\.test \(s=s1\): pass/.test(l)));
  lines.length = 0;
  assert.equal(await runAnalyzeCommand([bad, '--dns', dns!.server], io), 1);
  assert.ok(lines.some((l) => /sender\.test \(s=s1\): fail \(bad signature\)/.test(l)));
});

type SealMessage = (input: string, seal: unknown) => Promise<Buffer>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sealMessage } = require('mailauth/lib/arc') as { sealMessage: SealMessage };

test('an ARC set sealed with the test key verifies now, and fails once the body changes (RFC 8617 §5.2)', async () => {
  const message = await signed();
  const seal = await sealMessage(message, { signingDomain: 'sender.test', selector: 's1', privateKey: privatePem, authResults: 'mx.sender.test; dkim=pass header.d=sender.test', cv: 'none' });
  const sealed = seal.toString() + message;
  const good = await analyse(sealed);
  assert.equal(good.arc.claimed, 'pass');
  assert.equal(good.arc.sets[0].sealDomain, 'sender.test');
  assert.equal(good.arc.verified?.result, 'pass');
  const bad = await analyse(sealed.replace('attached.', 'attached!'));
  assert.equal(bad.arc.verified?.result, 'fail');
  assert.match(bad.arc.verified?.explanation ?? '', /does not verify now/);
});
