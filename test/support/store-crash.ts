// Runs test/support/store-crash-child.ts and kills it with SIGKILL at a chosen moment. The child is
// bundled once with esbuild (the same transform tsx applies) and started with plain node: a tsx start
// costs ~0.3–1.5 s, which fifty kills cannot afford.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

export async function bundleCrashChild(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'mxdesk-child-'));
  // The bundle is used until the test process ends (the children run it): removed then.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'store-crash-child.mjs');
  await build({
    entryPoints: [join(__dirname, 'store-crash-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return out;
}

export interface KillRun {
  /** Every stdout line the child wrote before it died. */
  lines: string[];
  signal: NodeJS.Signals | null;
}

/**
 * Start the child, wait for its "ready" line, let it work `delayMs` more, then SIGKILL it. Resolves once
 * the process is gone (nothing is left running).
 */
export function runAndKill(script: string, args: string[], delayMs: number): Promise<KillRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let buf = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const guard = setTimeout(() => child.kill('SIGKILL'), 15_000); // never leave it running
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buf += chunk;
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (line === 'ready' && !timer) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    // 'close', not 'exit': every line the child wrote has been read by then.
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child ended by itself (code ${code}): ${stderr.slice(0, 500)}`));
      else resolve({ lines, signal });
    });
  });
}
