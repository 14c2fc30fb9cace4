// Streams the message to the socket: through DataEncoder (DATA: CRLF + dot-stuffing + terminator) or
// CrlfNormalizer (BDAT: exact byte count announced in the command). Writes are batched (64 KiB, one reused
// buffer) and every full socket buffer is waited out with the data-block deadline (RFC 5321 §4.5.3.2.5): a
// server that stops reading cannot hold the session forever, and memory stays bounded whatever the size.
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

/**
 * One reusable buffer of WRITE_BATCH_BYTES between the encoder and the socket: the message's chunks are
 * copied in (a chunk is only lent by the source, see MessageSource) and written in full batches. A write the
 * socket cannot take at once is waited out ('drain', with the RFC 5321 §4.5.3.2.5 deadline), and the buffer
 * is refilled only once the socket has handed its last write to the kernel (the write callback). So memory
 * is one batch, and no garbage is made per chunk however large the message. Nothing waits after the last
 * write: the body is then complete, and the server's reply may follow at once.
 */
class BatchWriter {
  private readonly buf = Buffer.allocUnsafeSlow(WRITE_BATCH_BYTES);
  private fill = 0;
  /** The last write of `buf`, settled once the socket no longer needs the bytes. */
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly dataBlockMs: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  private guard(work: Promise<void>): Promise<void> {
    return withDeadline(work, 'dataBlockMs', this.dataBlockMs, this.signal, () => this.socket.destroy());
  }

  async add(bytes: Uint8Array): Promise<void> {
    let from = 0;
    while (from < bytes.length) {
      if (this.inFlight) {
        // Normally settled already: 'drain' follows the write callbacks.
        await this.guard(this.inFlight);
        this.inFlight = undefined;
      }
      const take = Math.min(bytes.length - from, this.buf.length - this.fill);
      this.buf.set(from === 0 && take === bytes.length ? bytes : bytes.subarray(from, from + take), this.fill);
      this.fill += take;
      from += take;
      if (this.fill === this.buf.length) await this.flush();
    }
  }

  async flush(): Promise<void> {
    if (this.fill === 0) return;
    const socket = this.socket;
    if (socket.destroyed || !socket.writable) throw new SocketClosedError();
    let handed!: () => void;
    let lost!: () => void;
    const written = new Promise<void>((resolve, reject) => {
      handed = resolve;
      lost = () => reject(new SocketClosedError());
    });
    written.catch(() => undefined); // a failed write also closes the socket, which the drain wait reports
    this.inFlight = written;
    const more = socket.write(this.buf.subarray(0, this.fill), (err) => (err ? lost() : handed()));
    this.fill = 0;
    if (!more) await this.guard(waitDrain(socket));
  }
}

export async function writeBody(opts: BodyWriteOptions): Promise<BodyWriteResult> {
  // `lend`: what the encoder returns is copied into the batch before the next push.
  const enc = opts.method === 'DATA' ? new DataEncoder({ lend: true }) : new CrlfNormalizer({ lend: true });
  const out = new BatchWriter(opts.socket, opts.dataBlockMs, opts.signal);
  let bodyBytes = 0;
  const head: Uint8Array[] = [];
  let headLen = 0;

  const add = async (bytes: Uint8Array): Promise<void> => {
    if (bytes.length === 0) return;
    bodyBytes += bytes.length;
    if (opts.method === 'BDAT' && opts.bdatSize !== undefined && bodyBytes > opts.bdatSize) throw new BodySizeMismatchError(opts.bdatSize, bodyBytes);
    if (headLen < PREVIEW_BYTES) {
      const take = Buffer.from(bytes.subarray(0, PREVIEW_BYTES - headLen)); // a copy: the chunk is only lent
      head.push(take);
      headLen += take.length;
    }
    await out.add(bytes);
  };

  // BDAT: the command rides in the same write as the first bytes of the message (RFC 3030 §2).
  if (opts.bdat) await out.add(Buffer.from(opts.bdat.wire, 'utf8'));
  for await (const chunk of opts.source.open()) {
    if (opts.signal?.aborted) throw new Error('cancelled');
    await add(enc.push(chunk));
  }
  await add(enc.end());
  if (opts.method === 'BDAT' && opts.bdatSize !== undefined && bodyBytes !== opts.bdatSize) throw new BodySizeMismatchError(opts.bdatSize, bodyBytes);
  await out.flush();
  const previewBytes = Buffer.concat(head, headLen);
  return { bytes: bodyBytes, lines: enc.stats.lines, preview: previewText(previewBytes), truncated: bodyBytes > headLen };
}
