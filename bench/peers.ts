// Shared pieces of the benchmarks: running swaks, nodemailer and MX Desk against one server, a table printer,
// and reading Postfix's per-connection command counts (to see who sent QUIT).
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import type { SessionEventBody } from '../shared/events';

const run = promisify(execFile);

export type OutcomeEvent = Extract<SessionEventBody, { kind: 'outcome' }>;

export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function recipients(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `rcpt${i + 1}@example.test`);
}

/** swaks with --pipeline; `tls` uses STARTTLS (swaks does not verify certificates by default). */
export async function runSwaks(opts: { port: number; to: string[]; tls: boolean; dataFile?: string; timeoutMs?: number }): Promise<{ ok: boolean; output: string }> {
  const args = ['--server', `127.0.0.1:${opts.port}`, '--pipeline', '--from', 'sender@example.test', '--to', opts.to.join(','), '--helo', 'bench.example.test'];
  if (opts.tls) args.push('--tls');
  if (opts.dataFile) args.push('--data', opts.dataFile);
  try {
    const r = await run('swaks', args, { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 256 * 1024 * 1024 });
    return { ok: true, output: r.stdout };
  } catch (e) {
    return { ok: false, output: String(e) };
  }
}

/** nodemailer's SMTP transport, used as documented (one message, no pool). */
export async function runNodemailer(opts: { port: number; to: string[]; tls: boolean }): Promise<{ ok: boolean; detail: string }> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: opts.port,
    secure: false,
    ignoreTLS: !opts.tls,
    requireTLS: opts.tls,
    name: 'bench.example.test',
    tls: { rejectUnauthorized: false },
  });
  try {
    const info = await transport.sendMail({
      from: 'sender@example.test',
      to: opts.to,
      subject: 'round trips',
      text: 'Hello from the benchmark.\n',
    });
    return { ok: info.accepted.length === opts.to.length, detail: info.response };
  } catch (e) {
    return { ok: false, detail: String(e) };
  } finally {
    transport.close();
  }
}

/** Postfix logs `disconnect from … ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7` per connection. */
export function lastDisconnectStats(log: string): string {
  const lines = log.split('\n').filter((l) => /disconnect from/.test(l));
  const last = lines[lines.length - 1] ?? '';
  return /disconnect from \S+ (.*)$/.exec(last)?.[1] ?? '?';
}

/** Runs `cmd` under GNU time and returns the child's peak RSS (KiB) and wall time. */
export async function measureChild(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; stdin?: Buffer } = {}): Promise<{ code: number | null; stdout: string; stderr: string; maxRssKiB: number; wallMs: number }> {
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', 'MAXRSS_KIB=%M', cmd, ...args], { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(opts.stdin);
  const code = await new Promise<number | null>((r) => child.once('close', (c) => r(c)));
  const wallMs = performance.now() - started;
  const maxRssKiB = Number(/MAXRSS_KIB=(\d+)/.exec(stderr)?.[1] ?? NaN);
  return { code, stdout, stderr: stderr.replace(/MAXRSS_KIB=\d+\n?/, ''), maxRssKiB, wallMs };
}
