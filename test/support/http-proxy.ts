// A tiny HTTP proxy that only does CONNECT (RFC 9110 §9.3.6), for tests: it records each request and can
// answer with a fixed status instead of tunnelling (407, 403, 502 …). Names resolve through `hosts` only.
import { connect, createServer, isIP, type Socket } from 'node:net';

export interface HttpProxy {
  host: string;
  port: number;
  /** Request lines seen, e.g. `CONNECT mx.example.test:25 HTTP/1.1`. */
  requests: string[];
  stop(): Promise<void>;
}

export async function startHttpProxy(opts: { hosts?: Record<string, string>; answer?: string } = {}): Promise<HttpProxy> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    const onData = (d: Buffer): void => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onData);
      const line = buf.subarray(0, end).toString('latin1').split('\r\n')[0];
      requests.push(line);
      if (opts.answer) return void client.end(`${opts.answer}\r\nContent-Length: 0\r\n\r\n`);
      const m = /^CONNECT (?:\[([^\]]+)\]|([^:\s]+)):(\d+) HTTP\/1\.[01]$/.exec(line);
      const name = m?.[1] ?? m?.[2];
      const target = name && (isIP(name) ? name : opts.hosts?.[name]);
      if (!m || !target) return void client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      const upstream = connect({ host: target, port: Number(m[3]) });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.once('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n'));
      upstream.once('connect', () => {
        upstream.removeAllListeners('error');
        upstream.on('error', () => client.destroy());
        client.write('HTTP/1.1 200 Connection established\r\n\r\n');
        const rest = buf.subarray(end + 4);
        if (rest.length > 0) upstream.write(rest);
        client.pipe(upstream).pipe(client);
      });
    };
    client.on('data', onData);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    host: '127.0.0.1',
    port,
    requests,
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
