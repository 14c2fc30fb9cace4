// Exports of a session as the app makes them (journal, then the store's exportSession), and a runner for the
// exported scripts with the real tools. The runner is asynchronous: the peers the scripts talk to live in the
// test's own process, so a blocking spawn would stall them.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStoreMethods } from '../../electron/host/store-methods';
import { createJournalSink } from '../../electron/store/journal';
import type { SessionEventBody } from '../../shared/events';
import type { SessionRequest } from '../../shared/model';
import type { ExportFormat } from '../../shared/store-model';
import { stamp } from './sample-session';
import { memorySecrets, value } from './store-fixtures';

/** Journals one finished session in a fresh data dir; `text(format)` is the export the user would save. */
export function journalSession(req: SessionRequest, events: SessionEventBody[], id = 's-export'): { dir: string; text(format: ExportFormat): Promise<string> } {
  const dir = mkdtempSync(join(tmpdir(), 'mxdesk-export-run-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const sink = createJournalSink(dir);
  sink.begin(id, req);
  for (const e of stamp(id, events)) sink.onEvent(e);
  const api = createStoreMethods({ dataDir: dir, secrets: memorySecrets(), journal: sink });
  return { dir, text: async (format) => value(await api.exportSession({ id, format })).content };
}

/** Runs a shell script with the system's tools only (PATH /usr/bin:/bin), bounded to 20 s. */
export function runScript(script: string, cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', script], { cwd, env: { PATH: '/usr/bin:/bin', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, output });
    });
  });
}
