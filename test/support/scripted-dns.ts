// A scripted DNS "resolver" on 127.0.0.1 (UDP and TCP on one free port) for behaviours no real server shows
// on demand: truncation, spoofed or mismatched datagrams, floods of records, CNAME loops. The handler gets
// each decoded query and says what to send back.
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet } from 'dns-packet';

export interface UdpReply {
  /** The message to send; built from the query by `respond()` usually. */
  message: Buffer;
  /** Send it from another socket (another source port): a spoofing attempt the client must ignore. */
  fromOtherPort?: boolean;
}

export interface ScriptedDnsOptions {
  udp: (query: DecodedPacket, raw: Buffer) => UdpReply[];
  /** Answer over TCP; undefined closes the connection without an answer. */
  tcp?: (query: DecodedPacket, raw: Buffer) => Buffer | undefined;
  /** `127.0.0.1` (default) or `::1`. */
  host?: '127.0.0.1' | '::1';
}

export interface ScriptedDns {
  port: number;
  server: string;
  /** Every query received, in order, with its transport. */
  queries: { via: 'udp' | 'tcp'; query: DecodedPacket }[];
  stop(): Promise<void>;
}

/** A response to `query` with its id and question, the given flags, rcode and records. */
export function respond(query: DecodedPacket, opts: { answers?: Answer[]; rcode?: number; tc?: boolean; ad?: boolean; id?: number; questions?: Packet['questions'] } = {}): Buffer {
  const flags = dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (opts.tc ? dnsPacket.TRUNCATED_RESPONSE : 0) | (opts.ad ? dnsPacket.AUTHENTIC_DATA : 0) | (opts.rcode ?? 0);
  return dnsPacket.encode({ type: 'response', id: opts.id ?? query.id, flags, questions: opts.questions ?? query.questions, answers: opts.answers ?? [] });
}

export async function startScriptedDns(opts: ScriptedDnsOptions): Promise<ScriptedDns> {
  const queries: ScriptedDns['queries'] = [];
  const tcpSockets = new Set<TcpSocket>();
  for (let attempt = 0; ; attempt++) {
    const tcp: Server = createServer((s) => {
      tcpSockets.add(s);
      s.on('close', () => tcpSockets.delete(s));
      s.on('error', () => undefined);
      let buf = Buffer.alloc(0);
      s.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        if (buf.length < 2 || buf.length < 2 + buf.readUInt16BE(0)) return;
        const raw = buf.subarray(2, 2 + buf.readUInt16BE(0));
        const query = dnsPacket.decode(raw);
        queries.push({ via: 'tcp', query });
        const out = opts.tcp?.(query, raw);
        if (!out) return void s.destroy();
        const prefix = Buffer.alloc(2);
        prefix.writeUInt16BE(out.length);
        s.end(Buffer.concat([prefix, out]));
      });
    });
    const host = opts.host ?? '127.0.0.1';
    const family = host === '::1' ? 'udp6' : 'udp4';
    await new Promise<void>((resolve, reject) => tcp.once('error', reject).listen(0, host, () => resolve()));
    const a = tcp.address();
    const port = typeof a === 'object' && a ? a.port : 0;
    const udp: Socket = createSocket(family);
    const other: Socket = createSocket(family);
    const bound = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, host, () => resolve(true));
    });
    if (!bound) {
      udp.close();
      other.close();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      if (attempt > 20) throw new Error('no free UDP+TCP port');
      continue;
    }
    await new Promise<void>((resolve) => other.bind(0, host, () => resolve()));
    udp.on('message', (raw, rinfo) => {
      let query: DecodedPacket;
      try {
        query = dnsPacket.decode(raw);
      } catch {
        return;
      }
      queries.push({ via: 'udp', query });
      for (const r of opts.udp(query, raw)) (r.fromOtherPort ? other : udp).send(r.message, rinfo.port, rinfo.address);
    });
    return {
      port,
      server: host === '::1' ? `[::1]:${port}` : `127.0.0.1:${port}`,
      queries,
      stop: async () => {
        for (const s of tcpSockets) s.destroy();
        await new Promise<void>((resolve) => tcp.close(() => resolve()));
        await new Promise<void>((resolve) => udp.close(() => resolve()));
        await new Promise<void>((resolve) => other.close(() => resolve()));
      },
    };
  }
}
