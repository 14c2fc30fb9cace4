// Command-line parsing for `mxdesk`. Pure syntax: which flags, how many, of what shape. Field-level content
// checks (addresses, header text, HELO name) are done by the shared validators in send-request.ts, the same
// ones the form and the main process use. Every error names the flag it is about.
import { parseArgs } from 'node:util';
import type { Stage, TlsMode, TlsPolicy } from '../../shared/model';
import { readTransportArgs, TRANSPORT_FLAGS, TRANSPORT_USAGE, type TransportArgs } from './transport-args';
import { PROTOCOL_FLAGS, PROTOCOL_HELP, PROTOCOL_USAGE, readProtocolArgs, type ProtocolArgs } from './protocol-args';
import { DKIM_FLAGS, DKIM_USAGE, readDkimArgs, type DkimArgs } from './dkim-args';

export interface MxArgs {
  command: 'mx';
  domain: string;
  dns?: string;
  json: boolean;
}

export type BodySource = { kind: 'text'; text: string } | { kind: 'file'; path: string } | { kind: 'stdin' };

export interface SendArgs {
  command: 'send';
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  server?: string;
  port?: number;
  dns?: string;
  helo?: string;
  subject: string;
  headers: Array<{ name: string; value: string }>;
  body?: BodySource;
  rawFile?: string;
  attach: string[];
  tls: TlsMode;
  /** --tls-policy mta: as a DANE/MTA-STS-aware MTA would (RFC 7672, RFC 8461). */
  tlsPolicy?: TlsPolicy;
  insecure: boolean;
  authUser?: string;
  pipelining: boolean;
  chunking: boolean;
  quitAfter?: Stage;
  timeoutMs?: number;
  json: boolean;
  /** -4/-6, --local-address, --socket, --proxy*, --tls-* (transport-args.ts). */
  transport?: TransportArgs;
  /** --lmtp, --dsn-*, --require-tls, --xclient, --auth-mechanism (protocol-args.ts). */
  protocol?: ProtocolArgs;
  /** --dkim-domain, --dkim-selector, --dkim-key FILE, … (dkim-args.ts). */
  dkim?: DkimArgs;
}

export interface HelpArgs {
  command: 'help';
}

export type CliArgs = MxArgs | SendArgs | HelpArgs;

export interface ArgError {
  /** The flag or argument at fault, e.g. `--to` or `DOMAIN`. */
  field: string;
  message: string;
}

export type ParsedArgs = { ok: true; args: CliArgs } | { ok: false; error: ArgError };

export const USAGE = `usage:
  mxdesk mx DOMAIN [--dns HOST[:PORT]] [--json]
  mxdesk check DOMAIN [--dns HOST[:PORT]] [--port N] [--json] [--timeout-ms N] [-4|-6] [--ca-file PEM]
  mxdesk check --file DOMAINS.txt [--concurrency N] [--json] [--no-ptr]   |   mxdesk check --relay HOST[:PORT]
  mxdesk analyze FILE|- [--json] [--dns HOST[:PORT]]   (exit 0 nothing failing, 1 bounce or DKIM/ARC failure, 2 bad input)
  mxdesk send --from ADDR --to ADDR [--to ADDR …] [--cc ADDR …] [--bcc ADDR …] [--server HOST[:PORT]]
              [--port N] [--dns HOST[:PORT]] [--helo NAME] [--subject TEXT] [--header 'Name: value' …]
              [--body TEXT | --body @FILE | --body -] [--raw @FILE] [--attach FILE …]
              [--tls auto|starttls|require|implicit|none] [--tls-policy mta] [--insecure] [--auth-user USER]
              [--no-pipelining] [--no-chunking] [--quit-after STAGE] [--timeout-ms N] [--json]
${TRANSPORT_USAGE}
${PROTOCOL_USAGE}
${DKIM_USAGE}
  The AUTH password comes from the MXDESK_PASSWORD environment variable, or a prompt on a terminal.
${PROTOCOL_HELP}
  Exit codes: 0 delivered (or --quit-after reached without error), 1 not delivered, 2 bad input
  (nothing sent), 3 outcome unknown, 4 cancelled or timed out before the final dot.`;

