import { createSocket } from 'node:dgram';

/**
 * Misbehaving "resolvers" on 127.0.0.1 with a random free UDP port:
 * - `startSilentDns()` reads every query and never answers (the black hole behind a DNS timeout);
 * - `startSilentDns({ rcode: 2 })` answers every query at once with that response code and no records
 *   (2 = SERVFAIL, 5 = REFUSED), which dnsmasq cannot be made to do on demand.
 * Each records when queries arrived, so a test can count tries.
 */
export interface SilentDns {
  port: number;
  /** `127.0.0.1:PORT`, ready for `setServers`, a request's `resolver`, or `--dns`. */
  server: string;
  /** Arrival time (performance.now()) of every datagram received so far. */
  arrivals: number[];
  /** Resolves once `count` datagrams have arrived in all (at once if they already have). */
  received(count?: number): Promise<void>;
  stop(): Promise<void>;
}

/** The query echoed back as a response (RFC 1035 §4.1.1): QR set, RA set, the given RCODE, no answers. */
function emptyResponse(query: Buffer, rcode: number): Buffer | undefined {
  if (query.length < 12) return undefined;
  const out = Buffer.from(query);
  out[2] = (query[2] & 0x79) | 0x80; // QR=1, keep opcode and RD, clear AA/TC
  out[3] = 0x80 | (rcode & 0x0f); // RA=1, Z=0, RCODE
  out.writeUInt16BE(0, 6); // ANCOUNT
  out.writeUInt16BE(0, 8); // NSCOUNT
  out.writeUInt16BE(0, 10); // ARCOUNT
  // Keep only the header and the question; drop any OPT record the client added.
  let i = 12;
  while (i < out.length && out[i] !== 0) i += out[i] + 1;
  return out.subarray(0, Math.min(out.length, i + 5));
}

export async function startSilentDns(opts: { rcode?: number } = {}): Promise<SilentDns> {
  const socket = createSocket('udp4');
  const arrivals: number[] = [];
  let waiters: { count: number; resolve: () => void }[] = [];
  socket.on('message', (msg, rinfo) => {
    arrivals.push(performance.now());
    waiters = waiters.filter((w) => (arrivals.length >= w.count ? (w.resolve(), false) : true));
    if (opts.rcode === undefined) return;
    const reply = emptyResponse(msg, opts.rcode);
    if (reply) socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const port = socket.address().port;
  return {
    port,
    server: `127.0.0.1:${port}`,
    arrivals,
    received: (count = 1) => (arrivals.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }))),
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
