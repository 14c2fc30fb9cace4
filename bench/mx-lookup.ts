// Benchmark: MX Desk's lookupMx against `dig` doing the same work by hand, through a resolver link with a
// 50 ms round trip (a UDP proxy holding each datagram 25 ms each way in front of a private dnsmasq).
//   node --import tsx bench/mx-lookup.ts [--runs N] [--delay MS]
// Starts and stops every peer itself; nothing leaves loopback.
import { execFile } from 'node:child_process';
import { lookupMx } from '../electron/engine/mx-lookup';
import { startDnsmasq, TEST_ZONE } from '../test/support/dnsmasq';
import type { Dnsmasq } from '../test/support/dnsmasq';
import { startUdpDelayProxy } from '../test/support/udp-delay-proxy';
import type { UdpDelayProxy } from '../test/support/udp-delay-proxy';

const DOMAIN = 'example.test';

function argNumber(name: string, fallback: number, min: number, max: number): number {
  const i = process.argv.indexOf(name);
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function dig(port: number, name: string, type: string): Promise<{ answers: string[]; queryMs: number }> {
  const args = ['@127.0.0.1', '-p', String(port), '+tries=1', '+time=2', '+noall', '+answer', '+stats', name, type];
  return new Promise((resolve, reject) => {
    execFile('dig', args, { timeout: 5000 }, (err, stdout) => {
      if (err) return reject(new Error(`dig ${name} ${type} failed: ${err.message}`));
      const answers = stdout
        .split('\n')
        .filter((l) => l && !l.startsWith(';'))
        .map((l) => l.split(/\s+/).slice(4).join(' '));
      const q = /Query time: (\d+) msec/.exec(stdout);
      resolve({ answers, queryMs: q ? Number(q[1]) : NaN });
    });
  });
}

/** What a person does: MX first, then A and AAAA of each host, one command after another. */
async function digByHand(port: number): Promise<{ wallMs: number; queryMs: number; queries: number }> {
  const t0 = performance.now();
  let queryMs = 0;
  const mx = await dig(port, DOMAIN, 'MX');
  queryMs += mx.queryMs;
  let queries = 1;
  const hosts = mx.answers.map((a) => a.split(' ')[1].replace(/\.$/, ''));
  for (const host of hosts) {
    for (const type of ['A', 'AAAA']) {
      queryMs += (await dig(port, host, type)).queryMs;
      queries++;
    }
  }
  return { wallMs: performance.now() - t0, queryMs, queries };
}

async function main(): Promise<void> {
  const runs = argNumber('--runs', 7, 1, 50);
  const delay = argNumber('--delay', 25, 0, 500);
  let dns: Dnsmasq | undefined;
  let proxy: UdpDelayProxy | undefined;
  const guard = setTimeout(() => {
    console.error('benchmark took over 120 s; giving up');
    void Promise.allSettled([proxy?.stop(), dns?.stop()]).then(() => process.exit(1));
  }, 120_000);
  try {
    dns = await startDnsmasq(TEST_ZONE);
    proxy = await startUdpDelayProxy({ host: '127.0.0.1', port: dns.port }, delay);
    const rtt = await dig(proxy.port, 'mx1.example.test', 'A');

    const desk: number[] = [];
    let deskTrips = 0;
    let deskQueries = 0;
    for (let i = 0; i <= runs; i++) {
      const before = proxy.forwarded;
      const r = await lookupMx({ query: DOMAIN, resolver: proxy.server });
      if (!r.ok || r.value.verdict !== 'mx') throw new Error(`lookupMx failed: ${JSON.stringify(r)}`);
      if (i === 0) continue; // warm-up
      desk.push(r.value.elapsedMs);
      deskTrips = r.value.roundTrips;
      deskQueries = proxy.forwarded - before;
    }
    const byHand: { wallMs: number; queryMs: number; queries: number }[] = [];
    for (let i = 0; i <= runs; i++) {
      const r = await digByHand(proxy.port);
      if (i > 0) byHand.push(r);
    }

    const row = (tool: string, q: number, trips: number, ms: string) => `${tool.padEnd(48)}${String(q).padStart(8)}${String(trips).padStart(13)}  ${ms}`;
    console.log(`MX lookup of ${DOMAIN} (4 MX hosts) via dnsmasq behind a UDP proxy adding ${delay} ms each way`);
    console.log(`one dig A query through the link: ${rtt.queryMs} ms (the round trip); median of ${runs} runs after one warm-up`);
    console.log('');
    console.log(`${'tool'.padEnd(48)}${'queries'.padStart(8)}${'round trips'.padStart(13)}  median ms`);
    console.log(row('MX Desk lookupMx (MX, then all A+AAAA at once)', deskQueries, deskTrips, median(desk).toFixed(1)));
    console.log(
      row(
        'dig by hand, one query after another',
        byHand[0].queries,
        byHand[0].queries,
        `${median(byHand.map((r) => r.wallMs)).toFixed(1)} (dig's own query times: ${median(byHand.map((r) => r.queryMs))})`,
      ),
    );
    console.log('');
    console.log(`MX Desk runs (ms): ${desk.map((v) => v.toFixed(1)).join(', ')}`);
  } finally {
    clearTimeout(guard);
    await proxy?.stop();
    await dns?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
