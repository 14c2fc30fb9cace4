import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A private dnsmasq for tests: authoritative-looking answers for `*.test` from the zone lines given, on
 * 127.0.0.1 and a random free port (UDP and TCP). Nothing is forwarded anywhere (`no-resolv`), and names
 * under `.test` that the zone does not define are NXDOMAIN (`local=/test/`).
 */

/**
 * The zone every engine and UI test shares. All addresses are on loopback so that SMTP tests can put
 * servers behind them; 127.0.0.2–127.0.0.5 reach this machine like 127.0.0.1 does.
 */
export const TEST_ZONE: string[] = [
  // example.test: an MX set with a tie. Preference 5 mx0 (127.0.0.2), 10 mx1 (127.0.0.1 and ::1), and two
  // hosts at preference 20, mx2a (127.0.0.4) and mx2b (127.0.0.5), whose order is shuffled per lookup.
  'mx-host=example.test,mx1.example.test,10',
  'mx-host=example.test,mx0.example.test,5',
  'mx-host=example.test,mx2a.example.test,20',
  'mx-host=example.test,mx2b.example.test,20',
  'host-record=mx0.example.test,127.0.0.2',
  'host-record=mx1.example.test,127.0.0.1,::1',
  'host-record=mx2a.example.test,127.0.0.4',
  'host-record=mx2b.example.test,127.0.0.5',
  'txt-record=example.test,"v=spf1 ip4:127.0.0.1 -all"',
  // implicit.test: no MX, only an A record (127.0.0.1), so the domain itself is the mail host (RFC 5321 §5.1).
  'host-record=implicit.test,127.0.0.1',
  // nomail.test: exists (a TXT record) but has neither MX nor A/AAAA: no mail host at all.
  'txt-record=nomail.test,"no mail here"',
  // nullmx.test: a null MX, "this domain accepts no mail" (RFC 7505). dnsmasq serves `MX 0 .`.
  'mx-host=nullmx.test,.,0',
  // v4only.test: one MX host, mx.v4only.test, with an A record (127.0.0.1) and no AAAA.
  'mx-host=v4only.test,mx.v4only.test,10',
  'host-record=mx.v4only.test,127.0.0.1',
  // v6only.test: one MX host, mx.v6only.test, with an AAAA record (::1) and no A.
  'mx-host=v6only.test,mx.v6only.test,10',
  'host-record=mx.v6only.test,::1',
  // noaddr.test: its only MX host, ghost.noaddr.test, does not exist (A and AAAA are NXDOMAIN).
  'mx-host=noaddr.test,ghost.noaddr.test,10',
  // iplit.test: the MX target is an IP literal. dnsmasq serves it as the name `192.0.2.1.` (checked with dig).
  'mx-host=iplit.test,192.0.2.1,10',
  // warnings.test: a multi-host set showing every host warning: 10 mx1.example.test (loopback address),
  // 20 ghost.warnings.test (no address), 30 192.0.2.1 (IP literal).
  'mx-host=warnings.test,mx1.example.test,10',
  'mx-host=warnings.test,ghost.warnings.test,20',
  'mx-host=warnings.test,192.0.2.1,30',
  // bücher.test, stored as its A-label xn--bcher-kva.test: MX 10 mx.bücher.test (mx.xn--bcher-kva.test), 127.0.0.1.
  'mx-host=xn--bcher-kva.test,mx.xn--bcher-kva.test,10',
  'host-record=mx.xn--bcher-kva.test,127.0.0.1',
  // fallback.test: the best MX (10) down.fallback.test is 127.0.0.3, where SMTP tests listen on nothing (or
  // refuse); the second MX (20) up.fallback.test is 127.0.0.1, where they put a server.
  'mx-host=fallback.test,down.fallback.test,10',
  'mx-host=fallback.test,up.fallback.test,20',
  'host-record=down.fallback.test,127.0.0.3',
  'host-record=up.fallback.test,127.0.0.1',
];

export interface Dnsmasq {
  port: number;
  /** `127.0.0.1:PORT`, for `--dns`, a request's `resolver`, or `setServers`. */
  server: string;
  stop(): Promise<void>;
}

/** A port free for both UDP and TCP on 127.0.0.1 at the moment of asking. */
async function freePort(): Promise<number> {
  const tcp = createServer();
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(0, '127.0.0.1', () => resolve());
  });
  const address = tcp.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const udp = createSocket('udp4');
  const udpFree = await new Promise<boolean>((resolve) => {
    udp.once('error', () => resolve(false));
    udp.bind(port, '127.0.0.1', () => resolve(true));
  });
  await new Promise<void>((resolve) => (udpFree ? udp.close(() => resolve()) : resolve()));
  await new Promise<void>((resolve) => tcp.close(() => resolve()));
  return udpFree ? port : freePort();
}

/** Resolves once dnsmasq says it started, or with its complaint if it exits first. */
function waitStarted(child: ChildProcess): Promise<{ ok: true } | { ok: false; why: string }> {
  return new Promise((resolve) => {
    let log = '';
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      if (/started, version/.test(log)) done({ ok: true });
    };
    const onExit = (code: number | null, signal: string | null): void =>
      done({ ok: false, why: `dnsmasq exited (${code ?? signal}): ${log.trim() || 'no output'}` });
    const onError = (err: Error): void => done({ ok: false, why: `dnsmasq could not start: ${err.message}` });
    const done = (r: { ok: true } | { ok: false; why: string }): void => {
      child.stderr?.off('data', onData);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      resolve(r);
    };
    child.stderr?.on('data', onData);
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function killOnExit(child: ChildProcess): void {
  live.add(child);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // If a test run dies without calling stop(), don't leave a dnsmasq behind.
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
}

export async function startDnsmasq(zoneLines: string[]): Promise<Dnsmasq> {
  const dir = mkdtempSync(join(tmpdir(), 'mxdesk-dnsmasq-'));
  let lastWhy = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const conf = join(dir, 'dnsmasq.conf');
    const lines = [
      `port=${port}`,
      'listen-address=127.0.0.1',
      'bind-interfaces',
      'no-resolv',
      'no-hosts',
      'no-poll',
      'local=/test/',
      // dnsmasq's default TTL for local records is 0; a real-looking TTL lets the UI show one.
      'local-ttl=300',
      ...zoneLines,
    ];
    writeFileSync(conf, `${lines.join('\n')}\n`);
    const args = ['--keep-in-foreground', '--log-facility=-', `--conf-file=${conf}`, '--pid-file='];
    // As root dnsmasq drops to `nobody` by itself; as another user it runs as that user (checked).
    const child = spawn('dnsmasq', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const started = await waitStarted(child);
    if (started.ok) {
      killOnExit(child);
      child.stdout?.resume();
      child.stderr?.resume();
      return {
        port,
        server: `127.0.0.1:${port}`,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) {
            const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
            child.kill('SIGTERM');
            await exited;
          }
          live.delete(child);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    lastWhy = started.why;
    if (child.exitCode === null) child.kill('SIGKILL');
    if (!/in use/i.test(lastWhy)) break; // only a port race is worth another try
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(lastWhy.includes('ENOENT') ? 'dnsmasq is not installed: apt-get install dnsmasq-base' : lastWhy);
}
