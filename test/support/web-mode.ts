import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface WebMode {
  url: string;
  port: number;
  token: string;
  /** Everything the server wrote to stdout so far (the contract: exactly one line). */
  stdout(): string;
  stop(): Promise<void>;
}

const ROOT = resolve(__dirname, '..', '..');
const LINE = /^MX Desk web mode: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))$/m;

/**
 * Spawns the built web mode (`node dist/web/server.js --port 0`) and resolves once it printed its URL.
 * Needs `npm run build` first. Without `dataDir` it gets a fresh temp dir, removed again by stop().
 */
export async function startWebMode(opts: { dns?: string; dataDir?: string; env?: Record<string, string> } = {}): Promise<WebMode> {
  const ownDir = opts.dataDir ? undefined : mkdtempSync(join(tmpdir(), 'mxdesk-web-'));
  const dataDir = opts.dataDir ?? ownDir!;
  const args = [join(ROOT, 'dist', 'web', 'server.js'), '--port', '0', '--data-dir', dataDir];
  if (opts.dns) args.push('--dns', opts.dns);
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | string | null>((r) => child.once('exit', (code, signal) => r(code ?? signal)));

  const match = await new Promise<RegExpExecArray>((resolveLine, reject) => {
    const timer = setTimeout(() => fail(new Error(`web mode printed no URL within 10 s; stderr: ${err}`)), 10_000);
    const fail = (e: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = LINE.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveLine(m);
      }
    });
    void exited.then((code) => fail(new Error(`web mode exited (${code}) before printing its URL; stderr: ${err}`)));
  });

  return {
    url: match[1],
    port: Number(match[2]),
    token: match[3],
    stdout: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
        const code = await exited;
        clearTimeout(kill);
        if (ownDir) rmSync(ownDir, { recursive: true, force: true });
        if (code !== 0) throw new Error(`web mode did not shut down cleanly on SIGTERM (exit ${code}); stderr: ${err}`);
      } else if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    },
  };
}
