// Throughput: one 20 MiB message straight to a private Postfix, sent by the MX Desk command line (the built
// dist/cli, in its own process), by swaks and by nodemailer (in its own process), each under GNU time for
// its peak RSS. All three send the same raw message file; each delivered file is compared with it. Speed is
// measured on the wire by a pass-through proxy (no delay): TCP connect to the last reply byte, the same
// clock for every client, without process start-up.
//   npm run build && node --import tsx bench/throughput.ts
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDelayProxy } from '../test/support/delay-proxy';
import { startPostfix, stripDeliveryHeaders, type PostfixInstance } from '../test/support/postfix';
import { measureChild, table } from './peers';

const SIZE = 20 * 1024 * 1024;
const MiB = 1024 * 1024;
const ROUNDS = Number(process.env.ROUNDS ?? 5);

/** A 20 MiB message of 76-character lines, some starting with a dot (so dot-stuffing is exercised). */
function makeMessage(): Buffer {
  const head = 'From: sender@example.test\r\nTo: rcpt1@example.test\r\nSubject: throughput\r\nMessage-ID: <throughput@example.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n';
  const lines: string[] = [head];
  let size = head.length;
  let seed = 12345;
  const alphabet = 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .,;:';
  for (let i = 0; size < SIZE; i++) {
    let line = i % 97 === 0 ? '.' : '';
    while (line.length < 76) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      line += alphabet[seed % alphabet.length];
    }
    lines.push(`${line}\r\n`);
    size += 78;
  }
  return Buffer.from(lines.join(''), 'latin1');
}

interface Row {
  client: string;
  /** The client's own clock (MX Desk: session start to outcome, measuring included; nodemailer: around sendMail). */
  clientMs?: number;
  /** The whole process, start-up and file checks included (median). */
  processMs: number;
  wireMs: number;
  mibPerS: number;
  peakRssMiB: number;
  overBaselineMiB: number;
  verified: string;
}

