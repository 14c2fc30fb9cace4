// Benchmark: MX health probes.
//  1. One domain with 10 MX hosts, each greeting after a 200 ms delay, checked by MX Desk (all addresses in
//     parallel) beside `swaks --quit-after EHLO --tls` run host by host, the way a person checks today.
//  2. The batch mode (`mxdesk check --file`, the built CLI in its own process) over N domains (default 1,000)
//     against local scripted servers: domains per second and the CLI's peak RSS.
//   npm run build && node --import tsx bench/mx-probe.ts [--domains N] [--hosts H]
// Starts and stops every peer itself; nothing leaves loopback.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeDomain } from '../electron/engine/probe/probe-domain';
import { startDnsmasq } from '../test/support/dnsmasq';
import { freePort } from '../test/support/free-port';
import { delay, startHostileServer, type HostileServer } from '../test/support/hostile-server';
import { caSignedCert, tlsServer } from '../test/support/probe-peers';

function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const DOMAINS = argNumber('--domains', 1000);
const BATCH_HOSTS = argNumber('--hosts', 20);
const GREET_MS = 200;
const MX_COUNT = 10;

function swaks(address: string, port: number): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    execFile('swaks', ['--server', address, '--port', String(port), '--quit-after', 'EHLO', '--tls', '--helo', 'bench.example', '--to', 'x@bench.test', '--timeout', '10'], { timeout: 20_000 }, (err, stdout) => {
      if (err && !/<~ {2}250/.test(stdout)) return reject(new Error(`swaks ${address}: ${err.message}\n${stdout}`));
      resolve(performance.now() - t0);
    });
  });
}

async function main(): Promise<void> {
  const cert = caSignedCert('mx0.bench.test', 30, [...Array.from({ length: MX_COUNT }, (_, i) => `mx${i}.bench.test`), ...Array.from({ length: BATCH_HOSTS }, (_, i) => `b${i}.bench.test`)]);
  const dir = mkdtempSync(join(tmpdir(), 'mxdesk-bench-probe-'));
  const zone = [
    ...Array.from({ length: MX_COUNT }, (_, i) => `mx-host=ten.test,mx${i}.bench.test,${10 + i}`),
    ...Array.from({ length: MX_COUNT }, (_, i) => `host-record=mx${i}.bench.test,127.0.9.${i + 1}`),
    ...Array.from({ length: BATCH_HOSTS }, (_, i) => `host-record=b${i}.bench.test,127.0.10.${i + 1}`),
    ...Array.from({ length: DOMAINS }, (_, i) => `mx-host=d${i}.test,b${i % BATCH_HOSTS}.bench.test,10`),
  ];
  const dns = await startDnsmasq(zone);
  const port = await freePort();
  const servers: HostileServer[] = [];
  try {
    for (let i = 0; i < MX_COUNT; i++) servers.push(await startHostileServer([delay(GREET_MS), ...tlsServer(`mx${i}.bench.test`, cert)], { host: `127.0.9.${i + 1}`, port }));
    for (let i = 0; i < BATCH_HOSTS; i++) servers.push(await startHostileServer(tlsServer(`b${i}.bench.test`, cert), { host: `127.0.10.${i + 1}`, port }));

    // 1. Ten MX hosts with a 200 ms greet delay.
    const ours: number[] = [];
    for (let run = 0; run < 3; run++) {
      const t0 = performance.now();
      const r = await probeDomain({ probeId: 'bench', query: 'ten.test', resolver: dns.server, port, timeoutMs: 5000 }, { ca: [cert.caCert] });
      ours.push(performance.now() - t0);
      if (!r.ok || r.value.verdict !== 'deliverable') throw new Error(`MX Desk: ${r.ok ? r.value.summary : r.error.message}`);
    }
    let swaksTotal = 0;
    for (let i = 0; i < MX_COUNT; i++) swaksTotal += await swaks(`127.0.9.${i + 1}`, port);
    const best = Math.min(...ours);
    console.log(`ten.test: ${MX_COUNT} MX hosts, ${GREET_MS} ms greet delay each`);
    console.log(`  MX Desk probeDomain (DNS + every host in parallel, STARTTLS + EHLO twice + QUIT, PTR): best of 3 ${best.toFixed(0)} ms (runs ${ours.map((m) => m.toFixed(0)).join(', ')})`);
    console.log(`  swaks --quit-after EHLO --tls, host by host:                                        ${swaksTotal.toFixed(0)} ms (${(swaksTotal / MX_COUNT).toFixed(0)} ms per host)`);

    // 2. Batch mode in its own process.
    const file = join(dir, 'domains.txt');
    writeFileSync(file, Array.from({ length: DOMAINS }, (_, i) => `d${i}.test`).join('\n') + '\n');
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, cert.caCert);
    const code = `process.on('exit', () => process.stderr.write('maxrss ' + process.resourceUsage().maxRSS + '\\n')); require(${JSON.stringify(join(__dirname, '..', 'dist', 'cli', 'mxdesk.js'))});`;
    const args = ['-e', code, 'mxdesk', 'check', '--file', file, '--json', '--dns', dns.server, '--port', String(port), '--ca-file', caFile, '--concurrency', '32', '--no-ptr'];
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let last = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      const s = c.toString();
      lines += s.split('\n').length - 1;
      last = (last + s).split('\n').slice(-2).join('\n');
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exit = await new Promise<number | null>((r) => child.once('close', r));
    const secs = (performance.now() - t0) / 1000;
    const rss = /maxrss (\d+)/.exec(stderr);
    console.log(`batch: ${DOMAINS} domains over ${BATCH_HOSTS} MX hosts, --concurrency 32 --no-ptr, built CLI in its own process (exit ${exit})`);
    console.log(`  ${lines - 1} result lines in ${secs.toFixed(2)} s: ${(DOMAINS / secs).toFixed(0)} domains/s; peak RSS ${rss ? (Number(rss[1]) / 1024).toFixed(0) : '?'} MiB`);
    console.log(`  summary: ${last.trim().split('\n').pop()}`);
  } finally {
    for (const s of servers) await s.stop();
    await dns.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
