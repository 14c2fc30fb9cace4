// `mxdesk mx` run from source in its own process (no build needed): the MX TTL and DNSSEC lines, the JSON
// report, and no Node warning on stderr for a domain with many MX hosts (issue 11: one abort listener per
// query used to pile up on the signal and print MaxListenersExceededWarning).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { MxReport } from '../../shared/model';
import { startDnsmasq, type Dnsmasq } from '../support/dnsmasq';
import { startDnssecLab, type DnssecLab } from '../support/dnssec';

const ROOT = join(__dirname, '..', '..');
const ENTRY = join(ROOT, 'electron', 'cli', 'mxdesk.ts');

function runMx(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'mx', ...args], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    }),
  );
}

const EIGHT = Array.from({ length: 8 }, (_, i) => [`mx-host=eight.test,mx${i}.eight.test,${10 * (i + 1)}`, `host-record=mx${i}.eight.test,127.0.0.${i + 1},::1`]).flat();

let dns: Dnsmasq;
let lab: DnssecLab | undefined;
let labWhy = '';
before(async () => {
  dns = await startDnsmasq(EIGHT);
  const r = await startDnssecLab({ nonValidating: false });
  if (r.ok) lab = r;
  else if (r.missing) console.log(`# ${(labWhy = r.why)}`);
  else throw new Error(r.why);
});
after(async () => {
  await dns?.stop();
  await lab?.stop();
});

describe('mxdesk mx', () => {
  test('a domain with 8 MX hosts prints no warning on stderr', async () => {
    const r = await runMx(['eight.test', '--dns', dns.server]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'nothing on stderr, MaxListenersExceededWarning least of all');
    assert.equal((r.stdout.match(/^\s+\d+\s+mx\d\.eight\.test {2}ttl 300$/gm) ?? []).length, 8, r.stdout);
    assert.match(r.stdout, /DNSSEC unknown, MX ttl 300: This resolver does not validate DNSSEC, so DANE cannot be judged\./);
  });

  test('--json gives the MX TTL and the DNSSEC status of the MX set and of each host', async (t) => {
    if (!lab) return t.skip(labWhy);
    const r = await runMx(['secure.test', '--dns', lab.resolver, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; query?: { dnssec?: string }; report?: MxReport });
    const report = lines[lines.length - 1].report;
    assert.ok(report);
    assert.ok(report.mxTtl !== undefined && report.mxTtl > 280 && report.mxTtl <= 300, `MX TTL ${report.mxTtl}`);
    assert.equal(report.dnssec?.mx, 'secure');
    assert.equal(report.dnssec?.validating, true);
    assert.deepEqual(report.hosts[0].addressDnssec, { A: 'secure', AAAA: 'secure' });
    assert.ok(lines.filter((l) => l.kind === 'dns').every((l) => l.query?.dnssec === 'secure'));
  });

  test('the text output marks a bogus MX set', async (t) => {
    if (!lab) return t.skip(labWhy);
    const r = await runMx(['bogus.test', '--dns', lab.resolver]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^<\*\* DNSSEC bogus: .*fails DNSSEC validation/m);
  });
});
