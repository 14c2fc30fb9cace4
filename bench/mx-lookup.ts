// Benchmark: MX Desk's lookupMx against `dig` doing the same work by hand, through a resolver link with a
// 50 ms round trip (a UDP proxy holding each datagram 25 ms each way in front of a private dnsmasq).
// A second table does the same with DNSSEC, TLSA, MTA-STS and TLS-RPT on: lookupMailDns against a private
// validating unbound (test/support/dnssec.ts) beside `dig +dnssec` asking the same questions one by one.
//   node --import tsx bench/mx-lookup.ts [--runs N] [--delay MS]
// Starts and stops every peer itself; nothing leaves loopback.
import { execFile } from 'node:child_process';
import { lookupMailDns } from '../electron/engine/dns/mail-dns';
import { lookupMx } from '../electron/engine/mx-lookup';
import { startDnssecLab } from '../test/support/dnssec';
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

function dig(port: number, name: string, type: string, extra: string[] = []): Promise<{ answers: string[]; queryMs: number }> {
  const args = ['@127.0.0.1', '-p', String(port), '+tries=1', '+time=2', '+noall', '+answer', '+stats', ...extra, name, type];
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

/** The DANE/MTA-STS questions by hand: MX, the two policy TXT records, then A, AAAA and TLSA of each host. */
async function digDnssecByHand(port: number, domain: string): Promise<{ wallMs: number; queryMs: number; queries: number }> {
  const t0 = performance.now();
  let queryMs = 0;
  const q = async (name: string, type: string) => {
    const r = await dig(port, name, type, ['+dnssec']);
    queryMs += r.queryMs;
    return r;
  };
  const mx = await q(domain, 'MX');
  await q(`_mta-sts.${domain}`, 'TXT');
  await q(`_smtp._tls.${domain}`, 'TXT');
  let queries = 3;
  const hosts = mx.answers.filter((a) => /^\d+ \S+$/.test(a)).map((a) => a.split(' ')[1].replace(/\.$/, ''));
  for (const host of hosts) {
    for (const [name, type] of [[host, 'A'], [host, 'AAAA'], [`_25._tcp.${host}`, 'TLSA']]) {
      await q(name, type);
      queries++;
    }
  }
  return { wallMs: performance.now() - t0, queryMs, queries };
}

/** Table 2: with DNSSEC/TLSA/MTA-STS/TLS-RPT, through the validating lab resolver behind the same kind of link. */
async function benchDnssec(runs: number, delay: number): Promise<void> {
  const hosts = ['mx2', 'mx3'];
  const lab = await startDnssecLab({
    nonValidating: false,
    extra: { secure: hosts.flatMap((h, i) => [`@ MX ${20 + 10 * i} ${h}.secure.test.`, `${h} A 127.0.0.${i + 2}`, `${h} AAAA ::1`, `_25._tcp.${h} TLSA 3 1 1 ${'ab'.repeat(32)}`]) },
  });
  if (!lab.ok) {
    console.log(`\n(DNSSEC table skipped: ${lab.why})`);
    return;
  }
  const proxy = await startUdpDelayProxy({ host: '127.0.0.1', port: Number(lab.resolver.split(':')[1]) }, delay);
  try {
    const domain = lab.zones.secure;
    const desk: number[] = [];
    let deskQueries = 0;
    let statuses = '';
    for (let i = 0; i <= runs; i++) {
      const before = proxy.forwarded;
      const t0 = performance.now();
      const r = await lookupMailDns({ query: domain, resolver: proxy.server });
      const ms = performance.now() - t0;
      if (!r.ok || r.value.mx.verdict !== 'mx') throw new Error(`lookupMailDns failed: ${JSON.stringify(r)}`);
      if (i === 0) continue; // warm-up (fills unbound's cache)
      desk.push(ms);
      deskQueries = proxy.forwarded - before;
      statuses = `MX ${r.value.mx.dnssec?.mx}, MTA-STS ${r.value.mtaSts.status}, TLS-RPT ${r.value.tlsRpt.status}, TLSA ${r.value.tlsa.map((x) => x.answer.status).join('/')}`;
    }
    const byHand: { wallMs: number; queryMs: number; queries: number }[] = [];
    for (let i = 0; i <= runs; i++) {
      const r = await digDnssecByHand(proxy.port, domain);
      if (i > 0) byHand.push(r);
    }
    const rtt = 2 * delay;
    const trips = (ms: number) => (rtt > 0 ? Math.round(ms / rtt) : NaN);
    const row = (tool: string, q: number, t: number, ms: string) => `${tool.padEnd(58)}${String(q).padStart(8)}${String(t).padStart(13)}  ${ms}`;
    console.log('');
    console.log(`With DNSSEC, TLSA, MTA-STS and TLS-RPT: ${domain} (3 MX hosts) via a validating unbound behind the same link`);
    console.log(`MX Desk's round trips = its median wall time / ${rtt} ms (it also asks one DNSKEY probe beside the MX query);`);
    console.log(`dig's = its query count, since each dig waits for the one before (its wall time includes starting dig)`);
    console.log('');
    console.log(`${'tool'.padEnd(58)}${'queries'.padStart(8)}${'round trips'.padStart(13)}  median ms`);
    console.log(row('MX Desk lookupMailDns (MX+TXT, then all A/AAAA/TLSA at once)', deskQueries, trips(median(desk)), median(desk).toFixed(1)));
    const handMs = median(byHand.map((r) => r.wallMs)).toFixed(1);
    console.log(row('dig +dnssec by hand, one query after another', byHand[0].queries, byHand[0].queries, `${handMs} (dig's own query times: ${median(byHand.map((r) => r.queryMs))})`));
    console.log(`MX Desk statuses: ${statuses}`);
  } finally {
    await proxy.stop();
    await lab.stop();
  }
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
    await benchDnssec(runs, delay);
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
