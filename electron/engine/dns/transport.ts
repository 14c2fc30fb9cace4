// Moves one DNS message to a resolver and back: UDP, or TCP with the two-byte length prefix (RFC 1035
// §4.2.2, RFC 7766 §8). Each exchange has its own socket (a fresh random source port), an absolute deadline
// and a cancel(); nothing is left listening when it settles.
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { parseIpv4, parseIpv6 } from '../../../shared/ip-address';
import { DnsError } from './dns-error';

export interface ServerAddress {
  host: string;
  port: number;
  family: 4 | 6;
}

/** The largest DNS message there is (TCP's length prefix is 16 bits). */
export const MAX_MESSAGE = 65535;

export interface Exchange {
  promise: Promise<Buffer>;
  cancel(): void;
}

type Accept = (message: Buffer) => boolean;

function sameAddress(a: string, b: string): boolean {
  if (a === b) return true;
  const x = parseIpv4(a) ?? parseIpv6(a);
  const y = parseIpv4(b) ?? parseIpv6(b);
  return !!x && !!y && x.length === y.length && x.every((v, i) => v === y[i]);
}

/** Settles once: runs `cleanup` before resolving or rejecting, whatever comes first. */
function once(cleanup: () => void): { done: Promise<Buffer>; resolve(b: Buffer): void; reject(e: Error): void } {
  let settled = false;
  let res!: (b: Buffer) => void;
  let rej!: (e: Error) => void;
  const done = new Promise<Buffer>((a, b) => {
    res = a;
    rej = b;
  });
  return {
    done,
    resolve: (b) => {
      if (settled) return;
      settled = true;
      cleanup();
      res(b);
    },
    reject: (e) => {
      if (settled) return;
      settled = true;
      cleanup();
      rej(e);
    },
  };
}

/**
 * Sends `payload` by UDP and waits until `timeoutMs` for a datagram from the server's address and port that
 * `accept` takes. Datagrams from elsewhere, or that do not match the query, are ignored (RFC 5452 §9.1).
 */
export function udpExchange(server: ServerAddress, payload: Buffer, accept: Accept, timeoutMs: number, what: string): Exchange {
  const socket = createSocket(server.family === 6 ? 'udp6' : 'udp4');
  const timer = setTimeout(() => s.reject(new DnsError('ETIMEOUT', `${what}: no answer within ${timeoutMs} ms`)), Math.max(1, timeoutMs));
  const s = once(() => {
    clearTimeout(timer);
    socket.removeAllListeners('message');
    socket.close();
  });
  socket.on('error', (e) => s.reject(new DnsError('ECONNREFUSED', `${what}: ${e.message}`)));
  socket.on('message', (msg, rinfo) => {
    if (rinfo.port !== server.port || !sameAddress(rinfo.address, server.host)) return;
    if (msg.length > MAX_MESSAGE || !accept(msg)) return;
    s.resolve(msg);
  });
  socket.send(payload, server.port, server.host, (e) => {
    if (e) s.reject(new DnsError('ECONNREFUSED', `${what}: could not send to ${server.host}:${server.port} (${e.message})`));
  });
  return { promise: s.done, cancel: () => s.reject(new DnsError('ECANCELLED', `${what}: cancelled`)) };
}

/** The same exchange over TCP: one query, one length-prefixed response, then the connection is closed. */
export function tcpExchange(server: ServerAddress, payload: Buffer, accept: Accept, timeoutMs: number, what: string): Exchange {
  const socket = connect({ host: server.host, port: server.port, family: server.family });
  const timer = setTimeout(() => s.reject(new DnsError('ETIMEOUT', `${what} over TCP: no answer within ${timeoutMs} ms`)), Math.max(1, timeoutMs));
  const s = once(() => {
    clearTimeout(timer);
    socket.removeAllListeners('data');
    socket.destroy();
  });
  let buffered = Buffer.alloc(0);
  socket.on('error', (e) => s.reject(new DnsError(e.message.includes('ECONNREFUSED') ? 'ECONNREFUSED' : 'ECONNRESET', `${what} over TCP: ${e.message}`)));
  socket.on('close', () => s.reject(new DnsError('EBADRESP', `${what} over TCP: the resolver closed the connection before a whole answer`)));
  socket.on('connect', () => {
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16BE(payload.length);
    socket.write(Buffer.concat([prefix, payload]));
  });
  socket.on('data', (chunk: Buffer) => {
    // Bounded: at most 2 + 65535 bytes are ever held.
    buffered = Buffer.concat([buffered, chunk]).subarray(0, 2 + MAX_MESSAGE);
    if (buffered.length < 2) return;
    const size = buffered.readUInt16BE(0);
    if (buffered.length < 2 + size) return;
    const msg = Buffer.from(buffered.subarray(2, 2 + size));
    if (!accept(msg)) s.reject(new DnsError('EBADRESP', `${what} over TCP: the answer does not match the question`));
    else s.resolve(msg);
  });
  return { promise: s.done, cancel: () => s.reject(new DnsError('ECANCELLED', `${what}: cancelled`)) };
}
