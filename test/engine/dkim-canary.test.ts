// RELIABILITY S for DKIM: the private key (PEM, its base64 body line by line, its DER as hex) appears in no
// event pushed to the page, no journal or run-again file, no export, and no API answer; the delivered
// message carries the DKIM-Signature, which holds no secret.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { SessionEvent } from '../../shared/events';
import { EXPORT_FORMATS } from '../../shared/store-model';
import { REQUEST_VALIDATORS } from '../../shared/validate/requests';
import { composeHost } from '../../electron/host/compose';
import { createSessionManager } from '../../electron/engine/session-manager';
import { createWebSecretStore } from '../../electron/store/secrets';
import { findCanary, scanDirForCanary } from '../support/canary';
import { makeDraft, TEST_TIMEOUTS } from '../support/session-fixtures';
import { startRecordingServer, type RecordingServer } from '../support/smtp-recording-server';
import { stopAll } from '../support/stop-all';
import { tempDirs } from '../support/temp-dirs';

const tempDir = tempDirs('mxdesk-dkim-canary-');
const started: RecordingServer[] = [];
after(() => stopAll(...started));

const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const PEM = key.export({ type: 'pkcs8', format: 'pem' }).toString();
const DER_HEX = key.export({ type: 'pkcs8', format: 'der' }).toString('hex');
const BODY_LINES = PEM.split('\n').filter((l) => l.length > 0 && !l.startsWith('-----'));

function leaks(where: string, text: string | Buffer): string[] {
  const hay = Buffer.isBuffer(text) ? text.toString('latin1') : text;
  const found = [...findCanary(text, PEM).map((f) => `${where}: PEM ${f}`)];
  for (const [i, line] of BODY_LINES.entries()) if (hay.includes(line)) found.push(`${where}: base64 line ${i + 1}`);
  if (hay.toLowerCase().includes(DER_HEX.slice(64, 128))) found.push(`${where}: DER hex`);
  return found;
}

test('the DKIM private key is in no event, journal, export or API answer; the signature is on the message', async () => {
  const server = await startRecordingServer();
  started.push(server);
  const dataDir = tempDir();
  const host = composeHost({ host: 'web', version: 't', dataDir, secrets: createWebSecretStore(), createSessionManager: (deps) => createSessionManager({ ...deps, heloName: 'client.example.test' }) });
  const pushed: SessionEvent[] = [];
  let ended: () => void = () => undefined;
  const outcome = new Promise<void>((resolve) => (ended = resolve));
  host.events.subscribe((batch) => {
    pushed.push(...batch);
    if (batch.some((e) => e.kind === 'outcome')) ended();
  });
  const parsed = REQUEST_VALIDATORS.startSession({
    draft: makeDraft(),
    target: { kind: 'host', host: '127.0.0.1', port: server.port },
    tls: 'none',
    certPolicy: 'verify',
    pipelining: true,
    chunking: true,
    mode: 'auto',
    timeouts: TEST_TIMEOUTS,
    dkim: { domain: 'example.test', selector: 'canary', privateKey: PEM },
  });
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
  const answers: unknown[] = [];
  answers.push(await host.service.startSession(parsed.value));
  await outcome;
  const last = pushed.filter((e) => e.kind === 'outcome').pop();
  assert.equal(last?.kind === 'outcome' && last.outcome, 'delivered', JSON.stringify(pushed.slice(-3)));
  assert.match(server.messages[0]?.toString() ?? '', /^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=example\.test;/);
  assert.ok(pushed.some((e) => e.kind === 'info' && /DKIM-signed .*s=canary/.test(e.text)), 'the log shows the signature');

  const history = await host.service.listHistory({});
  answers.push(history);
  assert.ok(history.ok && history.value.length === 1);
  const id = history.ok ? (history.value[0]?.id ?? '') : '';
  answers.push(await host.service.getHistory({ id }));
  for (const format of EXPORT_FORMATS) answers.push(await host.service.exportSession({ id, format }));
  await host.close();
  // The run-again request was written (so the scan below covers it) with the key dropped.
  const requestFile = readdirSync(join(dataDir, 'history')).find((f) => f.endsWith('.request.json'));
  assert.ok(requestFile, 'a run-again request was journaled');
  assert.match(readFileSync(join(dataDir, 'history', requestFile)).toString(), /"selector":"canary"/);

  const found = [
    ...leaks('pushed events', JSON.stringify(pushed)),
    ...leaks('API answers', JSON.stringify(answers)),
    ...scanDirForCanary(dataDir, PEM).map((h) => `${h.file}: ${h.found.join(', ')}`),
  ];
  for (const line of BODY_LINES) found.push(...scanDirForCanary(dataDir, line).map((h) => `${h.file}: a base64 line of the key`));
  assert.deepEqual(found, []);
});
