// `mxdesk check` as a command: one domain as text and as JSON, exit codes 0/1/2, the relay check, and the
// batch mode over a few hundred domains (JSON lines, a progress line only on a terminal, flat memory).
// Run in-process on the same entry the binary calls, against dnsmasq and scripted servers started here.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCheckCommand } from '../../electron/cli/check-command';
import type { CliIo } from '../../electron/cli/io';
import { startDnsmasq, type Dnsmasq } from '../support/dnsmasq';
import { freePort } from '../support/free-port';
import { startHostileServer, type HostileServer } from '../support/hostile-server';
import { caSignedCert, tlsServer } from '../support/probe-peers';
import { stopAll } from '../support/stop-all';
import { tempDirs } from '../support/temp-dirs';

const BATCH = 200;
const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'mxdesk.js');
const BUILT = join(ROOT, 'dist', 'cli', 'mxdesk.js');
const ZONE = [
  'mx-host=cli.test,mx.cli.test,10',
  'host-record=mx.cli.test,127.0.0.21',
  'mx-host=fail.test,refuse.cli.test,10',
  'host-record=refuse.cli.test,127.0.0.22',
  // The batch domains spread over four MX names (all the same server), as real domains share a few providers.
  ...Array.from({ length: 4 }, (_, i) => `host-record=mx${i}.cli.test,127.0.0.21`),
  ...Array.from({ length: BATCH }, (_, i) => `mx-host=b${i}.test,mx${i % 4}.cli.test,10`),
];

interface Captured {
  io: CliIo;
  out: string[];
  err: string[];
}

function captureIo(onOut?: (line: string) => void): Captured {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => {
      out.push(l);
      onOut?.(l);
    },
    err: (l) => err.push(l),
    onInterrupt: () => undefined,
    offInterrupt: () => undefined,
    readStdin: async () => Buffer.alloc(0),
    promptSecret: async () => undefined,
    env: {},
  };
  return { io, out, err };
}

