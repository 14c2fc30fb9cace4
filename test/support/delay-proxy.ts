// A TCP proxy that turns loopback into a slow link: every chunk is held for `delayMs` in each direction (so
// the round-trip time is 2·delayMs), and the connect to the upstream is delayed too (the SYN travels). It
// counts round trips as the client experiences them.
//
// Counting rule: watch two kinds of event in time order at the proxy — "the client sent a chunk" (C) and
// "a server chunk was delivered to the client" (S). The connect itself counts as C. Every switch from C to S
// is one round trip: the client spoke, then had to wait for the server's answer. Chunks a client sends
// without waiting (pipelining, a TLS Finished followed by EHLO) stay in one C run however they are split
// into TCP segments, because an answer can reach the client no sooner than 2·delayMs later. So the greeting
// is round trip 1, and a plain PIPELINING transaction is greeting + EHLO + envelope + body/QUIT = 4.
import { connect, createServer, type Socket } from 'node:net';

export interface ProxyConnectionStats {
  /** Round trips counted after connect (see the rule above). */
  roundTrips: number;
  /** Directions in order, one letter per chunk (`C` client sent, `S` delivered to client). */
  pattern: string;
  clientBytes: number;
  serverBytes: number;
  /** Milliseconds from the client's connect to the last byte delivered either way. */
  elapsedMs: number;
}

export interface DelayProxy {
  port: number;
  connections: ProxyConnectionStats[];
  /** Resolves when every proxied connection so far has fully closed. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startDelayProxy(opts: { targetHost?: string; targetPort: number; delayMs: number }): Promise<DelayProxy> {
  const { delayMs } = opts;
  const connections: ProxyConnectionStats[] = [];
  const open = new Set<Promise<void>>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (fn: () => void) => {
    // With no delay, forward at once: the proxy is then a plain pass-through for measuring on the wire.
    if (delayMs === 0) return fn();
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, delayMs);
    timers.add(t);
  };

  const server = createServer((client) => {
    const started = performance.now();
    const stats: ProxyConnectionStats = { roundTrips: 0, pattern: '', clientBytes: 0, serverBytes: 0, elapsedMs: 0 };
    connections.push(stats);
    let last: 'C' | 'S' = 'C';
    const mark = (dir: 'C' | 'S', n: number) => {
      if (dir === 'S' && last === 'C') stats.roundTrips++;
      last = dir;
      stats.pattern += dir;
      if (dir === 'C') stats.clientBytes += n;
      else stats.serverBytes += n;
      stats.elapsedMs = performance.now() - started;
    };
    sockets.add(client);
    client.pause();
    let upstream: Socket | undefined;
    let clientEnded = false;
    const done = new Promise<void>((resolve) => {
      let closes = 0;
      const one = () => {
        if (++closes === 2) resolve();
      };
      client.once('close', one);
      later(() => {
        if (client.destroyed) {
          one();
          return;
        }
        const up = connect(opts.targetPort, opts.targetHost ?? '127.0.0.1');
        upstream = up;
        sockets.add(up);
        up.once('close', () => {
          sockets.delete(up);
          one();
          later(() => client.destroy());
        });
        up.on('error', () => later(() => client.destroy()));
        up.on('data', (chunk: Buffer) =>
          later(() => {
            if (client.destroyed) return;
            mark('S', chunk.length);
            // Backpressure: stop reading the server while the client is slow.
            if (!client.write(chunk)) {
              up.pause();
              client.once('drain', () => up.resume());
            }
          }),
        );
        up.on('end', () => later(() => client.end()));
        // Chunks the client sent while we were "connecting" are already scheduled below.
        up.on('connect', () => client.resume());
        if (clientEnded) later(() => up.end());
      });
    });
    client.on('data', (chunk: Buffer) => {
      mark('C', chunk.length);
      later(() => {
        if (upstream && !upstream.write(chunk)) {
          client.pause();
          upstream.once('drain', () => client.resume());
        }
      });
    });
    client.on('end', () => {
      clientEnded = true;
      later(() => upstream?.end());
    });
    client.on('error', () => later(() => upstream?.destroy()));
    client.once('close', () => {
      sockets.delete(client);
      later(() => upstream?.destroy());
    });
    open.add(done);
    void done.then(() => open.delete(done));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    connections,
    async idle() {
      await Promise.all([...open]);
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
