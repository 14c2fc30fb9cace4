// Message files for `mxdesk send`: `--raw @FILE`, and `--body @FILE` when the body is large, are streamed
// from the file on every pass (measuring, then sending) instead of being read into a string, so a 20 MiB
// message costs the CLI a 64 KiB buffer rather than two whole copies. The checks the shared validators
// would make on the text (a NUL, an empty raw message) are made here on the file, in one streamed pass,
// so that bad input still stops with exit 2 before anything connects.
import { stat } from 'node:fs/promises';
import { fileMessageSource } from '../engine/message';
import type { ArgError } from './args';

export interface FileCheck {
  /** Only a regular file gives the same bytes on every read (a FIFO or /dev/stdin does not). */
  regular: boolean;
  size: number;
}

function readError(flag: string, path: string, e: unknown): ArgError {
  const code = (e as NodeJS.ErrnoException).code ?? 'error';
  return { field: flag, message: `cannot read ${JSON.stringify(path)} (${code})` };
}

export async function statMessageFile(flag: string, path: string): Promise<{ ok: true; file: FileCheck } | { ok: false; error: ArgError }> {
  try {
    const s = await stat(path);
    return { ok: true, file: { regular: s.isFile(), size: s.size } };
  } catch (e) {
    return { ok: false, error: readError(flag, path, e) };
  }
}

function isSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

/**
 * One streamed pass over a message file: refuses a NUL (RFC 5321 §4.5.2: never sent raw) and, with
 * `requireText`, a file of nothing but white space (the raw message would be empty).
 */
export async function checkMessageFile(flag: string, path: string, label: string, requireText: boolean): Promise<ArgError | undefined> {
  let offset = 0;
  let sawText = !requireText;
  try {
    // The same lent-buffer reader the engine uses: one buffer for the whole pass, no garbage per read.
    for await (const chunk of fileMessageSource(path).open()) {
      const nul = chunk.indexOf(0);
      if (nul !== -1) return { field: flag, message: `${label} contains a NUL byte at offset ${offset + nul}; NUL is never sent in a message. Remove it.` };
      for (let i = 0; !sawText && i < chunk.length; i++) if (!isSpace(chunk[i])) sawText = true;
      offset += chunk.length;
    }
  } catch (e) {
    return readError(flag, path, e);
  }
  return sawText ? undefined : { field: flag, message: `${label} is empty.` };
}

/**
 * The draft of a file-backed raw message carries this stand-in instead of the file's text: the validators
 * need a raw text, and the bytes that are measured and sent come from the file (StartOptions.messageSource).
 */
export function rawFileStandIn(path: string): string {
  return `(raw message streamed from ${path})`;
}
