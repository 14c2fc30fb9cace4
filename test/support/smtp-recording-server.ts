// nodemailer's smtp-server as a peer that records what it saw of each connection: the client's address and
// port, the TLS name (SNI) the client sent, the TLS version and cipher, and the client certificate. It listens
// on a TCP host (127.0.0.1, ::1, …) or on a UNIX socket path; TLS is STARTTLS or implicit.
import type { SecureContext, TLSSocket } from 'node:tls';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface SeenConnection {
  remoteAddress?: string;
  remotePort?: number;
  servername?: string;
  protocol?: string;
  cipher?: string;
  clientCertAuthorized?: boolean;
  clientCertSubject?: string;
}

export interface RecordingServer {
  port: number;
  seen: SeenConnection[];
  /** Message bodies received, in order. */
  messages: Buffer[];
  /** Every SNI name a client sent, in order (recorded during the handshake, so even a client that then hangs up is seen). */
  sni: string[];
  stop(): Promise<void>;
}

export interface RecordingOptions {
  host?: string;
  /** Listen on this UNIX socket path instead of a TCP port. */
  path?: string;
  /** Implicit TLS (SMTPS) with this certificate; or STARTTLS with `starttls`. */
  tls?: { cert: string; key: string; implicit?: boolean; requestCert?: boolean; rejectUnauthorized?: boolean; ca?: string; minVersion?: 'TLSv1.2' | 'TLSv1.3'; maxVersion?: 'TLSv1.2' | 'TLSv1.3'; ciphers?: string };
}

export async function startRecordingServer(o: RecordingOptions = {}): Promise<RecordingServer> {
  const seen: SeenConnection[] = [];
  const messages: Buffer[] = [];
  const sni: string[] = [];
  const byId = new Map<string, SeenConnection>();
  const tlsOpts: Partial<SMTPServerOptions> = o.tls
    ? {
        secure: o.tls.implicit === true,
        key: o.tls.key,
        cert: o.tls.cert,
        requestCert: o.tls.requestCert,
        // With requestCert + rejectUnauthorized, a client without a certificate signed by `ca` is refused.
        rejectUnauthorized: o.tls.rejectUnauthorized === true,
        ca: o.tls.ca,
        minVersion: o.tls.minVersion,
        maxVersion: o.tls.maxVersion,
        ciphers: o.tls.ciphers,
        SNICallback: (name: string, cb: (err: Error | null, ctx?: SecureContext) => void) => {
          sni.push(name);
          cb(null); // the default context
        },
      }
    : { disabledCommands: ['STARTTLS'] };
  const server = new SMTPServer({
    ...tlsOpts,
    authOptional: true,
    logger: false,
    banner: 'recording peer',
    onConnect(session, cb) {
      const rec: SeenConnection = { remoteAddress: session.remoteAddress, remotePort: session.remotePort };
      byId.set(session.id, rec);
      seen.push(rec);
      cb();
    },
    onSecure(socket, session, cb) {
      const rec = byId.get(session.id);
      const t = socket as TLSSocket;
      if (rec) {
        rec.servername = typeof session.servername === 'string' ? session.servername : undefined;
        const protocol = t.getProtocol?.();
        rec.protocol = typeof protocol === 'string' ? protocol : undefined;
        rec.cipher = t.getCipher?.()?.name;
        const peer = t.getPeerCertificate?.();
        rec.clientCertAuthorized = t.authorized;
        const cn = peer && peer.subject ? peer.subject.CN : undefined;
        rec.clientCertSubject = Array.isArray(cn) ? cn.join(', ') : cn;
      }
      cb();
    },
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push(Buffer.concat(chunks));
        cb(null);
      });
    },
  } as SMTPServerOptions);
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => {
    if (o.path) server.listen(o.path, resolve);
    else server.listen(0, o.host ?? '127.0.0.1', resolve);
  });
  const addr = (server as unknown as { server: import('node:net').Server }).server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : 0,
    seen,
    messages,
    sni,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
