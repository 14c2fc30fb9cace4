// `mxdesk send --tls-policy mta --json`, run as users run it (the built bin/mxdesk.js in its own process),
// against the DNSSEC lab and a private Postfix presenting the lab's certificate. Needs `npm run build` first.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startDnssecLab, type DnssecLab } from '../support/dnssec';
import { postfixAvailable, startPostfix, type PostfixInstance } from '../support/postfix';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'mxdesk.js');
let lab: DnssecLab | undefined;
let pf: PostfixInstance | undefined;
let skip: string | undefined;

before(async () => {
  const avail = postfixAvailable();
  if (!existsSync(join(ROOT, 'dist', 'cli', 'mxdesk.js'))) skip = 'the CLI is not built (run npm run build)';
  else if (!avail.ok) skip = `Postfix: ${avail.reason}`;
  else {
    const r = await startDnssecLab({ nonValidating: false });
    if (!r.ok && !r.missing) throw new Error(`DNSSEC lab failed to start: ${r.why}`);
    if (r.ok) lab = r;
    else skip = r.why;
  }
  if (skip) {
    console.log(`# skipping mxdesk send --tls-policy: ${skip}`);
    return;
  }
  pf = await startPostfix({ tls: true, tlsCert: { cert: lab!.cert.cert, key: lab!.cert.key }, domains: ['secure.test'] });
  await lab!.setExtra('secure', [`_${pf.port}._tcp.mx TLSA ${lab!.tlsa}`]);
});
after(async () => {
  await pf?.stop();
  await lab?.stop();
});

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end();
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) => child.once('close', (code) => {
    clearTimeout(killer);
    resolve({ code, stdout, stderr });
  }));
}

test('mxdesk send --tls-policy mta --json: DANE-EE matched in the events, delivered, exit 0', async (t) => {
  if (!lab || !pf) return t.skip(skip);
  const r = await runCli(['send', '--from', 'sender@example.test', '--to', 'rcpt@secure.test', '--port', String(pf.port), '--dns', lab.resolver, '--helo', 'client.example.test', '--subject', 'policy', '--body', 'hello', '--tls-policy', 'mta', '--timeout-ms', '5000', '--json']);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; text?: string; outcome?: string; query?: { type: string; dnssec?: string } });
  assert.ok(events.some((e) => e.kind === 'dns' && e.query?.type === 'TLSA' && e.query.dnssec === 'secure'));
  assert.ok(events.some((e) => e.kind === 'info' && /^DANE-EE matched for mx\.secure\.test/.test(e.text ?? '')), r.stdout);
  assert.equal(events[events.length - 1].outcome, 'delivered');
});

test('mxdesk send --tls-policy with another value: exit 2, the flag named, nothing sent', async (t) => {
  if (skip && !existsSync(BIN)) return t.skip(skip);
  const r = await runCli(['send', '--from', 'a@example.test', '--to', 'b@example.test', '--tls-policy', 'dane']);
  assert.equal(r.code, 2);
  assert.match(r.stderr + r.stdout, /--tls-policy/);
});
