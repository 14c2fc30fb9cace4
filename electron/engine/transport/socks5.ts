// A tunnel through a SOCKS5 proxy (RFC 1928), spoken by the `socks` package over a socket we opened (so that
// our deadline and cancel apply). socks5:// resolves names here; socks5h:// hands the name to the proxy.
import type { Socket } from 'node:net';
import { SocksClient } from 'socks';
import type { ParsedProxy } from '../../../shared/validate/transport';
import { openSocket } from './tcp-open';

export type TunnelResult = { ok: true; socket: Socket } | { ok: false; code: string; error: string; cancelled?: boolean };

export async function socks5Tunnel(proxy: ParsedProxy, dest: { host: string; port: number }, timeoutMs: number, signal?: AbortSignal): Promise<TunnelResult> {
  const label = `SOCKS5 proxy ${proxy.host}:${proxy.port}`;
  const opened = await openSocket({ host: proxy.host, port: proxy.port, noDelay: true }, timeoutMs, signal);
  if (!opened.ok) return { ...opened, error: `${label}: ${opened.error}` };
  const sock = opened.socket;
  const onAbort = (): void => void sock.destroy();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // RFC 1929 username/password auth when a user is given (the password is empty: none is ever taken in a URL).
    const { socket } = await SocksClient.createConnection({
      proxy: { host: proxy.host, port: proxy.port, type: 5, ...(proxy.user ? { userId: proxy.user, password: '' } : {}) },
      command: 'connect',
      destination: dest,
      timeout: timeoutMs,
      existing_socket: sock,
    });
    return { ok: true, socket: socket as Socket };
  } catch (e) {
    sock.destroy();
    if (signal?.aborted) return { ok: false, code: 'ABORT', error: 'cancelled', cancelled: true };
    const msg = (e as Error).message.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
    return { ok: false, code: 'EPROXY', error: `${label} could not open a tunnel to ${dest.host}:${dest.port}: ${msg}` };
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
