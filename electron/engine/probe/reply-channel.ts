// Reads SMTP replies from one socket for a probe: bytes go through the shared ReplyReader, each wait has an
// absolute deadline (a server that drips a byte a second does not extend it), and cancel ends the wait at
// once. Memory is bounded by the reader's caps (a 1 MB banner stops the reader at the line cap).
import type { Socket } from 'node:net';
import type { SmtpReply } from '../../../shared/smtp/reply-reader';
import { ReplyReader } from '../../../shared/smtp/reply-reader';
import { describeSocketError } from '../connector';
import { formatMs } from '../deadline';

export type ReplyWait = { ok: true; reply: SmtpReply; firstByteAt: number; at: number } | { ok: false; error: string; timedOut?: boolean; cancelled?: boolean };

/** Reply caps for probes: a banner or EHLO larger than this is hostile, not informative. */
export const PROBE_READER_LIMITS = { maxLineBytes: 4096, maxLinesPerReply: 100, maxTotalBytes: 256 * 1024 };

export class ReplyChannel {
  private readonly reader = new ReplyReader(PROBE_READER_LIMITS);
  private readonly queue: ReplyWait[] = [];
  private waiter: ((r: ReplyWait) => void) | undefined;
  private closed: string | undefined;
  private firstByteAt: number | undefined;
  /** Bytes that arrived when no reply was awaited (e.g. after the STARTTLS 220, before the handshake). */
  unexpectedBytes = 0;

  constructor(
    readonly socket: Socket,
    private readonly now: () => number,
  ) {
    socket.on('data', this.onData);
    socket.once('error', (e: NodeJS.ErrnoException) => this.onClose(describeSocketError(e.code, e.message)));
    socket.once('close', () => this.onClose('the server closed the connection'));
  }

  private readonly onData = (chunk: Buffer): void => {
    const t = this.now();
    if (!this.waiter && this.queue.length === 0) this.unexpectedBytes += chunk.length;
    this.firstByteAt ??= t;
    for (const item of this.reader.push(chunk)) {
      if (item.kind === 'reply') this.deliver({ ok: true, reply: item.reply, firstByteAt: this.firstByteAt ?? t, at: t });
      else this.deliver({ ok: false, error: item.raw ? `${item.message} (${item.raw})` : item.message });
      this.firstByteAt = undefined;
    }
    if (this.reader.stopped) this.socket.destroy();
  };

  private onClose(why: string): void {
    if (this.closed) return;
    this.closed = why;
    for (const item of this.reader.end()) if (item.kind === 'error') this.deliver({ ok: false, error: `${item.message} (${item.raw})` });
    this.deliver({ ok: false, error: why });
  }

  private deliver(r: ReplyWait): void {
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w(r);
    } else this.queue.push(r);
  }

  /** Stops listening (before the socket is handed to TLS). */
  detach(): void {
    this.socket.off('data', this.onData);
    this.socket.removeAllListeners('error');
    this.socket.removeAllListeners('close');
    this.socket.on('error', () => undefined);
  }

  /** The next reply, or a failure, within `ms` from now (absolute). */
  next(ms: number, what: string, signal: AbortSignal): Promise<ReplyWait> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.closed) return Promise.resolve({ ok: false, error: this.closed });
    return new Promise<ReplyWait>((resolve) => {
      const finish = (r: ReplyWait): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.waiter = undefined;
        resolve(r);
      };
      const timer = setTimeout(() => finish({ ok: false, error: `no ${what} within ${formatMs(ms)}`, timedOut: true }), ms);
      const onAbort = (): void => finish({ ok: false, error: 'cancelled', cancelled: true });
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiter = finish;
    });
  }

  write(text: string): void {
    if (!this.closed && !this.socket.destroyed) this.socket.write(text);
  }
}
