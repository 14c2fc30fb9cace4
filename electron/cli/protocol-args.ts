// `mxdesk send` protocol flags (swaks' --protocol LMTP, --xclient-*; DSN, REQUIRETLS, --auth-mechanism). The
// flags become the request's `protocol` group, checked by the same shared validator the form and main use
// (shared/validate/protocol.ts). The OAuth bearer token is never a flag: MXDESK_OAUTH_TOKEN or a prompt.
import type { AuthMechanism, ProtocolOptions } from '../../shared/model';
import { OAUTH_TOKEN_ENV, bearerTokenProblem, isOAuthMechanism } from '../../shared/smtp/oauth';
import { validateProtocolGroup } from '../../shared/validate/protocol';
import type { ArgError } from './args';
import type { CliIo } from './io';

export const PROTOCOL_FLAGS = {
  lmtp: { type: 'boolean' },
  protocol: { type: 'string' },
  'dsn-notify': { type: 'string' },
  'dsn-ret': { type: 'string' },
  'dsn-envid': { type: 'string' },
  'dsn-orcpt': { type: 'boolean' },
  'require-tls': { type: 'boolean' },
  xclient: { type: 'string', multiple: true },
  'auth-mechanism': { type: 'string' },
  // Refused with a reason (like --password): a token on the command line ends up in shell history and `ps`.
  'oauth-token': { type: 'string' },
} as const;

export const PROTOCOL_USAGE = `              [--lmtp | --protocol ESMTP|LMTP] [--dsn-notify NEVER|SUCCESS,FAILURE,DELAY]
              [--dsn-ret FULL|HDRS] [--dsn-envid ID] [--dsn-orcpt] [--require-tls] [--xclient NAME=VALUE …]
              [--auth-mechanism PLAIN|LOGIN|CRAM-MD5|XOAUTH2|OAUTHBEARER]`;

export const PROTOCOL_HELP = `  XOAUTH2 and OAUTHBEARER take a bearer token instead of a password: from ${OAUTH_TOKEN_ENV}, or the prompt.`;

const MECHANISMS: readonly AuthMechanism[] = ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2', 'OAUTHBEARER'];

export interface ProtocolArgs {
  protocol?: ProtocolOptions;
  authMechanism?: AuthMechanism;
}

type Values = {
  [K in keyof typeof PROTOCOL_FLAGS]?: (typeof PROTOCOL_FLAGS)[K] extends { multiple: true } ? string[] : (typeof PROTOCOL_FLAGS)[K]['type'] extends 'boolean' ? boolean : string;
};

/** Validator field → the flag that sets it, so that an error names the flag. */
function flagFor(field: string, message: string): string {
  if (field.startsWith('protocol.dsn.notify')) return '--dsn-notify';
  if (field.startsWith('protocol.dsn.ret')) return '--dsn-ret';
  if (field.startsWith('protocol.dsn.envid')) return '--dsn-envid';
  // dsnProblem reports on the whole group: the message names the parameter.
  if (field.startsWith('protocol.dsn')) return /ENVID/.test(message) ? '--dsn-envid' : '--dsn-notify';
  if (field.startsWith('protocol.xclient')) return '--xclient';
  if (field === 'protocol.lmtp') return '--lmtp';
  return '--protocol';
}

