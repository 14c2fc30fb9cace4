// Streams the message to the socket: through DataEncoder (DATA: CRLF + dot-stuffing + terminator) or
// CrlfNormalizer (BDAT: exact byte count announced in the command). Writes are batched (~64 KiB) and every
// full socket buffer is waited out with the data-block deadline (RFC 5321 §4.5.3.2.5): a server that stops
// reading cannot hold the session forever, and memory stays bounded whatever the message size.
import type { Socket } from 'node:net';
import { CrlfNormalizer, DataEncoder } from '../../shared/smtp/data-encoder';
import type { WireCommand } from '../../shared/smtp/commands';
import { escapeForDisplay } from '../../shared/smtp/escape';
import { withDeadline } from './deadline';
import type { MessageSource } from './message';

export const WRITE_BATCH_BYTES = 64 * 1024;
const PREVIEW_BYTES = 400;

export interface BodyWriteOptions {
  socket: Socket;
  method: 'DATA' | 'BDAT';
  /** BDAT: the command, written just before the bytes. */
  bdat?: WireCommand;
  /** BDAT: the size announced in the command; exactly this many bytes must follow. */
  bdatSize?: number;
  source: MessageSource;
  dataBlockMs: number;
  signal?: AbortSignal;
}

export interface BodyWriteResult {
  /** Bytes of the message on the wire (stuffing and terminator included for DATA; BDAT: the chunk). */
  bytes: number;
  lines: number;
  preview: string;
  truncated: boolean;
}

export class BodySizeMismatchError extends Error {
  constructor(announced: number, actual: number) {
    super(`The message changed size while being sent (BDAT announced ${announced} bytes, ${actual} were produced); the connection was closed so the server discards it.`);
    this.name = 'BodySizeMismatchError';
  }
}

export class SocketClosedError extends Error {
  constructor() {
    super('The connection closed while the message was being sent.');
    this.name = 'SocketClosedError';
  }
}

function waitDrain(socket: Socket): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const cleanup = (): void => {
      socket.off('drain', onDrain);
      socket.off('close', onClose);
    };
    const onDrain = (): void => {
      cleanup();
      resolve();
    };
    const onClose = (): void => {
      cleanup();
      reject(new SocketClosedError());
    };
    socket.on('drain', onDrain);
    socket.on('close', onClose);
  });
}

export function previewText(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString('utf8')
    .split('\r\n')
    .map((l) => escapeForDisplay(l))
    .join('\n');
}

export async function writeBody(opts: BodyWriteOptions): Promise<BodyWriteResult> {
  const { socket } = opts;
  const enc = opts.method === 'DATA' ? new DataEncoder() : new CrlfNormalizer();
  let batch: Uint8Array[] = [];
  let batchLen = 0;
  let bodyBytes = 0;
  const head: Uint8Array[] = [];
  let headLen = 0;

  const write = async (buf: Uint8Array): Promise<void> => {
    if (socket.destroyed || !socket.writable) throw new SocketClosedError();
    if (!socket.write(buf)) await withDeadline(waitDrain(socket), 'dataBlockMs', opts.dataBlockMs, opts.signal, () => socket.destroy());
  };
  const flush = async (): Promise<void> => {
    if (batchLen === 0) return;
    const buf = batch.length === 1 ? batch[0] : Buffer.concat(batch, batchLen);
    batch = [];
    batchLen = 0;
    await write(buf);
  };
  const add = async (bytes: Uint8Array): Promise<void> => {
    if (bytes.length === 0) return;
    bodyBytes += bytes.length;
    if (opts.method === 'BDAT' && opts.bdatSize !== undefined && bodyBytes > opts.bdatSize) throw new BodySizeMismatchError(opts.bdatSize, bodyBytes);
    if (headLen < PREVIEW_BYTES) {
      const take = bytes.subarray(0, PREVIEW_BYTES - headLen);
      head.push(take);
      headLen += take.length;
    }
    batch.push(bytes);
    batchLen += bytes.length;
    if (batchLen >= WRITE_BATCH_BYTES) await flush();
  };

  if (opts.bdat) {
    batch.push(Buffer.from(opts.bdat.wire, 'utf8'));
    batchLen += batch[0].length;
  }
  for await (const chunk of opts.source.open()) {
    if (opts.signal?.aborted) throw new Error('cancelled');
    await add(enc.push(chunk));
  }
  await add(enc.end());
  if (opts.method === 'BDAT' && opts.bdatSize !== undefined && bodyBytes !== opts.bdatSize) throw new BodySizeMismatchError(opts.bdatSize, bodyBytes);
  await flush();
  const previewBytes = Buffer.concat(head, headLen);
  return { bytes: bodyBytes, lines: enc.stats.lines, preview: previewText(previewBytes), truncated: bodyBytes > headLen };
}
