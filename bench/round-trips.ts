// Round trips and wall time for one transaction over a 50 ms RTT link (a loopback proxy delaying every chunk
// 25 ms each way) into a private Postfix: MX Desk vs `swaks --pipeline` vs nodemailer, plain and STARTTLS,
// 1 and 10 recipients. Round trips are counted after connect, as the client experiences them (see
// test/support/delay-proxy.ts); the greeting is the first. Postfix's own per-connection command counts show
// who sent QUIT.
//   node --import tsx bench/round-trips.ts
import { startDelayProxy } from '../test/support/delay-proxy';
import { startPostfix, type PostfixInstance } from '../test/support/postfix';
import { mxDeskRequest, runMxDesk } from './mxdesk-client';
import { lastDisconnectStats, recipients, runNodemailer, runSwaks, table } from './peers';

const RTT_MS = 50;

interface Row {
  client: string;
  mode: string;
  rcpts: number;
  roundTrips: string;
  wireMs: number;
  ok: boolean;
  quit: string;
  note: string;
}

const REPEAT = Number(process.env.REPEAT ?? 3);

/** One configuration, REPEAT times (after the warm-up in main): round trips (all runs) and the median wire time. */
async function measure(pf: PostfixInstance, client: string, mode: string, rcpts: number, go: (port: number) => Promise<{ ok: boolean; note: string }>): Promise<Row> {
  const trips: number[] = [];
  const wires: number[] = [];
  let allOk = true;
  let quit = 'yes';
  let note = '';
  let stats = '';
  for (let i = 0; i < REPEAT; i++) {
    const proxy = await startDelayProxy({ targetPort: pf.port, delayMs: RTT_MS / 2 });
    try {
      const r = await go(proxy.port);
      await proxy.idle();
      const c = proxy.connections[0];
      trips.push(c?.roundTrips ?? NaN);
      wires.push(c?.elapsedMs ?? NaN);
      allOk &&= r.ok;
      note ||= r.note;
      // Give Postfix a moment to write its disconnect line.
      await new Promise((res) => setTimeout(res, 150));
      stats = lastDisconnectStats(await pf.readLog());
      if (!/quit=1/.test(stats)) quit = 'NO';
    } finally {
      await proxy.stop();
    }
  }
  wires.sort((a, b) => a - b);
  const lo = Math.min(...trips);
  const hi = Math.max(...trips);
  return {
    client,
    mode,
    rcpts,
    roundTrips: lo === hi ? String(lo) : `${lo}–${hi}`,
    wireMs: Math.round(wires[Math.floor(wires.length / 2)]),
    ok: allOk,
    quit,
    note: note ? `${stats}; ${note}` : stats,
  };
}

async function main() {
  const plain = await startPostfix();
  const tls = await startPostfix({ tls: true });
  const rows: Row[] = [];
  try {
    // Warm-up (JIT, TLS context, first DNS-free connect), not reported.
    await runMxDesk(mxDeskRequest({ port: plain.port, to: recipients(1), tls: false, chunking: true }));
    await runMxDesk(mxDeskRequest({ port: tls.port, to: recipients(1), tls: true, chunking: true }));
    await runNodemailer({ port: plain.port, to: recipients(1), tls: false });
    await runNodemailer({ port: tls.port, to: recipients(1), tls: true });
    for (const [pf, useTls] of [
      [plain, false],
      [tls, true],
    ] as const) {
      const mode = useTls ? 'STARTTLS' : 'plain';
      for (const n of [1, 10]) {
        const to = recipients(n);
        for (const chunking of [true, false]) {
          rows.push(
            await measure(pf, `MX Desk${chunking ? ' (CHUNKING)' : ' (DATA)'}`, mode, n, async (port) => {
              const { outcome, events } = await runMxDesk(mxDeskRequest({ port, to, tls: useTls, chunking }));
              const method = events.find((e) => e.kind === 'data_body');
              return { ok: outcome.outcome === 'delivered', note: `${outcome.outcome}${method && method.kind === 'data_body' ? ` via ${method.method}` : ''}` };
            }),
          );
        }
        rows.push(
          await measure(pf, 'swaks --pipeline', mode, n, async (port) => {
            const r = await runSwaks({ port, to, tls: useTls });
            return { ok: r.ok, note: r.ok ? '' : r.output.slice(0, 80) };
          }),
        );
        rows.push(
          await measure(pf, 'nodemailer', mode, n, async (port) => {
            const r = await runNodemailer({ port, to, tls: useTls });
            return { ok: r.ok, note: r.ok ? '' : r.detail.slice(0, 80) };
          }),
        );
      }
    }
  } finally {
    await plain.stop();
    await tls.stop();
  }
  console.log(`Round trips after connect, RTT ${RTT_MS} ms (loopback proxy, ${RTT_MS / 2} ms each way), private Postfix, ${REPEAT} runs each, ${new Date().toISOString()}`);
  console.log(
    table(
      ['client', 'mode', 'rcpts', 'round trips', 'median wire ms', 'delivered', 'QUIT sent', 'postfix commands / note'],
      rows.map((r) => [r.client, r.mode, r.rcpts, r.roundTrips, r.wireMs, r.ok ? 'yes' : 'NO', r.quit, r.note]),
    ),
  );
  console.log('Targets (issue 3): plain+PIPELINING 4 (3 with CHUNKING), STARTTLS 7 (6 with CHUNKING); recipients add none.');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
