import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';

/**
 * A UDP forwarder that holds every datagram D ms in each direction, turning loopback into a link with a
 * 2·D ms round trip. Used to count a DNS client's sequential round trips by its wall time.
 * Each client address gets its own upstream socket, so replies find their way back.
 */
export interface UdpDelayProxy {
  port: number;
  /** `127.0.0.1:PORT` */
  server: string;
  /** Datagrams forwarded client → target so far. */
  readonly forwarded: number;
  stop(): Promise<void>;
}

export async function startUdpDelayProxy(target: { host: string; port: number }, delayMs: number): Promise<UdpDelayProxy> {
  const front = createSocket('udp4');
  const upstreams = new Map<string, Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let forwarded = 0;
  let stopped = false;
  const later = (fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!stopped) fn();
    }, delayMs);
    timers.add(t);
  };

  front.on('message', (msg, client) => {
    const key = `${client.address}:${client.port}`;
    let up = upstreams.get(key);
    if (!up) {
      const sock = createSocket('udp4');
      sock.on('message', (reply) => later(() => front.send(reply, client.port, client.address)));
      sock.on('error', () => undefined);
      sock.bind(0, '127.0.0.1');
      upstreams.set(key, sock);
      up = sock;
    }
    const via = up;
    forwarded++;
    later(() => via.send(msg, target.port, target.host));
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.bind(0, '127.0.0.1', () => {
      front.off('error', reject);
      resolve();
    });
  });
  const port = front.address().port;
  return {
    port,
    server: `127.0.0.1:${port}`,
    get forwarded() {
      return forwarded;
    },
    stop: async () => {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.all([...upstreams.values(), front].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      upstreams.clear();
    },
  };
}
