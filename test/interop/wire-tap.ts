// A pass-through TCP proxy that keeps what the client sent on each connection, so an interop test can
// compare the message bytes MX Desk put on the wire with what a third-party server stored. Cleartext only
// (a tap in front of TLS would see ciphertext): the tests that use it run AUTH in clear on loopback.
import { connect, createServer, type Socket } from 'node:net';

export interface WireTap {
  port: number;
  /** Client→server bytes of each connection so far, in connect order. */
  sent(): Buffer[];
  stop(): Promise<void>;
}

export async function startWireTap(target: { host: string; port: number }): Promise<WireTap> {
  const streams: Buffer[][] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const chunks: Buffer[] = [];
    streams.push(chunks);
    const upstream = connect(target);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (d: Buffer) => {
      chunks.push(d);
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => client.write(d));
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : 0,
    sent: () => streams.map((c) => Buffer.concat(c)),
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The message bytes of the first `BDAT n LAST` in a client stream (RFC 3030 §2: exactly n octets follow). */
export function bdatPayload(stream: Buffer): Buffer {
  const text = stream.toString('latin1');
  const m = /(?:^|\r\n)BDAT (\d+) LAST\r\n/.exec(text);
  if (!m) throw new Error('no BDAT … LAST in the client stream');
  const start = m.index + m[0].length;
  return stream.subarray(start, start + Number(m[1]));
}

/** The message bytes after the first DATA command, up to the final dot, dot-unstuffed (RFC 5321 §4.5.2). */
export function dataPayload(stream: Buffer): Buffer {
  const text = stream.toString('latin1');
  const m = /(?:^|\r\n)DATA\r\n/.exec(text);
  if (!m) throw new Error('no DATA in the client stream');
  const start = m.index + m[0].length;
  const end = text.indexOf('\r\n.\r\n', start - 2);
  if (end < 0) throw new Error('no final dot after DATA');
  const body = text.slice(start, end + 2);
  return Buffer.from(body.replace(/^\./gm, ''), 'latin1');
}
