// A scripted SMTP peer for the reliability tests: a `node:net` server on 127.0.0.1:0 that plays a list of
// steps against each connection (send raw bytes, read a command line, drip, flood, close, reset, start TLS,
// stop reading) and records every byte it receives. It is deliberately not an SMTP implementation: it does
// exactly what the script says, including the wrong things a hostile or broken server does.
import { createServer, type Server, type Socket } from 'node:net';
import { Connection, type ConnectionRecord } from './hostile-connection';
import type { HostileStep } from './hostile-steps';

export * from './hostile-steps';
export type { ConnectionRecord } from './hostile-connection';

export interface HostileServer {
  host: string;
  port: number;
  connections: ConnectionRecord[];
  /** Resolves with the next (or already accepted) connection number `index`. */
  connection(index?: number): Promise<ConnectionRecord>;
  stop(): Promise<void>;
}

export interface HostileOptions {
  /** Record at most this many received bytes (default 1 MiB). */
  recordCap?: number;
  host?: string;
  /** Fixed port (default: a free one), e.g. to put a second "MX" on 127.0.0.3 at the same port. */
  port?: number;
}

type Script = HostileStep[] | ((connectionIndex: number) => HostileStep[]);

export async function startHostileServer(script: Script, opts: HostileOptions = {}): Promise<HostileServer> {
  const host = opts.host ?? '127.0.0.1';
  const connections: Connection[] = [];
  const waiters: Array<() => void> = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.once('close', () => sockets.delete(sock));
    const index = connections.length;
    const conn = new Connection(sock, opts.recordCap ?? 1024 * 1024);
    connections.push(conn);
    waiters.splice(0).forEach((w) => w());
    const steps = typeof script === 'function' ? script(index) : script;
    void conn.play(steps).catch((e: unknown) => conn.problems.push(`script crashed: ${String(e)}`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('hostile server has no port');
  return {
    host,
    port: address.port,
    connections,
    async connection(index = 0) {
      while (connections.length <= index) await new Promise<void>((r) => waiters.push(r));
      return connections[index];
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