export function readProtocolArgs(v: Values, authUser: string | undefined): { ok: true; value: ProtocolArgs } | { ok: false; error: ArgError } {
  const bad = (field: string, message: string): { ok: false; error: ArgError } => ({ ok: false, error: { field, message } });
  if (v['oauth-token'] !== undefined) return bad('--oauth-token', `tokens are never taken as a flag: set ${OAUTH_TOKEN_ENV} or answer the prompt`);
  let lmtp = v.lmtp === true;
  if (v.protocol !== undefined) {
    const name = v.protocol.trim().toUpperCase();
    // swaks' SMTP means HELO only; MX Desk always says EHLO first (RFC 5321 §3.2) and falls back to HELO itself.
    if (name === 'LMTP') lmtp = true;
    else if (name === 'ESMTP') {
      if (v.lmtp) return bad('--protocol', '--protocol ESMTP and --lmtp contradict each other');
    } else return bad('--protocol', `--protocol must be ESMTP or LMTP, not ${JSON.stringify(v.protocol)} (MX Desk always tries EHLO first, then HELO)`);
  }
  const dsn: Record<string, unknown> = {};
  if (v['dsn-notify'] !== undefined) dsn.notify = v['dsn-notify'].split(',').map((x) => x.trim());
  if (v['dsn-ret'] !== undefined) dsn.ret = v['dsn-ret'].trim().toUpperCase();
  if (v['dsn-envid'] !== undefined) dsn.envid = v['dsn-envid'];
  if (v['dsn-orcpt']) dsn.orcpt = true;
  const xclient: Array<{ name: string; value: string }> = [];
  for (const x of v.xclient ?? []) {
    const eq = x.indexOf('=');
    if (eq <= 0) return bad('--xclient', `--xclient must look like NAME=VALUE (e.g. ADDR=192.0.2.1), not ${JSON.stringify(x)}`);
    xclient.push({ name: x.slice(0, eq).trim(), value: x.slice(eq + 1) });
  }
  const raw: Record<string, unknown> = {};
  if (lmtp) raw.lmtp = true;
  if (v['require-tls']) raw.requireTls = true;
  if (Object.keys(dsn).length > 0) raw.dsn = dsn;
  if (xclient.length > 0) raw.xclient = xclient;
  const r = validateProtocolGroup(Object.keys(raw).length > 0 ? raw : undefined);
  const first = Object.entries(r.errors)[0];
  if (first) {
    const flag = flagFor(first[0], first[1]);
    return bad(flag, `${flag}: ${first[1]}`);
  }
  let authMechanism: AuthMechanism | undefined;
  if (v['auth-mechanism'] !== undefined) {
    const m = v['auth-mechanism'].trim().toUpperCase() as AuthMechanism;
    if (!MECHANISMS.includes(m)) return bad('--auth-mechanism', `--auth-mechanism must be one of ${MECHANISMS.join(', ')}`);
    if (authUser === undefined) return bad('--auth-mechanism', '--auth-mechanism needs --auth-user USER');
    authMechanism = m;
  }
  return { ok: true, value: { protocol: r.protocol, authMechanism } };
}

/**
 * The secret for AUTH: the password (MXDESK_PASSWORD) or, for XOAUTH2/OAUTHBEARER, the bearer token
 * (MXDESK_OAUTH_TOKEN), else the same non-echoing prompt. Never quoted in an error.
 */
export async function readAuthSecret(io: CliIo, user: string, mechanism: AuthMechanism): Promise<{ ok: true; secret: string } | { ok: false; error: ArgError }> {
  if (!isOAuthMechanism(mechanism)) {
    const password = io.env.MXDESK_PASSWORD ?? (await io.promptSecret(`Password for ${user}: `));
    if (password === undefined) return { ok: false, error: { field: '--auth-user', message: '--auth-user needs a password: set MXDESK_PASSWORD (there is no terminal to prompt on)' } };
    return { ok: true, secret: password };
  }
  const token = (io.env[OAUTH_TOKEN_ENV] ?? (await io.promptSecret(`Bearer token for ${user} (${mechanism}): `)))?.trim();
  if (token === undefined || token === '') return { ok: false, error: { field: '--auth-mechanism', message: `${mechanism} needs a bearer token: set ${OAUTH_TOKEN_ENV} (there is no terminal to prompt on)` } };
  const problem = bearerTokenProblem(token);
  if (problem) return { ok: false, error: { field: OAUTH_TOKEN_ENV, message: problem } };
  return { ok: true, secret: token };
}