async function verify(pf: PostfixInstance, expected: Buffer): Promise<string> {
  const files = await pf.readDelivered({ count: 1, timeoutMs: 20_000 });
  if (files.length !== 1) return `NO (${files.length} files)`;
  await pf.clearDelivered();
  // Maildir stores LF line ends; the message was sent with CRLF.
  const want = Buffer.from(expected.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
  const got = stripDeliveryHeaders(files[0]);
  if (got.equals(want)) return 'yes, byte for byte';
  if (got.length === want.length + 1 && got.subarray(0, want.length).equals(want) && got[want.length] === 0x0a) return 'NO: a stray empty line was added before the dot';
  let i = 0;
  while (i < got.length && i < want.length && got[i] === want[i]) i++;
  return `NO: ${got.length} bytes, expected ${want.length}; first difference at byte ${i} (${JSON.stringify(got.subarray(i, i + 12).toString('latin1'))})`;
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'mxdesk-throughput-'));
  const file = join(dir, 'message.eml');
  const message = makeMessage();
  await writeFile(file, message);
  const pf = await startPostfix();
  const rows: Row[] = [];
  const baseline = await measureChild(process.execPath, ['-e', '0']);
  const cliIdle = await measureChild(process.execPath, ['bin/mxdesk.js', 'help']);
  const baseMiB = baseline.maxRssKiB / 1024;
  const clients: Array<{ name: string; cmd: string; args: (port: number) => string[] }> = [
    {
      name: 'MX Desk (mxdesk send --raw)',
      cmd: process.execPath,
      args: (port) => ['bin/mxdesk.js', 'send', '--server', `127.0.0.1:${port}`, '--tls', 'none', '--from', 'sender@example.test', '--to', 'rcpt1@example.test', '--raw', `@${file}`, '--json'],
    },
    { name: 'nodemailer (raw from path)', cmd: process.execPath, args: (port) => ['bench/nodemailer-child.mjs', String(port), file] },
    {
      name: 'swaks --pipeline --data FILE',
      cmd: 'swaks',
      args: (port) => ['--server', `127.0.0.1:${port}`, '--pipeline', '--from', 'sender@example.test', '--to', 'rcpt1@example.test', '--data', file, '--suppress-data', '--helo', 'bench.example.test'],
    },
  ];
  try {
    // Interleaved rounds (the machine is shared and noisy); the table shows the median wire time.
    const runs = new Map<string, Array<{ wireMs: number; processMs: number; peak: number; verified: string; reportedMs?: number }>>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of clients) {
        const proxy = await startDelayProxy({ targetPort: pf.port, delayMs: 0 });
        try {
          const r = await measureChild(c.cmd, c.args(proxy.port));
          await proxy.idle();
          const verified = r.code === 0 ? await verify(pf, message) : `NO (exit ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').pop() ?? ''})`;
          if (r.code !== 0) await pf.clearDelivered();
          // What the client itself reports, where it does (MX Desk's outcome, nodemailer's timer around sendMail).
          const reported = /"durationMs":([\d.]+)/.exec(r.stdout)?.[1] ?? /"ms":([\d.]+)/.exec(r.stdout)?.[1];
          const list = runs.get(c.name) ?? [];
          list.push({ wireMs: proxy.connections[0]?.elapsedMs ?? NaN, processMs: r.wallMs, peak: r.maxRssKiB / 1024, verified, reportedMs: reported ? Number(reported) : undefined });
          runs.set(c.name, list);
        } finally {
          await proxy.stop();
        }
      }
    }
    for (const c of clients) {
      const list = runs.get(c.name) ?? [];
      const wires = list.map((x) => x.wireMs).sort((a, b) => a - b);
      const wireMs = wires[Math.floor(wires.length / 2)];
      const peak = Math.max(...list.map((x) => x.peak));
      const reported = list.map((x) => x.reportedMs).filter((x): x is number => x !== undefined);
      if (reported.length) console.log(`${c.name}: client-reported times ${reported.map((x) => x.toFixed(0)).join(', ')} ms`);
      console.log(`${c.name}: wire times ${wires.map((x) => x.toFixed(0)).join(', ')} ms`);
      const verified = [...new Set(list.map((x) => x.verified))].join(' / ');
      reported.sort((a, b) => a - b);
      const clientMs = reported.length ? reported[Math.floor(reported.length / 2)] : undefined;
      const walls = list.map((x) => x.processMs).sort((a, b) => a - b);
      rows.push({ client: c.name, clientMs, processMs: walls[Math.floor(walls.length / 2)], wireMs, mibPerS: SIZE / MiB / (wireMs / 1000), peakRssMiB: peak, overBaselineMiB: c.cmd === process.execPath ? peak - baseMiB : NaN, verified });
    }
  } finally {
    await pf.stop();
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`20 MiB message (${message.length} bytes, CRLF, dot lines) to a private Postfix, ${new Date().toISOString()}`);
  console.log(`Node baseline peak RSS (node -e 0): ${baseMiB.toFixed(1)} MiB; mxdesk help: ${(cliIdle.maxRssKiB / 1024).toFixed(1)} MiB`);
  console.log(
    table(
      ['client', 'median wire ms', 'MiB/s on the wire', 'median client ms', 'MiB/s end to end', 'median process ms', 'max peak RSS MiB', 'over Node baseline', 'delivered body'],
      rows.map((r) => [
        r.client,
        r.wireMs.toFixed(0),
        r.mibPerS.toFixed(1),
        r.clientMs === undefined ? 'n/a' : r.clientMs.toFixed(0),
        r.clientMs === undefined ? 'n/a' : (SIZE / MiB / (r.clientMs / 1000)).toFixed(1),
        r.processMs.toFixed(0),
        r.peakRssMiB.toFixed(1),
        Number.isNaN(r.overBaselineMiB) ? 'n/a (perl)' : r.overBaselineMiB.toFixed(1),
        r.verified,
      ]),
    ),
  );
  console.log('Target (issue 3): at least nodemailer\'s MiB/s; peak RSS no more than Node baseline + 30 MB.');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
