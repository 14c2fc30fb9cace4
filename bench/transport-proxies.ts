// What a proxy costs on loopback: one message to smtp-server directly, through microsocks (SOCKS5, the proxy
// resolving `localhost`) and through tinyproxy (HTTP CONNECT). For MX Desk: the median time from the first
// connect attempt to an open tunnel, and the median whole session; beside it the median wall time of `curl`
// sending the same message the same way (a process start included, which MX Desk does not pay).
//   node --import tsx bench/transport-proxies.ts      (REPEAT=N, default 15; PIPELINING=0 turns it off)
// Measured here: with PIPELINING each proxied session costs ~40 ms more than direct, without it none. That is
// consistent with Nagle on the proxy's socket (the pipelined replies leave it as separate small segments, the
// second waiting for the ACK of the first) meeting Linux's delayed ACK (~40 ms) on this side; not proven.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SessionRequest } from '../shared/model';
import { realProxiesMissing, startMicrosocks, startTinyproxy } from '../test/support/real-proxies';
import { startRecordingServer } from '../test/support/smtp-recording-server';
import { mxDeskRequest, runMxDesk } from './mxdesk-client';
import { table } from './peers';

const run = promisify(execFile);
const REPEAT = Number(process.env.REPEAT ?? 15);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

async function main(): Promise<void> {
  const missing = realProxiesMissing();
  if (missing) {
    console.log(`bench/transport-proxies: ${missing}`);
    return;
  }
  const peer = await startRecordingServer({ host: '127.0.0.1' });
  const socks = await startMicrosocks();
  const http = await startTinyproxy();
  const dir = mkdtempSync(join(tmpdir(), 'mxdesk-bench-proxies-'));
  const eml = join(dir, 'message.eml');
  writeFileSync(eml, 'From: sender@example.test\r\nTo: rcpt@example.test\r\nSubject: proxies\r\n\r\nHello.\r\n');
  const paths: { name: string; proxy?: string; curl: string[] }[] = [
    { name: 'direct', curl: [] },
    { name: 'SOCKS5 (microsocks, socks5h)', proxy: `socks5h://127.0.0.1:${socks.port}`, curl: ['--socks5-hostname', `127.0.0.1:${socks.port}`] },
    { name: 'HTTP CONNECT (tinyproxy)', proxy: `http://127.0.0.1:${http.port}`, curl: ['--proxy', `http://127.0.0.1:${http.port}`, '--proxytunnel'] },
  ];
  const rows: Array<Array<string | number>> = [];
  try {
    for (const p of paths) {
      const connect: number[] = [];
      const session: number[] = [];
      const curl: number[] = [];
      for (let i = 0; i < REPEAT; i++) {
        const base = mxDeskRequest({ port: peer.port, to: ['rcpt@example.test'], tls: false, chunking: false });
        const req: SessionRequest = { ...base, pipelining: process.env.PIPELINING !== '0', target: { kind: 'host', host: p.proxy ? 'localhost' : '127.0.0.1', port: peer.port }, ...(p.proxy ? { transport: { proxy: p.proxy } } : {}) };
        const t0 = performance.now();
        const { outcome, events } = await runMxDesk(req);
        session.push(performance.now() - t0);
        if (outcome.outcome !== 'delivered') throw new Error(`${p.name}: ${outcome.reason}`);
        const ok = events.find((e) => e.kind === 'connect_result' && e.ok);
        if (ok?.kind === 'connect_result') connect.push(ok.ms);
        const c0 = performance.now();
        await run('curl', ['-sS', '--url', `smtp://${p.proxy ? 'localhost' : '127.0.0.1'}:${peer.port}/bench.example.test`, ...p.curl, '--mail-from', 'sender@example.test', '--mail-rcpt', 'rcpt@example.test', '--upload-file', eml], { timeout: 30_000 });
        curl.push(performance.now() - c0);
      }
      rows.push([p.name, median(connect).toFixed(2), median(session).toFixed(1), median(curl).toFixed(1)]);
    }
  } finally {
    await socks.stop();
    await http.stop();
    await peer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`One message to smtp-server on loopback, median of ${REPEAT} runs (ms):\n`);
  console.log(table(['path', 'MX Desk connect+tunnel', 'MX Desk session', 'curl wall'], rows));
  console.log(`\nmessages received: ${peer.messages.length} (MX Desk and curl, ${REPEAT} each per path)`);
}

void main();
