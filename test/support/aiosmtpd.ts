// aiosmtpd (Debian's python3-aiosmtpd, a server we did not write) as a test peer: SMTP or LMTP on a
// loopback port the kernel picks, recording each message's DATA bytes exactly as received (dot-unstuffed,
// CRLF kept) and its envelope. The Python side is test/support/aiosmtpd_server.py; it writes a message's
// files before it answers the final dot, so once a session has its outcome the message is on disk.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const PYTHON = '/usr/bin/python3';
const SCRIPT = join(__dirname, 'aiosmtpd_server.py');

export interface AiosmtpdOptions {
  /** Speak LMTP (RFC 2033: LHLO, one reply per recipient after the dot) instead of SMTP. */
  lmtp?: boolean;
  /** Offer SMTPUTF8 (RFC 6531) and accept UTF-8 in commands. aiosmtpd always offers 8BITMIME. */
  smtputf8?: boolean;
  /** The name in the greeting and the EHLO/LHLO reply (default aiosmtpd.example.test). */
  hostname?: string;
  /** RCPT replies by address (case-insensitive), e.g. { 'nobody@example.test': '550 5.1.1 no such user' }. */
  rcptReplies?: Record<string, string>;
  /** LMTP only: the reply after the dot for these recipients (others get 250), e.g. '452 4.2.2 mailbox full'. */
  dataReplies?: Record<string, string>;
  /** STARTTLS with this certificate and key (PEM), required before any other command (RFC 3207). */
  tls?: { cert: string; key: string };
  /** AUTH PLAIN and LOGIN for this one user, required before MAIL, offered only inside TLS (RFC 4954). */
  auth?: { user: string; password: string };
  /** Listen on this UNIX-domain socket instead of a TCP port (`port` is then 0). */
  socketPath?: string;
  /** SIZE limit in bytes (default 32 MiB). */
  dataSizeLimit?: number;
  /** How long to wait for the server to listen (default 10 s: Python starts slowly on a loaded machine). */
  startTimeoutMs?: number;
}

export interface AiosmtpdEnvelope {
  mailFrom: string;
  rcptTos: string[];
  /** MAIL FROM parameters as given, e.g. ['SMTPUTF8', 'BODY=8BITMIME', 'SIZE=123']. */
  mailOptions: string[];
  /** RCPT TO parameters, one list per accepted recipient. */
  rcptOptions: string[][];
  smtpUtf8: boolean;
  heloName: string | null;
  /** The message came inside TLS. */
  tls: boolean;
  /** The user that authenticated, if any. */
  authLogin: string | null;
}

export interface AiosmtpdMessage {
  /** The DATA bytes exactly as the server received them (dot-unstuffed, CRLF line ends, no final dot). */
  raw: Buffer;
  envelope: AiosmtpdEnvelope;
}

export interface AiosmtpdServer {
  host: string;
  /** The TCP port; 0 when listening on `socketPath`. */
  port: number;
  socketPath?: string;
  /** Every message received so far, oldest first. */
  messages(): Promise<AiosmtpdMessage[]>;
  /** Waits until at least `count` messages arrived (default: one more than now is not assumed; give it). */
  waitForMessages(count: number, timeoutMs?: number): Promise<AiosmtpdMessage[]>;
  /** The server's stderr so far (tracebacks), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** Whether aiosmtpd can run here; the reason is printed by tests that skip. */
export function aiosmtpdAvailable(): { ok: boolean; reason?: string } {
  if (!existsSync(PYTHON)) return { ok: false, reason: `${PYTHON} is missing (install python3-aiosmtpd)` };
  const r = spawnSync(PYTHON, ['-c', 'import aiosmtpd; print(aiosmtpd.__version__)'], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) return { ok: false, reason: `python3-aiosmtpd is not importable: ${(r.stderr || String(r.error ?? '')).trim().split('\n').pop()}` };
  return { ok: true };
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

export async function startAiosmtpd(opts: AiosmtpdOptions = {}): Promise<AiosmtpdServer> {
  const dir = await mkdtemp(join(tmpdir(), 'mxdesk-aiosmtpd-'));
  let tls: { certFile: string; keyFile: string } | undefined;
  if (opts.tls) {
    tls = { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') };
    await writeFile(tls.certFile, opts.tls.cert);
    await writeFile(tls.keyFile, opts.tls.key, { mode: 0o600 });
  }
  // The config goes in a file (mode 600), not argv: it may hold the test user's password.
  const config = { lmtp: !!opts.lmtp, smtputf8: !!opts.smtputf8, hostname: opts.hostname, rcptReplies: opts.rcptReplies, dataReplies: opts.dataReplies, dataSizeLimit: opts.dataSizeLimit, socketPath: opts.socketPath, tls, auth: opts.auth };
  const configFile = join(dir, 'config.json');
  await writeFile(configFile, JSON.stringify(config), { mode: 0o600 });
  // stdin stays a pipe: when this process dies without stopping the server, its stdin closes and it exits.
  const child = spawn(PYTHON, [SCRIPT, dir, configFile], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    if (stderr.length < 64 * 1024) stderr += d;
  });
  const cleanup = async (): Promise<void> => {
    child.stdin?.end();
    if (!(await waitForExit(child, 0))) child.kill('SIGTERM');
    if (!(await waitForExit(child, 3000))) {
      child.kill('SIGKILL');
      await waitForExit(child, 3000);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const timeoutMs = opts.startTimeoutMs ?? 10_000;
  const lines = createInterface({ input: child.stdout! });
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`aiosmtpd did not print READY within ${timeoutMs} ms\n${stderr}`)), timeoutMs);
      lines.on('line', (line) => {
        const m = /^READY (\d+)$/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`aiosmtpd exited before it was ready (${code ?? signal})\n${stderr}`));
      });
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  } catch (e) {
    await cleanup();
    throw e;
  }

  const messages = async (): Promise<AiosmtpdMessage[]> => {
    const names = (await readdir(dir)).filter((n) => /^\d+\.json$/.test(n)).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    // N.eml is renamed into place before N.json, so a listed json always has its eml.
    return Promise.all(
      names.map(async (n) => {
        const base = n.slice(0, -'.json'.length);
        const [raw, meta] = await Promise.all([readFile(join(dir, `${base}.eml`)), readFile(join(dir, n), 'utf8')]);
        return { raw, envelope: JSON.parse(meta) as AiosmtpdEnvelope };
      }),
    );
  };

  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    socketPath: opts.socketPath,
    messages,
    async waitForMessages(count, ms = 5000) {
      const until = Date.now() + ms;
      let got = await messages();
      while (got.length < count && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 25));
        got = await messages();
      }
      return got;
    },
    log: () => stderr,
    async stop() {
      if (stopped) return;
      stopped = true;
      lines.close();
      await cleanup();
    },
  };
}
