// Third-party proxies from Debian, started privately on a free loopback port: microsocks (SOCKS5, RFC 1928)
// and tinyproxy (HTTP CONNECT). Each runs in the foreground as a child of the test and is stopped by its pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

export interface RealProxy {
  port: number;
  /** What the proxy printed (its log), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export const MICROSOCKS = '/usr/bin/microsocks';
export const TINYPROXY = '/usr/bin/tinyproxy';

/** Undefined when both are installed; otherwise the reason to print when skipping. */
export function realProxiesMissing(): string | undefined {
  const missing = [MICROSOCKS, TINYPROXY].filter((b) => !existsSync(b));
  return missing.length ? `not installed: ${missing.join(', ')} (Debian packages microsocks, tinyproxy-bin)` : undefined;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

async function startChild(cmd: string, args: (port: number) => Promise<string[]>, cleanup?: () => Promise<void>): Promise<RealProxy> {
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const argv = await args(port);
    const child: ChildProcess = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const until = Date.now() + 5000;
    let up = false;
    while (!up && child.exitCode === null && Date.now() < until) {
      up = await listening(port);
      if (!up) await new Promise((r) => setTimeout(r, 25));
    }
    if (up) {
      return {
        port,
        output: () => out,
        async stop() {
          if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGTERM');
          await exited;
          await cleanup?.();
        },
      };
    }
    if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
    await exited;
    lastError = out;
  }
  await cleanup?.();
  throw new Error(`${cmd} did not start listening: ${lastError}`);
}

/** microsocks on 127.0.0.1 (no authentication); it resolves names itself (socks5h://). */
export function startMicrosocks(): Promise<RealProxy> {
  return startChild(MICROSOCKS, async (port) => ['-i', '127.0.0.1', '-p', String(port)]);
}

/** tinyproxy on 127.0.0.1, loopback clients allowed; `connectPorts` limits CONNECT (none: every port). */
export async function startTinyproxy(opts: { connectPorts?: number[] } = {}): Promise<RealProxy> {
  const dir = await mkdtemp(join(tmpdir(), 'mxdesk-tinyproxy-'));
  const conf = join(dir, 'tinyproxy.conf');
  return startChild(
    TINYPROXY,
    async (port) => {
      const lines = [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 30', 'MaxClients 20', 'LogLevel Info', 'Allow 127.0.0.1', 'User nobody', 'Group nogroup'];
      for (const p of opts.connectPorts ?? []) lines.push(`ConnectPort ${p}`);
      await writeFile(conf, `${lines.join('\n')}\n`);
      return ['-d', '-c', conf];
    },
    () => rm(dir, { recursive: true, force: true }),
  );
}
