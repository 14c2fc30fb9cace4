// Benchmark: the round trips of a policy check (checkPolicy: MX, `_mta-sts` and `_smtp._tls` TXT, the
// `mta-sts.<domain>` address, then A, AAAA and TLSA of each MX host beside the HTTPS policy fetch) through a
// resolver link with a 50 ms round trip (a UDP proxy in front of the DNSSEC lab's validating unbound), beside
// `dig +dnssec` asking the same DNS questions one after another. The policy server is on loopback, undelayed.
//   node --import tsx bench/policy-check.ts [--runs N] [--delay MS]
// Starts and stops every peer itself; nothing leaves loopback.
import { execFile } from 'node:child_process';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { checkPolicy } from '../electron/engine/policy/policy-report';
import { createResolver, type DnsResolver } from '../electron/engine/resolver';
import { makeCert } from '../test/support/certs';
import { startDnssecLab } from '../test/support/dnssec';
import { startUdpDelayProxy } from '../test/support/udp-delay-proxy';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < 0 || n > 500) throw new Error(`${name} must be a whole number from 0 to 500`);
  return n;
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function dig(port: number, name: string, type: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('dig', ['@127.0.0.1', '-p', String(port), '+tries=1', '+time=2', '+dnssec', '+noall', '+answer', name, type], { timeout: 5000 }, (err) => (err ? reject(err) : resolve()));
  });
}

async function main(): Promise<void> {
  const runs = Math.max(1, arg('--runs', 7));
  const delay = arg('--delay', 25);
  const hosts = ['mx2', 'mx3'];
  const lab = await startDnssecLab({
    nonValidating: false,
    extra: { secure: ['mta-sts A 127.0.0.1', ...hosts.flatMap((h, i) => [`@ MX ${20 + 10 * i} ${h}.secure.test.`, `${h} A 127.0.0.${i + 2}`, `${h} AAAA ::1`, `_25._tcp.${h} TLSA 3 1 1 ${'ab'.repeat(32)}`])] },
  });
  if (!lab.ok) {
    console.log(`skipped: ${lab.why}`);
    return;
  }
  const cert = makeCert('self-signed', 'mta-sts.secure.test');
  const https = createServer({ cert: cert.cert, key: cert.key }, (_req, res) => res.end('version: STSv1\r\nmode: enforce\r\nmx: *.secure.test\r\nmax_age: 86400\r\n'));
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  const proxy = await startUdpDelayProxy({ host: '127.0.0.1', port: Number(lab.resolver.split(':')[1]) }, delay);
  try {
    const sts = { port: (https.address() as AddressInfo).port, ca: [cert.cert], timeoutMs: 5000 };
    const desk: number[] = [];
    const dnsDone: number[] = [];
    let queries = 0;
    let summary = '';
    for (let i = 0; i <= runs; i++) {
      const before = proxy.forwarded;
      const t0 = performance.now();
      // The time the last DNS answer arrived: the DNS part alone, apart from the loopback HTTPS fetch.
      let lastAnswer = 0;
      const seen = <T>(p: Promise<T>): Promise<T> => p.finally(() => (lastAnswer = Math.max(lastAnswer, performance.now() - t0)));
      const inner = createResolver(proxy.server, 5000);
      const timed: DnsResolver = { ...inner, dnssec: (n, t) => seen(inner.dnssec(n, t)), resolve4: (n) => seen(inner.resolve4(n)), resolve6: (n) => seen(inner.resolve6(n)) };
      const r = await checkPolicy(timed, 'secure.test', { sts });
      const ms = performance.now() - t0;
      if (i === 0) continue; // warm-up: fills unbound's cache
      desk.push(ms);
      dnsDone.push(lastAnswer);
      queries = proxy.forwarded - before;
      summary = `MX ${r.mxStatus}; MTA-STS ${r.mtaSts.policy?.mode ?? r.mtaSts.verdict}; hosts ${r.hosts.map((h) => `${h.host} TLSA ${h.tlsaStatus} in-policy ${h.mtaSts?.inPolicy}`).join(', ')}`;
    }
    const names: [string, string][] = [['secure.test', 'MX'], ['_mta-sts.secure.test', 'TXT'], ['_smtp._tls.secure.test', 'TXT'], ['mta-sts.secure.test', 'A']];
    for (const h of ['mx', ...hosts]) names.push([`${h}.secure.test`, 'A'], [`${h}.secure.test`, 'AAAA'], [`_25._tcp.${h}.secure.test`, 'TLSA']);
    const hand: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const t0 = performance.now();
      for (const [n, t] of names) await dig(proxy.port, n, t);
      if (i > 0) hand.push(performance.now() - t0);
    }
    const rtt = 2 * delay;
    const trips = (ms: number): string => (rtt > 0 ? String(Math.round(ms / rtt)) : '-');
    console.log(`Policy check of secure.test (3 MX hosts) via a validating unbound behind a ${rtt} ms link; ${runs} runs, medians`);
    console.log(`${'tool'.padEnd(60)}${'queries'.padStart(8)}${'round trips'.padStart(13)}  median ms`);
    console.log(`${'MX Desk checkPolicy, DNS part (until the last answer)'.padEnd(60)}${String(queries).padStart(8)}${trips(median(dnsDone)).padStart(13)}  ${median(dnsDone).toFixed(1)}`);
    console.log(`${'MX Desk checkPolicy, whole (HTTPS fetch beside DNS round two)'.padEnd(60)}${''.padStart(8)}${''.padStart(13)}  ${median(desk).toFixed(1)}`);
    console.log(`${'dig +dnssec, the same DNS questions one after another'.padEnd(60)}${String(names.length).padStart(8)}${String(names.length).padStart(13)}  ${median(hand).toFixed(1)} (includes starting dig)`);
    console.log(`MX Desk saw: ${summary}`);
  } finally {
    await proxy.stop();
    https.close();
    await lab.stop();
  }
}

void main();
