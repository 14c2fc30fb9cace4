// Turns `mxdesk send` flags into the same SessionRequest the window sends, reading files and stdin, and
// asking for the password. Nothing here opens a socket: bad input stops before the engine is involved.
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { AttachmentInput, Draft, SessionRequest, Target, Timeouts } from '../../shared/model';
import { STREAM_TEXT_OVER } from '../engine/message';
import type { ArgError, SendArgs } from './args';
import type { CliIo } from './io';
import { checkMessageFile, rawFileStandIn, statMessageFile } from './message-file';
import { readAuthSecret } from './protocol-args';
import { readDkimKeyFile } from './dkim-args';

/** Content types by extension: a small table; anything else is application/octet-stream. */
const CONTENT_TYPES: Record<string, string> = {
  '.txt': 'text/plain',
  '.text': 'text/plain',
  '.log': 'text/plain',
  '.md': 'text/markdown',
  '.csv': 'text/csv',
  '.htm': 'text/html',
  '.html': 'text/html',
  '.ics': 'text/calendar',
  '.xml': 'application/xml',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.tar': 'application/x-tar',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.eml': 'message/rfc822',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function contentTypeFor(filename: string): string {
  return CONTENT_TYPES[extname(filename).toLowerCase()] ?? 'application/octet-stream';
}

const TIMEOUT_KEYS: Array<keyof Timeouts> = ['dnsMs', 'connectMs', 'greetingMs', 'commandMs', 'mailMs', 'rcptMs', 'dataStartMs', 'dataBlockMs', 'dataEndMs', 'tlsMs', 'quitMs'];

/** `--timeout-ms N` applies to every deadline. */
export function allTimeouts(ms: number): Timeouts {
  return Object.fromEntries(TIMEOUT_KEYS.map((k) => [k, ms])) as unknown as Timeouts;
}

/** `HOST`, `HOST:PORT`, `[IPv6]`, `[IPv6]:PORT`, or a bare IPv6 address. */
export function parseServer(text: string): { host: string; port?: number } | undefined {
  const t = text.trim();
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (bracket) return { host: bracket[1], port: bracket[2] === undefined ? undefined : Number(bracket[2]) };
  if ((t.match(/:/g) ?? []).length > 1) return { host: t };
  const m = /^([^:\s]+)(?::(\d+))?$/.exec(t);
  if (!m) return undefined;
  return { host: m[1], port: m[2] === undefined ? undefined : Number(m[2]) };
}

/** A message part streamed from a file on every pass instead of being held in the draft. */
export interface StreamedFile {
  kind: 'raw' | 'text';
  path: string;
}

type Built = { ok: true; req: SessionRequest; streamed?: StreamedFile } | { ok: false; error: ArgError };

const bad = (field: string, message: string): Built => ({ ok: false, error: { field, message } });

async function readNamed(flag: string, path: string): Promise<{ ok: true; data: Buffer } | { ok: false; error: ArgError }> {
  try {
    return { ok: true, data: await readFile(path) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return { ok: false, error: { field: flag, message: `cannot read ${JSON.stringify(path)} (${code})` } };
  }
}

/**
 * A regular file is streamed (checked here in one pass, then read again by each pass of the engine) when it
 * is a raw message, or a body too large to compose from a string cheaply; anything else is read whole, as
 * stdin must be (it cannot be read twice).
 */
async function fileToStream(flag: string, path: string, kind: StreamedFile['kind']): Promise<{ ok: true; streamed?: StreamedFile } | { ok: false; error: ArgError }> {
  const st = await statMessageFile(flag, path);
  if (!st.ok) return st;
  if (!st.file.regular || (kind === 'text' && st.file.size <= STREAM_TEXT_OVER)) return { ok: true };
  const problem = await checkMessageFile(flag, path, kind === 'raw' ? 'The raw message' : 'The text body', kind === 'raw');
  return problem ? { ok: false, error: problem } : { ok: true, streamed: { kind, path } };
}

export async function buildSendRequest(args: SendArgs, io: CliIo): Promise<Built> {
  let text = '';
  let raw = '';
  let streamed: StreamedFile | undefined;
  if (args.body?.kind === 'text') text = args.body.text;
  else if (args.body?.kind === 'file') {
    const s = await fileToStream('--body', args.body.path, 'text');
    if (!s.ok) return s;
    streamed = s.streamed;
    if (!streamed) {
      const r = await readNamed('--body', args.body.path);
      if (!r.ok) return r;
      text = r.data.toString('utf8');
    }
  } else if (args.body?.kind === 'stdin') text = (await io.readStdin()).toString('utf8');
  if (args.rawFile !== undefined) {
    const s = await fileToStream('--raw', args.rawFile, 'raw');
    if (!s.ok) return s;
    streamed = s.streamed;
    if (streamed) raw = rawFileStandIn(args.rawFile);
    else {
      const r = await readNamed('--raw', args.rawFile);
      if (!r.ok) return r;
      raw = r.data.toString('utf8');
    }
  }
  const attachments: AttachmentInput[] = [];
  for (const path of args.attach) {
    const r = await readNamed('--attach', path);
    if (!r.ok) return r;
    attachments.push({ filename: basename(path), contentType: contentTypeFor(path), contentBase64: r.data.toString('base64') });
  }

  let target: Target = { kind: 'mx' };
  if (args.server === undefined && args.transport?.transport?.socketPath) target = { kind: 'host', host: 'localhost', port: args.port ?? 25 };
  if (args.server !== undefined) {
    const s = parseServer(args.server);
    if (!s || (s.port !== undefined && (s.port < 1 || s.port > 65535))) return bad('--server', `--server must be HOST[:PORT], not ${JSON.stringify(args.server)}`);
    // RFC 2033 §5 and swaks' --protocol LMTP: LMTP over TCP defaults to port 24.
    const defaultPort = args.tls === 'implicit' ? 465 : args.protocol?.protocol?.lmtp ? 24 : 25;
    target = { kind: 'host', host: s.host, port: args.port ?? s.port ?? defaultPort };
  }

  const draft: Draft = {
    from: args.from,
    to: args.to.join(', '),
    cc: args.cc.join(', '),
    bcc: args.bcc.join(', '),
    replyTo: '',
    subject: args.subject,
    customHeaders: args.headers,
    text,
    html: '',
    attachments,
    mailFrom: args.from,
    rcptTo: [...args.to, ...args.cc, ...args.bcc],
    envelopeEdited: false,
    rawMode: args.rawFile !== undefined,
    raw,
  };

  const req: SessionRequest = {
    draft,
    target,
    port: target.kind === 'mx' ? args.port : undefined,
    tls: args.tls,
    ...(args.tlsPolicy ? { tlsPolicy: args.tlsPolicy } : {}),
    certPolicy: args.insecure ? 'override-once' : 'verify',
    heloName: args.helo,
    pipelining: args.pipelining,
    chunking: args.chunking,
    mode: 'auto',
    quitAfter: args.quitAfter,
    resolver: args.dns,
    timeouts: args.timeoutMs !== undefined ? allTimeouts(args.timeoutMs) : undefined,
  };
  if (args.transport?.transport) req.transport = args.transport.transport;
  if (args.transport?.tlsOptions) req.tlsOptions = args.transport.tlsOptions;
  if (args.protocol?.protocol) req.protocol = args.protocol.protocol;
  if (args.dkim) {
    const dkim = await readDkimKeyFile(args.dkim);
    if (!dkim.ok) return dkim;
    req.dkim = dkim.request;
  }

  if (args.authUser !== undefined) {
    // Never a flag (shell history, `ps`): the environment, or a prompt that does not echo.
    const mechanism = args.protocol?.authMechanism ?? 'auto';
    const secret = await readAuthSecret(io, args.authUser, mechanism);
    if (!secret.ok) return secret;
    req.auth = { user: args.authUser, password: secret.secret, mechanism };
  }
  return { ok: true, req, streamed };
}