describe('mxdesk check', () => {
  const dir = tempDirs('mxdesk-cli-check-');
  let dns: Dnsmasq;
  let mx: HostileServer;
  let port: number;
  let caFile: string;
  const cert = caSignedCert('mx.cli.test', 90, ['mx0.cli.test', 'mx1.cli.test', 'mx2.cli.test', 'mx3.cli.test']);

  before(async () => {
    dns = await startDnsmasq(ZONE);
    port = await freePort();
    mx = await startHostileServer(tlsServer('mx.cli.test', cert), { host: '127.0.0.21', port });
    caFile = join(dir(), 'ca.pem');
    writeFileSync(caFile, cert.caCert);
  });
  after(async () => {
    await stopAll(mx, dns);
  });

  const base = () => ['--dns', dns.server, '--port', String(port), '--timeout-ms', '1000', '--ca-file', caFile];

  test('a domain whose every host passes prints the matrix and exits 0', async () => {
    const c = captureIo();
    const code = await runCheckCommand(['cli.test', ...base()], c.io);
    assert.equal(code, 0, [...c.out, ...c.err].join('\n'));
    assert.match(c.out[0], /^=== MX health for cli\.test on port \d+ via 127\.0\.0\.1:\d+: 1 address/);
    assert.match(c.out[1], /^=== Mail to cli\.test can be delivered from here: 1 of 1 host accept connections/);
    assert.ok(c.out.some((l) => /^--- 10 mx\.cli\.test 127\.0\.0\.21:\d+ {2}(PASS|WARN)$/.test(l)), c.out.join('\n'));
    assert.ok(c.out.some((l) => /ok {3}Certificate {2}valid · \d+ days/.test(l)), c.out.join('\n'));
  });

  test('--json prints one report with the rows, the verdict and the certificate chain as DER', async () => {
    const c = captureIo();
    const code = await runCheckCommand(['cli.test', ...base(), '--json'], c.io);
    assert.equal(code, 0);
    assert.equal(c.out.length, 1);
    const doc = JSON.parse(c.out[0]);
    assert.equal(doc.kind, 'check_report');
    assert.equal(doc.report.verdict, 'deliverable');
    assert.equal(doc.report.rows.length, 1);
    assert.ok(doc.report.probes[0].starttls.tls.chainDer[0].length > 100);
    // The sections after the matrix (CHECK_SECTIONS) each add a key: the policies section is always there.
    assert.equal(typeof doc.sections.policies, 'object');
  });

  test('a domain with a failing host exits 1 and says what is wrong', async () => {
    const c = captureIo();
    const code = await runCheckCommand(['fail.test', ...base()], c.io);
    assert.equal(code, 1);
    assert.match(c.out[1], /^<\*\* Mail to fail\.test cannot be delivered from here: none of the 1 host accepts connections .*refuses connections/);
    assert.ok(c.out.some((l) => /FAIL Connect +refused/.test(l)));
  });

  test('bad input exits 2 with a message naming the flag, before any connection', async () => {
    for (const argv of [[], ['a.test', 'b.test'], ['a.test', '--port', '70000'], ['a.test', '-4', '-6'], ['exa mple.test'], ['a.test', '--dns', 'not a resolver'], ['--relay', 'bad host!'], ['a.test', '--timeout-ms', '5']]) {
      const c = captureIo();
      const code = await runCheckCommand(argv, c.io);
      assert.equal(code, 2, `${JSON.stringify(argv)} → ${code} ${c.err.join(' ')}`);
      assert.match(c.err[0] ?? '', /^mxdesk: /);
    }
  });

  test('--relay probes the named host:port the same way', async () => {
    const c = captureIo();
    const code = await runCheckCommand(['--relay', `mx.cli.test:${port}`, ...base()], c.io);
    assert.equal(code, 0, c.out.join('\n'));
    assert.match(c.out[1], /A way out works through mx\.cli\.test: port \d+ works \(STARTTLS TLSv1\.3/);
    const refused = captureIo();
    assert.equal(await runCheckCommand(['--relay', '127.0.0.22', '--timeout-ms', '1000'], refused.io), 1);
    assert.match(refused.out[1], /No way out works through 127\.0\.0\.22: port 587 fails at connect: refused; port 465 fails at connect: refused/);
  });

  test(`--file checks ${BATCH} domains as JSON lines with a summary, no progress line, and flat memory`, async () => {
    const file = join(dir(), 'domains.txt');
    writeFileSync(file, ['# a comment', '', ...Array.from({ length: BATCH }, (_, i) => `b${i}.test`)].join('\n'));
    const heap: number[] = [];
    const c = captureIo((l) => {
      if (c.out.length % 50 === 0) heap.push(process.memoryUsage().heapUsed);
      void l;
    });
    const progress: string[] = [];
    const code = await runCheckCommand(['--file', file, ...base(), '--json', '--concurrency', '16', '--no-ptr'], c.io, { progress: (l) => progress.push(l) });
    assert.equal(code, 0, c.out.slice(-3).join('\n'));
    assert.equal(c.out.length, BATCH + 1);
    const lines = c.out.map((l) => JSON.parse(l));
    assert.equal(lines.filter((l) => l.kind === 'domain' && l.verdict === 'deliverable').length, BATCH);
    assert.deepEqual(lines.at(-1).counts, { deliverable: BATCH });
    assert.deepEqual(progress, [], 'no progress line in --json');
    const growth = Math.max(...heap.slice(1)) - heap[1];
    assert.ok(growth < 24 * 1024 * 1024, `heap grew ${(growth / 1048576).toFixed(1)} MiB`);
  });

  test('the built command prints no progress line when stderr is not a terminal', { skip: existsSync(BUILT) ? false : 'run `npm run build` first' }, async () => {
    const file = join(dir(), 'pipe.txt');
    writeFileSync(file, 'b1.test\nb2.test\n');
    // Asynchronously: the scripted server lives in this process and must keep answering.
    const child = spawn(process.execPath, [BIN, 'check', '--file', file, ...base()], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (c: Buffer) => (out.stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out.stderr += c.toString()));
    const status = await new Promise<number | null>((r) => child.once('close', r));
    assert.equal(status, 0, out.stdout + out.stderr);
    assert.equal(out.stderr, '');
    assert.match(out.stdout, /^=== 2 domain\(s\) in .*: 2 deliverable$/m);
  });

  test('--file without --json keeps a progress line on a terminal and prints a summary', async () => {
    const file = join(dir(), 'few.txt');
    writeFileSync(file, 'b1.test\nb2.test\nfail.test\n');
    const c = captureIo();
    const progress: string[] = [];
    const code = await runCheckCommand(['--file', file, ...base()], c.io, { progress: (l) => progress.push(l) });
    assert.equal(code, 1);
    assert.ok(progress.some((l) => /^checked \d domain\(s\)/.test(l)));
    assert.match(c.out.at(-1) ?? '', /^=== 3 domain\(s\) in .*: 2 deliverable, 1 undeliverable$/, JSON.stringify(c.out));
    assert.ok(c.out.some((l) => l.startsWith('FAIL fail.test: ')));
  });
});
