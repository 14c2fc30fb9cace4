// The CLI faces of the sender check and DKIM signing: `mxdesk check DOMAIN --from ADDR --ip ADDR --json`
// and `mxdesk send … --dkim-domain D --dkim-selector S --dkim-key FILE`, run as a child process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDnsmasq, type Dnsmasq } from '../support/dnsmasq';
import { startRecordingServer, type RecordingServer } from '../support/smtp-recording-server';
import { stopAll } from '../support/stop-all';
import { tempDirs } from '../support/temp-dirs';
import { SENDER_ZONE } from './sender-auth-zone';

const ROOT = join(__dirname, '..', '..');
const tempDir = tempDirs('mxdesk-sender-cli-');

function mxdesk(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'electron', 'cli', 'mxdesk.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MXDESK_PASSWORD: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let dns: Dnsmasq | undefined;
let smtp: RecordingServer | undefined;
before(async () => {
  dns = await startDnsmasq(SENDER_ZONE);
  smtp = await startRecordingServer();
});
after(() => stopAll(dns, smtp));

describe('mxdesk check DOMAIN --from ADDR: the sender section', () => {
  test('--json carries SPF and DMARC of the sender for the typed address', async () => {
    const r = await mxdesk(['check', 'pass.test', '--from', 'a@pass.test', '--ip', '127.0.0.1', '--dns', dns?.server ?? '', '--timeout-ms', '1500', '--json']);
    const line = r.stdout.trim().split('\n').pop() ?? '';
    const report = JSON.parse(line) as { sections: { sender: { spf: { result: string; lookupCount: number }; dmarc: { result: string; record: { p: string } }; passes: boolean } } };
    assert.equal(report.sections.sender.spf.result, 'pass');
    assert.equal(report.sections.sender.dmarc.result, 'pass');
    assert.equal(report.sections.sender.dmarc.record.p, 'reject');
    assert.equal(report.sections.sender.passes, true);
  });

  test('the text report shows the tree, the lookup count and the verdict', async () => {
    const r = await mxdesk(['check', 'chain.test', '--from', 'a@chain.test', '--ip', '192.0.2.200', '--dns', dns?.server ?? '', '--timeout-ms', '1500']);
    assert.match(r.stdout, /=== Sender a@chain\.test/);
    assert.match(r.stdout, /SPF fail for 192\.0\.2\.200/);
    assert.match(r.stdout, /lookups 2\/10, void 0\/2/);
    assert.match(r.stdout, /a\.chain\.test: v=spf1 ip4:192\.0\.2\.1 include:b\.chain\.test ~all/);
    assert.match(r.stdout, /MATCH -all/);
    assert.equal(r.code, 1);
  });

  test('--ip without --from is bad input (exit 2)', async () => {
    const r = await mxdesk(['check', 'pass.test', '--ip', '127.0.0.1']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--from/);
  });
});

describe('mxdesk send --dkim-*', () => {
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  test('signs the message with the key from the file and never prints the key', async () => {
    const file = join(tempDir(), 'dkim.pem');
    writeFileSync(file, pem, { mode: 0o600 });
    const r = await mxdesk(['send', '--from', 'a@example.test', '--to', 'b@example.test', '--server', `127.0.0.1:${smtp?.port}`, '--tls', 'none', '--helo', 'client.example.test', '--dkim-domain', 'example.test', '--dkim-selector', 'ed1', '--dkim-key', file, '--json']);
    assert.equal(r.code, 0, r.stderr + r.stdout.slice(-500));
    assert.match(smtp?.messages.at(-1)?.toString() ?? '', /^DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed\/relaxed; d=example\.test;/);
    const body = pem.split('\n')[1] ?? '';
    assert.ok(body.length > 20);
    assert.ok(!r.stdout.includes(body) && !r.stderr.includes(body));
  });

  test('a missing --dkim-key is bad input (exit 2), and nothing is sent', async () => {
    const before = smtp?.messages.length;
    const r = await mxdesk(['send', '--from', 'a@example.test', '--to', 'b@example.test', '--server', `127.0.0.1:${smtp?.port}`, '--dkim-domain', 'example.test', '--dkim-selector', 's']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--dkim-key/);
    assert.equal(smtp?.messages.length, before);
  });
});
