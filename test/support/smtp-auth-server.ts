// nodemailer's smtp-server as a peer for AUTH and SIZE tests: PLAIN, LOGIN and CRAM-MD5, over STARTTLS with
// a self-signed certificate or in clear on loopback; an optional SIZE limit; every message it receives is
// captured. `endless334` makes AUTH never finish: every answer gets another 334 challenge.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection';
import { makeSelfSignedCert } from './self-signed';

export interface AuthServerOptions {
  /** user → password; default { alice: 'correct horse battery staple' }. */
  users?: Record<string, string>;
  /** Offer STARTTLS with a self-signed certificate (default true). Without it AUTH is allowed in clear. */
  tls?: boolean;
  /** SIZE limit in bytes (advertised in EHLO). */
  size?: number;
  authMethods?: string[];
  endless334?: boolean;
  /** Accept mail without AUTH too (default false: MAIL before AUTH gets 530). */
  authOptional?: boolean;
}

export interface ReceivedMessage {
  from: string;
  to: string[];
  user?: string;
  data: Buffer;
}

export interface AuthServer {
  port: number;
  certPem?: string;
  messages: ReceivedMessage[];
  authAttempts: { method: string; username: string; ok: boolean }[];
  /** Number of 334 challenges sent in endless mode. */
  challenges(): number;
  stop(): Promise<void>;
}

export const DEFAULT_USER = 'alice';
export const DEFAULT_PASSWORD = 'correct horse battery staple';

// smtp-server has no hook for a mechanism that never ends, so AUTH is intercepted for the servers that
// asked for it (and only those: other servers in the process are left alone).
const endless = new WeakMap<SMTPServer, { count: number }>();
type AuthHandler = (this: SMTPConnection, command: Buffer, callback: () => void) => void;
const proto = SMTPConnection.prototype as unknown as { handler_AUTH: AuthHandler; __mxdeskPatched?: boolean };
if (!proto.__mxdeskPatched) {
  const original = proto.handler_AUTH;
  proto.handler_AUTH = function (this: SMTPConnection, command: Buffer, callback: () => void): void {
    const counter = endless.get(this._server);
    if (!counter) return original.call(this, command, callback);
    const challenge = (): void => {
      counter.count++;
      this.send(334, Buffer.from(`Challenge ${counter.count}:`).toString('base64'));
    };
    const again = function (this: SMTPConnection, _line: Buffer, cb: () => void): void {
      this._nextHandler = again;
      challenge();
      cb();
    };
    this._nextHandler = again;
    challenge();
    callback();
  };
  proto.__mxdeskPatched = true;
}

export async function startAuthServer(opts: AuthServerOptions = {}): Promise<AuthServer> {
  const users = opts.users ?? { [DEFAULT_USER]: DEFAULT_PASSWORD };
  const tls = opts.tls ?? true;
  const dir = await mkdtemp(join(tmpdir(), 'mxdesk-smtp-server-'));
  const cert = tls ? await makeSelfSignedCert(dir, 'mx.example.test') : undefined;
  const messages: ReceivedMessage[] = [];
  const authAttempts: AuthServer['authAttempts'] = [];
  const server = new SMTPServer({
    name: 'mx.example.test',
    secure: false,
    key: cert?.keyPem,
    cert: cert?.pem,
    hideSTARTTLS: !tls,
    disabledCommands: tls ? [] : ['STARTTLS'],
    allowInsecureAuth: !tls,
    authMethods: opts.authMethods ?? ['PLAIN', 'LOGIN', 'CRAM-MD5'],
    size: opts.size,
    authOptional: opts.authOptional === true,
    logger: false,
    onAuth(auth, _session, cb) {
      const expected = users[auth.username ?? ''];
      const ok = expected !== undefined && (auth.method === 'CRAM-MD5' ? auth.validatePassword?.(expected) === true : auth.password === expected);
      authAttempts.push({ method: auth.method, username: auth.username ?? '', ok });
      if (ok) return cb(null, { user: auth.username });
      const err = Object.assign(new Error('Invalid username or password'), { responseCode: 535 });
      cb(err);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === 'string' ? session.user : undefined,
          data: Buffer.concat(chunks),
        });
        cb();
      });
    },
  });
  const counter = { count: 0 };
  if (opts.endless334) endless.set(server, counter);
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    certPem: cert?.pem,
    messages,
    authAttempts,
    challenges: () => counter.count,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
