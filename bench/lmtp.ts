// LMTP (RFC 2033) into aiosmtpd's LMTP server over a 50 ms RTT link (a loopback proxy delaying every chunk
// 25 ms each way): MX Desk vs `swaks --protocol LMTP`, 1 and 10 recipients, one of them refused after the
// dot. Round trips after connect (the greeting is the first), the median wire time, and whether each client
// reported the per-recipient refusal. aiosmtpd offers no PIPELINING, so neither client pipelines.
//   node --import tsx bench/lmtp.ts
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startAiosmtpd, type AiosmtpdServer } from '../test/support/aiosmtpd';
import { startDelayProxy } from '../test/support/delay-proxy';
import { mxDeskRequest, runMxDesk } from './mxdesk-client';
import { recipients, table } from './peers';

const run = promisify(execFile);
const RTT_MS = 50;
const REPEAT = Number(process.env.REPEAT ?? 3);
const REFUSED = 'full@example.test';

interface Row {
  client: string;
  rcpts: number;
  roundTrips: string;
  wireMs: number;
  note: string;
}

async function swaksLmtp(port: number, to: string[]): Promise<string> {
  const args = ['--server', `127.0.0.1:${port}`, '--protocol', 'LMTP', '--from', 'sender@example.test', '--to', to.join(','), '--helo', 'bench.example.test'];
  // swaks exits non-zero when a recipient is refused after the dot: its output is what we want.
  const r = await run('swaks', args, { timeout: 60_000 }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
  return r.stdout;
}

async function measure(lmtp: AiosmtpdServer, client: string, rcpts: number, go: (port: number) => Promise<string>): Promise<Row> {
  const trips: number[] = [];
  const wires: number[] = [];
  let note = '';
  for (let i = 0; i < REPEAT; i++) {
    const proxy = await startDelayProxy({ targetPort: lmtp.port, delayMs: RTT_MS / 2 });
    try {
      note = await go(proxy.port);
      await proxy.idle();
      trips.push(proxy.connections[0]?.roundTrips ?? NaN);
      wires.push(proxy.connections[0]?.elapsedMs ?? NaN);
    } finally {
      await proxy.stop();
    }
  }
  wires.sort((a, b) => a - b);
  const lo = Math.min(...trips);
  const hi = Math.max(...trips);
  return { client, rcpts, roundTrips: lo === hi ? String(lo) : `${lo}–${hi}`, wireMs: Math.round(wires[Math.floor(wires.length / 2)]), note };
}

async function main() {
  const lmtp = await startAiosmtpd({ lmtp: true, dataReplies: { [REFUSED]: '452 4.2.2 mailbox full' } });
  const rows: Row[] = [];
  try {
    for (const n of [1, 10]) {
      const to = [...recipients(n - 1), REFUSED];
      rows.push(
        await measure(lmtp, 'MX Desk', n, async (port) => {
          const { outcome, events } = await runMxDesk({ ...mxDeskRequest({ port, to, tls: false, chunking: false }), protocol: { lmtp: true } });
          const perRcpt = events.filter((e) => e.kind === 'recipient' && /after the message \(LMTP\)/.test(e.text)).length;
          return `${outcome.outcome}; ${perRcpt} per-recipient replies shown; ${/full@example\.test/.test(outcome.reason) ? 'refusal named' : 'refusal NOT named'}`;
        }),
      );
      rows.push(
        await measure(lmtp, 'swaks --protocol LMTP', n, async (port) => {
          const out = await swaksLmtp(port, to);
          const replies = out.split('\n').filter((l) => /^<(-|\*\*)\s+(250|452) /.test(l.trim()) && /delivered|mailbox full/.test(l)).length;
          return `${replies} per-recipient replies in its output; ${/452 4\.2\.2/.test(out) ? 'refusal shown' : 'refusal NOT shown'}`;
        }),
      );
    }
  } finally {
    await lmtp.stop();
  }
  console.log(`LMTP into aiosmtpd, RTT ${RTT_MS} ms (loopback proxy), ${REPEAT} runs each, one recipient refused after the dot, ${new Date().toISOString()}`);
  console.log(table(['client', 'rcpts', 'round trips', 'median wire ms', 'note'], rows.map((r) => [r.client, r.rcpts, r.roundTrips, r.wireMs, r.note])));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
