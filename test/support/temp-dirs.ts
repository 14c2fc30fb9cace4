import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/**
 * Fresh temp dirs named `<prefix>XXXXXX`, every one removed in an `after` hook registered here: call it at
 * the top of a test file (the hook then runs once that file's tests are done) and call the result as often
 * as a test needs a dir.
 */
export function tempDirs(prefix: string): () => string {
  const made: string[] = [];
  after(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    made.push(d);
    return d;
  };
}
