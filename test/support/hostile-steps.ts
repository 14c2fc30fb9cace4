// The steps a hostile-server script is made of (test/support/hostile-server.ts plays them).
import type { SecureVersion } from 'node:tls';

export type HostileStep =
  | { op: 'send'; data: Uint8Array }
  | { op: 'expect'; pattern: RegExp }
  | { op: 'expectData'; keep: boolean }
  | { op: 'expectBdat' }
  | { op: 'delay'; ms: number }
  | { op: 'drip'; data: Uint8Array; intervalMs: number }
  | { op: 'flood'; totalBytes: number; line?: string }
  | { op: 'close' }
  | { op: 'reset' }
  | { op: 'startTls'; cert: string; key: string; minVersion?: SecureVersion; maxVersion?: SecureVersion; ciphers?: string }
  | { op: 'neverRead' };

const bytes = (data: string | Uint8Array): Uint8Array => (typeof data === 'string' ? Buffer.from(data, 'utf8') : data);

/** Write raw bytes (no CRLF is added). */
export const send = (data: string | Uint8Array): HostileStep => ({ op: 'send', data: bytes(data) });
/** One reply line or several: each string gets a CRLF. */
export const reply = (...lines: string[]): HostileStep => send(lines.map((l) => `${l}\r\n`).join(''));
/** Read one command line (up to CRLF) and check it against `pattern`; a mismatch is recorded and ends the script. */
export const expect = (pattern: RegExp): HostileStep => ({ op: 'expect', pattern });
/**
 * Read a DATA body up to and including the terminating CRLF.CRLF (RFC 5321 §4.1.1.4). It is kept in
 * `bodies` unless `keep` is false (for huge messages: then only its size is recorded).
 */
export const expectData = (opts: { keep?: boolean } = {}): HostileStep => ({ op: 'expectData', keep: opts.keep ?? true });
/** Read one `BDAT <n> [LAST]` command and its n octets (RFC 3030 §2). */
export const expectBdat = (): HostileStep => ({ op: 'expectBdat' });
export const delay = (ms: number): HostileStep => ({ op: 'delay', ms });
/** Send `data` one byte at a time, `intervalMs` apart. */
export const drip = (data: string | Uint8Array, intervalMs: number): HostileStep => ({ op: 'drip', data: bytes(data), intervalMs });
/**
 * Send `totalBytes` of junk as fast as the client reads it (server-side backpressure is respected, so the
 * flood is bounded and stops when the client goes away). `line` is repeated; default: one endless line.
 */
export const flood = (totalBytes: number, line?: string): HostileStep => ({ op: 'flood', totalBytes, line });
/** Half-close politely (FIN), then destroy. */
export const close = (): HostileStep => ({ op: 'close' });
/** Abort with a TCP RST. */
export const reset = (): HostileStep => ({ op: 'reset' });
/** Become the TLS server on this connection (after a 220 to STARTTLS, or first thing for implicit TLS). */
export const startTls = (opts: { cert: string; key: string; minVersion?: SecureVersion; maxVersion?: SecureVersion; ciphers?: string }): HostileStep => ({ op: 'startTls', ...opts });
/** Stop reading: the client's writes back up in the kernel buffers, then in its own. */
export const neverRead = (): HostileStep => ({ op: 'neverRead' });
