import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Result } from '../../shared/result';
import type { StoreRecovery } from '../../shared/store-model';

/**
 * Crash-safe small files. A write never touches the live file in place: the new bytes go to a temp file in
 * the same directory (so rename stays on one filesystem), are fsynced, the current generation is hard-linked
 * to `NAME.prev`, the temp file is renamed over `NAME`, and the directory is fsynced so the rename itself is
 * durable. At every instant `NAME` is either the old or the new generation, never a torn mix.
 */

const TEMP_MARK = '.tmp-';

export function prevPath(file: string): string {
  return `${file}.prev`;
}

/** `2026-05-01T12-30-00.123Z`: ISO 8601 with the colons Windows forbids in file names replaced. */
export function fileTimestamp(date = new Date()): string {
  return date.toISOString().replace(/:/g, '-');
}

async function fsyncDir(dir: string): Promise<void> {
  // Linux needs this for the rename to survive power loss; Windows cannot open a directory: best effort.
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // not supported here
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

async function writeSynced(path: string, data: string | Uint8Array, mode: number): Promise<void> {
  const handle = await fs.open(path, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Keep the current generation as `NAME.prev` without ever removing `NAME` (hard link, copy as fallback). */
async function keepPrevious(file: string): Promise<void> {
  const tmpPrev = `${file}.prev${TEMP_MARK}${randomBytes(6).toString('hex')}`;
  try {
    await fs.link(file, tmpPrev);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // first write: nothing to keep
    try {
      await fs.copyFile(file, tmpPrev);
      const h = await fs.open(tmpPrev, 'r+');
      await h.sync().finally(() => h.close());
    } catch {
      await fs.rm(tmpPrev, { force: true });
      return;
    }
  }
  await fs.rename(tmpPrev, prevPath(file));
  // POSIX rename() does nothing when both names already link the same file (NAME and NAME.prev share it
  // after a crash between the two renames), leaving the temp link behind.
  await fs.rm(tmpPrev, { force: true });
}

const queues = new Map<string, Promise<unknown>>();

/** Writes to one path run one after another, in call order, so generations never overtake each other. */
function serialise<T>(file: string, job: () => Promise<T>): Promise<T> {
  const before = queues.get(file) ?? Promise.resolve();
  const run = before.then(job, job);
  const tail = run.catch(() => undefined);
  queues.set(file, tail);
  void tail.then(() => {
    if (queues.get(file) === tail) queues.delete(file);
  });
  return run;
}

const cleaned = new Set<string>();

/**
 * The first write to a path in this process first removes temp files a killed writer left behind (inside
 * the queue, so no temp of ours is in flight). One process writes a store at a time (single-instance lock).
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, opts: { mode?: number } = {}): Promise<void> {
  return serialise(file, async () => {
    const dir = dirname(file);
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    if (!cleaned.has(file)) {
      cleaned.add(file);
      await removeStaleTemps(file);
    }
    const tmp = `${file}${TEMP_MARK}${process.pid}-${randomBytes(6).toString('hex')}`;
    try {
      await writeSynced(tmp, data, opts.mode ?? 0o600);
      await keepPrevious(file);
      await fs.rename(tmp, file);
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err;
    }
    await fsyncDir(dir);
  });
}

/** Remove temp files a killed writer left behind. Never call it while a write to `file` is in flight. */
export async function removeStaleTemps(file: string): Promise<number> {
  const dir = dirname(file);
  const prefixes = [`${basename(file)}${TEMP_MARK}`, `${basename(file)}.prev${TEMP_MARK}`];
  let removed = 0;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (prefixes.some((p) => name.startsWith(p))) {
      await fs.rm(join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}

type Attempt<T> = { kind: 'missing' } | { kind: 'ok'; value: T } | { kind: 'corrupt'; why: string };

async function attempt<T>(path: string, parse: (raw: unknown) => Result<T>): Promise<Attempt<T>> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'corrupt', why: `unreadable (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { kind: 'corrupt', why: 'not valid JSON' };
  }
  const parsed = parse(raw);
  return parsed.ok ? { kind: 'ok', value: parsed.value } : { kind: 'corrupt', why: parsed.error.message };
}

/** Move a bad file aside as `NAME.corrupt-<timestamp>` beside the store; returns the new name. */
export async function quarantine(path: string, now = new Date()): Promise<string> {
  let target = `${path}.corrupt-${fileTimestamp(now)}`;
  for (let i = 1; await exists(target); i++) target = `${path}.corrupt-${fileTimestamp(now)}-${i}`;
  await fs.rename(path, target);
  return basename(target);
}

async function exists(path: string): Promise<boolean> {
  return fs.access(path).then(
    () => true,
    () => false,
  );
}

export interface StoreRead<T> {
  value: T;
  /** Which generation was read; `missing` when neither file exists (a first start). */
  source: 'file' | 'prev' | 'defaults' | 'missing';
  recovery: StoreRecovery | null;
}

/**
 * Read `NAME`, falling back to `NAME.prev`, then to the defaults. A file that does not parse or fails the
 * schema is quarantined, never deleted and never fatal, so the app always starts.
 */
export async function readJsonStore<T>(file: string, parse: (raw: unknown) => Result<T>, defaults: () => T, what: string): Promise<StoreRead<T>> {
  const quarantined: string[] = [];
  const main = await attempt(file, parse);
  if (main.kind === 'ok') return { value: main.value, source: 'file', recovery: null };
  if (main.kind === 'corrupt') quarantined.push(await quarantine(file));
  const prev = await attempt(prevPath(file), parse);
  if (prev.kind === 'ok') {
    const recovery = main.kind === 'corrupt' ? { source: 'prev' as const, quarantined, message: `The ${what} file was damaged (${main.why}); the previous save was restored.` } : null;
    return { value: prev.value, source: 'prev', recovery };
  }
  if (prev.kind === 'corrupt') quarantined.push(await quarantine(prevPath(file)));
  if (quarantined.length === 0) return { value: defaults(), source: 'missing', recovery: null };
  const why = main.kind === 'corrupt' ? main.why : prev.kind === 'corrupt' ? prev.why : 'damaged';
  return {
    value: defaults(),
    source: 'defaults',
    recovery: { source: 'defaults', quarantined, message: `The ${what} file was damaged (${why}); it was set aside and defaults are used.` },
  };
}
