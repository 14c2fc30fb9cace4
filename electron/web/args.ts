import { homedir } from 'node:os';
import { join } from 'node:path';

export interface WebArgs {
  port: number;
  dns?: string;
  dataDir: string;
}

/**
 * Web mode's default data directory: `$XDG_DATA_HOME/mxdesk/web` (XDG Base Directory spec; falls back to
 * `~/.local/share`). Persistent on purpose, so drafts and history survive a restart, and apart from the
 * Electron app's userData so the two never write the same files at once.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(base, 'mxdesk', 'web');
}

export function parseWebArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): { ok: true; args: WebArgs } | { ok: false; message: string } {
  const args: WebArgs = { port: 0, dataDir: defaultDataDir(env) };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const [name, inline] = flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const take = (): string | undefined => {
      if (inline !== undefined) return inline;
      i++;
      return value;
    };
    if (name === '--port') {
      const v = take();
      if (v === undefined || !/^\d{1,5}$/.test(v) || Number(v) > 65535) return { ok: false, message: '--port needs a number from 0 to 65535 (0 picks a free port).' };
      args.port = Number(v);
    } else if (name === '--dns') {
      const v = take();
      if (!v || !/^[A-Za-z0-9.:[\]-]+$/.test(v)) return { ok: false, message: '--dns needs HOST[:PORT], e.g. 127.0.0.1:5353.' };
      args.dns = v;
    } else if (name === '--data-dir') {
      const v = take();
      if (!v) return { ok: false, message: '--data-dir needs a directory.' };
      args.dataDir = v;
    } else {
      return { ok: false, message: `Unknown option ${flag}. Options: --port N, --dns HOST[:PORT], --data-dir DIR.` };
    }
  }
  return { ok: true, args };
}
