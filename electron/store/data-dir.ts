import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * One layout for both hosts. Electron passes `app.getPath('userData')`, web mode its `--data-dir`; nothing
 * below knows which. Files are private to the user (0700 directory, 0600 files).
 */
export interface DataPaths {
  root: string;
  draft: string;
  settings: string;
  profiles: string;
  /** Encrypted passwords (safeStorage ciphertext only). */
  secrets: string;
  /** One append-only JSONL journal per session, plus its `.request.json`. */
  history: string;
}

export function dataPaths(dataDir: string): DataPaths {
  const root = resolve(dataDir);
  return {
    root,
    draft: join(root, 'draft.json'),
    settings: join(root, 'settings.json'),
    profiles: join(root, 'profiles.json'),
    secrets: join(root, 'secrets.json'),
    history: join(root, 'history'),
  };
}

export async function ensureDataDir(dataDir: string): Promise<DataPaths> {
  const paths = dataPaths(dataDir);
  await fs.mkdir(paths.history, { recursive: true, mode: 0o700 });
  return paths;
}

/**
 * Web mode's directory: `--data-dir` when given (relative to the working directory), otherwise
 * `$XDG_DATA_HOME/mxdesk-web` (default `~/.local/share/mxdesk-web`), apart from the Electron app's userData.
 */
export function webDataDir(flag: string | undefined, env: Record<string, string | undefined> = process.env): string {
  if (flag && flag.trim() !== '') return resolve(flag);
  const xdg = env.XDG_DATA_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.local', 'share');
  return join(base, 'mxdesk-web');
}