const TLS_MODES: readonly TlsMode[] = ['auto', 'starttls', 'require', 'implicit', 'none'];

/** `--quit-after` stages, with swaks' names accepted as aliases. */
const QUIT_AFTER: Record<string, Stage> = {
  connect: 'connect',
  greeting: 'greeting',
  banner: 'greeting',
  ehlo: 'ehlo',
  helo: 'ehlo',
  'first-helo': 'ehlo',
  starttls: 'starttls',
  tls: 'tls',
  auth: 'auth',
  mail: 'mail',
  from: 'mail',
  rcpt: 'rcpt',
  to: 'rcpt',
  data: 'data',
};

const bad = (field: string, message: string): ParsedArgs => ({ ok: false, error: { field, message } });

function explainParseError(e: unknown): ParsedArgs {
  const message = e instanceof Error ? e.message : String(e);
  const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? 'arguments';
  if (/Unknown option/i.test(message)) return bad(flag, `unknown option ${flag}`);
  if (/argument missing/i.test(message)) return bad(flag, `${flag} needs a value`);
  if (/Unexpected argument/i.test(message)) return bad('arguments', message.replace(/\.?\s*To specify.*$/s, ''));
  return bad(flag, message);
}

function parseMx(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { dns: { type: 'string' }, json: { type: 'boolean' } } });
  } catch (e) {
    return explainParseError(e);
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) return bad('DOMAIN', 'mxdesk mx needs a domain, e.g. `mxdesk mx example.com`');
  if (positionals.length > 1) return bad('DOMAIN', `one domain at a time (got ${positionals.length})`);
  const domain = positionals[0].trim();
  if (domain === '') return bad('DOMAIN', 'the domain is empty');
  if (values.dns !== undefined && values.dns.trim() === '') return bad('--dns', '--dns needs HOST[:PORT]');
  return { ok: true, args: { command: 'mx', domain, dns: values.dns, json: values.json ?? false } };
}

