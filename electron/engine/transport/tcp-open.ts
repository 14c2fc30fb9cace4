// One plain connection (to a proxy or a UNIX socket) with a deadline and cancellation, resolving with the
// socket or a plain-words error. Used where Happy Eyeballs does not apply.
import { connect as netConnect, type NetConnectOpts, type Socket } from 'node:net';
import { formatMs } from '../deadline';
import { describeSocketError } from '../connector';

export type OpenResult = { ok: true; socket: Socket } | { ok: false; code: string; error: string; cancelled?: boolean };

export function openSocket(opts: NetConnectOpts, timeoutMs: number, signal?: AbortSignal): Promise<OpenResult> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve({ ok: false, code: 'ABORT', error: 'cancelled', cancelled: true });
    const socket = netConnect(opts);
    const done = (r: OpenResult): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('connect');
      socket.removeAllListeners('error');
      if (!r.ok) socket.destroy();
      else socket.on('error', () => undefined);
      resolve(r);
    };
    const onAbort = (): void => done({ ok: false, code: 'ABORT', error: 'cancelled', cancelled: true });
    const timer = setTimeout(() => done({ ok: false, code: 'ETIMEDOUT', error: `no answer within ${formatMs(timeoutMs)}` }), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', (e: NodeJS.ErrnoException) => done({ ok: false, code: e.code ?? 'ERROR', error: describeSocketError(e.code, e.message) }));
    socket.once('connect', () => done({ ok: true, socket }));
  });
}
