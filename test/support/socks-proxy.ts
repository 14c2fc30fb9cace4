// A tiny SOCKS5 proxy (RFC 1928, CONNECT only, "no authentication" or RFC 1929 username/password) for tests.
// It records each request: the address type the client used (IPv4, domain name, IPv6) tells whether the
// client or the proxy resolved the name. Names are resolved through `hosts` only (never real DNS).
import { connect, createServer, isIP, type Server, type Socket } from 'node:net';

export interface SocksRequest {
  /** 1 IPv4, 3 domain name, 4 IPv6 (RFC 1928 §5). */
  atyp: number;
  host: string;
  port: number;
  user?: string;
}

export interface SocksProxy {
  host: string;
  port: number;
  requests: SocksRequest[];
  stop(): Promise<void>;
}

function readN(socket: Socket, buffered: { buf: Buffer }, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tryTake = (): boolean => {
      if (buffered.buf.length < n) return false;
      const out = buffered.buf.subarray(0, n);
      buffered.buf = buffered.buf.subarray(n);
      resolve(out);
      return true;
    };
    if (tryTake()) return;
    const onData = (d: Buffer): void => {
      buffered.buf = Buffer.concat([buffered.buf, d]);
      if (tryTake()) cleanup();
    };
    const onEnd = (): void => {
      cleanup();
      reject(new Error('closed'));
    };
    const cleanup = (): void => {
      socket.off('data', onData);
      socket.off('close', onEnd);
    };
    socket.on('data', onData);
    socket.once('close', onEnd);
  });
}

export async function startSocksProxy(opts: { hosts?: Record<string, string>; requireUser?: string } = {}): Promise<SocksProxy> {
  const requests: SocksRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const b = { buf: Buffer.alloc(0) };
    void (async () => {
      const [ver, nmethods] = await readN(client, b, 2);
      if (ver !== 5) return client.destroy();
      const methods = await readN(client, b, nmethods);
      let user: string | undefined;
      if (opts.requireUser !== undefined) {
        if (!methods.includes(2)) return client.end(Buffer.from([5, 0xff]));
        client.write(Buffer.from([5, 2]));
        const [, ulen] = await readN(client, b, 2);
        user = (await readN(client, b, ulen)).toString();
        const [plen] = await readN(client, b, 1);
        await readN(client, b, plen);
        const okUser = user === opts.requireUser;
        client.write(Buffer.from([1, okUser ? 0 : 1]));
        if (!okUser) return client.end();
      } else client.write(Buffer.from([5, 0]));
      const [, cmd, , atyp] = await readN(client, b, 4);
      let host: string;
      if (atyp === 1) host = [...(await readN(client, b, 4))].join('.');
      else if (atyp === 3) host = (await readN(client, b, (await readN(client, b, 1))[0])).toString();
      else {
        const raw = await readN(client, b, 16);
        host = Array.from({ length: 8 }, (_, i) => raw.readUInt16BE(i * 2).toString(16)).join(':');
      }
      const port = (await readN(client, b, 2)).readUInt16BE(0);
      requests.push({ atyp, host, port, ...(user !== undefined ? { user } : {}) });
      const reply = (rep: number): Buffer => Buffer.from([5, rep, 0, 1, 0, 0, 0, 0, 0, 0]);
      if (cmd !== 1) return client.end(reply(7));
      const target = isIP(host) ? host : opts.hosts?.[host];
      if (!target) return client.end(reply(4)); // host unreachable
      const upstream = connect({ host: target, port });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.once('error', () => client.end(reply(5))); // connection refused
      upstream.once('connect', () => {
        upstream.removeAllListeners('error');
        upstream.on('error', () => client.destroy());
        client.write(reply(0));
        if (b.buf.length > 0) upstream.write(b.buf);
        client.pipe(upstream).pipe(client);
      });
    })().catch(() => client.destroy());
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