function positiveInt(text: string, max: number): number | undefined {
  if (!/^\d{1,10}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= max ? n : undefined;
}

function parseSend(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        from: { type: 'string' },
        to: { type: 'string', multiple: true },
        cc: { type: 'string', multiple: true },
        bcc: { type: 'string', multiple: true },
        server: { type: 'string' },
        port: { type: 'string' },
        dns: { type: 'string' },
        helo: { type: 'string' },
        subject: { type: 'string' },
        header: { type: 'string', multiple: true },
        body: { type: 'string' },
        raw: { type: 'string' },
        attach: { type: 'string', multiple: true },
        tls: { type: 'string' },
        'tls-policy': { type: 'string' },
        insecure: { type: 'boolean' },
        'auth-user': { type: 'string' },
        'no-pipelining': { type: 'boolean' },
        'no-chunking': { type: 'boolean' },
        'quit-after': { type: 'string' },
        'timeout-ms': { type: 'string' },
        json: { type: 'boolean' },
        password: { type: 'string' },
        ...TRANSPORT_FLAGS,
        ...PROTOCOL_FLAGS,
        ...DKIM_FLAGS,
      },
    });
  } catch (e) {
    return explainParseError(e);
  }
  const v = parsed.values;
  // A password on the command line ends up in shell history and `ps`: refuse it outright.
  if (v.password !== undefined) return bad('--password', 'passwords are never taken as a flag: set MXDESK_PASSWORD or answer the prompt');
  if (v.from === undefined) return bad('--from', '--from ADDR is required (use --from "" for the null reverse-path <>)');
  const to = v.to ?? [];
  if (to.length === 0 && (v.cc ?? []).length === 0 && (v.bcc ?? []).length === 0) return bad('--to', 'at least one --to ADDR is required');
  let port: number | undefined;
  if (v.port !== undefined) {
    port = positiveInt(v.port, 65535);
    if (port === undefined) return bad('--port', `--port must be a number from 1 to 65535, not ${JSON.stringify(v.port)}`);
  }
  let timeoutMs: number | undefined;
  if (v['timeout-ms'] !== undefined) {
    timeoutMs = positiveInt(v['timeout-ms'], 3_600_000);
    if (timeoutMs === undefined) return bad('--timeout-ms', `--timeout-ms must be a whole number of milliseconds from 1 to 3600000`);
  }
  const tls = (v.tls ?? 'auto') as TlsMode;
  if (!TLS_MODES.includes(tls)) return bad('--tls', `--tls must be one of ${TLS_MODES.join(', ')}`);
  if (v['tls-policy'] !== undefined && v['tls-policy'] !== 'mta') return bad('--tls-policy', '--tls-policy takes mta (send as a DANE/MTA-STS-aware MTA would)');
  const tlsPolicy: TlsPolicy | undefined = v['tls-policy'] === 'mta' ? 'mta' : undefined;
  let quitAfter: Stage | undefined;
  if (v['quit-after'] !== undefined) {
    quitAfter = QUIT_AFTER[v['quit-after'].toLowerCase()];
    if (quitAfter === undefined) return bad('--quit-after', `--quit-after must be one of ${Object.keys(QUIT_AFTER).join(', ')}`);
  }
  const headers: Array<{ name: string; value: string }> = [];
  for (const h of v.header ?? []) {
    const colon = h.indexOf(':');
    if (colon <= 0) return bad('--header', `--header must look like 'Name: value', not ${JSON.stringify(h)}`);
    headers.push({ name: h.slice(0, colon).trim(), value: h.slice(colon + 1).replace(/^ /, '') });
  }
  let body: BodySource | undefined;
  if (v.body !== undefined) {
    if (v.body === '-') body = { kind: 'stdin' };
    else if (v.body.startsWith('@')) body = { kind: 'file', path: v.body.slice(1) };
    else body = { kind: 'text', text: v.body };
    if (body.kind === 'file' && body.path === '') return bad('--body', '--body @FILE needs a file name');
  }
  let rawFile: string | undefined;
  if (v.raw !== undefined) {
    if (!v.raw.startsWith('@') || v.raw.length < 2) return bad('--raw', '--raw takes @FILE (the exact DATA text)');
    rawFile = v.raw.slice(1);
    if (body !== undefined || v.subject !== undefined || (v.attach ?? []).length > 0 || headers.length > 0)
      return bad('--raw', '--raw sends the file as the whole message; it cannot be combined with --body, --subject, --header or --attach');
  }
  if (v.server !== undefined && v.server.trim() === '') return bad('--server', '--server needs HOST[:PORT]');
  if (v.dns !== undefined && v.dns.trim() === '') return bad('--dns', '--dns needs HOST[:PORT]');
  if (v['auth-user'] !== undefined && v['auth-user'] === '') return bad('--auth-user', '--auth-user needs a user name');
  const transport = readTransportArgs(v);
  if (!transport.ok) return { ok: false, error: transport.error };
  const protocol = readProtocolArgs(v, v['auth-user']);
  if (!protocol.ok) return { ok: false, error: protocol.error };
  const dkim = readDkimArgs(v);
  if (!dkim.ok) return { ok: false, error: dkim.error };
  return {
    ok: true,
    args: {
      command: 'send',
      from: v.from,
      to,
      cc: v.cc ?? [],
      bcc: v.bcc ?? [],
      server: v.server,
      port,
      dns: v.dns,
      helo: v.helo,
      subject: v.subject ?? '',
      headers,
      body,
      rawFile,
      attach: v.attach ?? [],
      tls,
      ...(tlsPolicy ? { tlsPolicy } : {}),
      insecure: v.insecure ?? false,
      authUser: v['auth-user'],
      pipelining: !v['no-pipelining'],
      chunking: !v['no-chunking'],
      quitAfter,
      timeoutMs,
      json: v.json ?? false,
      ...(transport.value.transport || transport.value.tlsOptions ? { transport: transport.value } : {}),
      ...(protocol.value.protocol || protocol.value.authMechanism ? { protocol: protocol.value } : {}),
      ...(dkim.value ? { dkim: dkim.value } : {}),
    },
  };
}

export function parseCliArgs(argv: string[]): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { ok: true, args: { command: 'help' } };
  if (command === 'mx') return parseMx(rest);
  if (command === 'send') return parseSend(rest);
  return bad('COMMAND', `unknown command ${JSON.stringify(command)} (use mx, check or send)`);
}
