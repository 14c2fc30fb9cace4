// TCP connection set-up with Happy Eyeballs (RFC 8305): addresses are interleaved by family, IPv6 first, and a
// new attempt starts when the previous one fails or after a short stagger, whichever comes first. The first
// connection wins; the others are destroyed. Every attempt is reported, with its reason when it fails.
import { connect as netConnect, type Socket } from 'node:net';
import type { SessionEventBody } from '../../shared/events';
import { formatMs } from './deadline';
import { describeTlsAlert } from './transport/tls-alerts';

export interface ConnectAddress {
  address: string;
  family: 4 | 6;
}

export interface ConnectRequest {
  /** The host name the addresses belong to (for events; TLS uses it for SNI later). */
  host: string;
  addresses: ConnectAddress[];
  port: number;
  /** Per-attempt connect deadline. */
  timeoutMs: number;
  /** RFC 8305 §5 "Connection Attempt Delay"; default 250 ms. */
  staggerMs?: number;
  signal?: AbortSignal;
  onEvent?: (e: SessionEventBody) => void;
  /** Clock used for the `ms` of each attempt (default performance.now). */
  now?: () => number;
  /** Bind the local end to this address and/or port (swaks --local-interface). */
  localAddress?: string;
  localPort?: number;
}

export interface Connection {
  socket: Socket;
  address: string;
  family: 4 | 6;
  localAddress: string;
}

export interface ConnectFailure {
  address: string;
  family: 4 | 6;
  /** Plain words: "connection refused", "no answer within 5 s (packets dropped?)" … */
  error: string;
  code: string;
}

export type ConnectResult = { ok: true; connection: Connection; failures: ConnectFailure[] } | { ok: false; failures: ConnectFailure[]; cancelled: boolean };

export interface Connector {
  connect(req: ConnectRequest): Promise<ConnectResult>;
}

export const DEFAULT_STAGGER_MS = 250;

/** RFC 8305 §4: interleave families, starting with IPv6, keeping the order within each family. */
export function interleaveFamilies(addresses: ConnectAddress[]): ConnectAddress[] {
  const v6 = addresses.filter((a) => a.family === 6);
  const v4 = addresses.filter((a) => a.family === 4);
  const out: ConnectAddress[] = [];
  for (let i = 0; i < Math.max(v6.length, v4.length); i++) {
    if (i < v6.length) out.push(v6[i]);
    if (i < v4.length) out.push(v4[i]);
  }
  return out;
}

export function describeSocketError(code: string | undefined, message: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (nothing listens on that port)';
    case 'ECONNRESET':
      return 'connection reset by the peer';
    case 'EHOSTUNREACH':
      return 'host unreachable';
    case 'ENETUNREACH':
      return 'network unreachable (no route)';
    case 'EADDRNOTAVAIL':
      return 'address not available on this machine';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'EPIPE':
      return 'connection closed while writing';
    default:
      return describeTlsAlert(code, message) ?? (message || code || 'unknown socket error');
  }
}

export function createNetConnector(): Connector {
  return { connect: connectHappyEyeballs };
}

async function connectHappyEyeballs(req: ConnectRequest): Promise<ConnectResult> {
  const now = req.now ?? (() => performance.now());
  const order = interleaveFamilies(req.addresses);
  const failures: ConnectFailure[] = [];
  if (order.length === 0) return { ok: false, failures, cancelled: false };
  const stagger = req.staggerMs ?? DEFAULT_STAGGER_MS;

  return new Promise<ConnectResult>((resolve) => {
    const live = new Map<Socket, { timer: ReturnType<typeof setTimeout>; a: ConnectAddress }>();
    let next = 0;
    let staggerTimer: ReturnType<typeof setTimeout> | undefined;
    let settled = false;

    const finish = (r: ConnectResult): void => {
      if (settled) return;
      settled = true;
      if (staggerTimer) clearTimeout(staggerTimer);
      req.signal?.removeEventListener('abort', onAbort);
      for (const [s, { timer }] of live) {
        clearTimeout(timer);
        if (!r.ok || r.connection.socket !== s) s.destroy();
      }
      live.clear();
      resolve(r);
    };
    const onAbort = (): void => finish({ ok: false, failures, cancelled: true });
    req.signal?.addEventListener('abort', onAbort, { once: true });
    if (req.signal?.aborted) return onAbort();

    const nextLabel = (): string | undefined => (next < order.length ? `trying ${order[next].address} next` : undefined);

    const startNext = (): void => {
      if (settled) return;
      if (staggerTimer) clearTimeout(staggerTimer);
      staggerTimer = undefined;
      if (next >= order.length) {
        if (live.size === 0) finish({ ok: false, failures, cancelled: false });
        return;
      }
      const a = order[next++];
      const started = now();
      req.onEvent?.({ kind: 'connect_attempt', host: req.host, address: a.address, port: req.port, family: a.family });
      const socket = netConnect({ host: a.address, port: req.port, family: a.family, noDelay: true, localAddress: req.localAddress, localPort: req.localPort });
      const fail = (code: string, error: string): void => {
        const entry = live.get(socket);
        if (!entry) return;
        clearTimeout(entry.timer);
        live.delete(socket);
        socket.destroy();
        failures.push({ address: a.address, family: a.family, error, code });
        req.onEvent?.({ kind: 'connect_result', host: req.host, address: a.address, port: req.port, ok: false, ms: now() - started, error, next: nextLabel() });
        // RFC 8305 §5: a failure starts the next attempt at once instead of waiting for the stagger.
        startNext();
      };
      const timer = setTimeout(() => fail('ETIMEDOUT', `no answer within ${formatMs(req.timeoutMs)} (packets dropped? a firewall or black hole)`), req.timeoutMs);
      live.set(socket, { timer, a });
      socket.once('error', (e: NodeJS.ErrnoException) => fail(e.code ?? 'ERROR', describeSocketError(e.code, e.message)));
      socket.once('connect', () => {
        const entry = live.get(socket);
        if (!entry || settled) return;
        clearTimeout(entry.timer);
        live.delete(socket);
        socket.removeAllListeners('error');
        // Keep a listener until the conversation attaches its own, so a late error can't crash the process.
        socket.on('error', () => undefined);
        req.onEvent?.({ kind: 'connect_result', host: req.host, address: a.address, port: req.port, ok: true, ms: now() - started });
        finish({ ok: true, connection: { socket, address: a.address, family: a.family, localAddress: socket.localAddress ?? '' }, failures });
      });
      if (next < order.length) staggerTimer = setTimeout(startNext, stagger);
    };
    startNext();
  });
}
