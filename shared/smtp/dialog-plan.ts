/**
 * What the dialog should do next, given where it stands. The same answer drives auto mode (send it) and
 * step mode (suggest it). Policy lives here: when TLS is required, when AUTH may be attempted, what must be
 * true before MAIL (SIZE, 8BITMIME, SMTPUTF8), and the quit-after / breakpoint stops.
 */
import type { AuthMechanism, Stage, Timeouts } from '../model';
import type { Result } from '../result';
import type { AuthClient, DialogConfig, DialogState, ExpectVerb, SaslMechanism } from './dialog-types';
import type { WireCommand } from './commands';
import { bdat, data, ehlo, helo, mailFrom, quit, rcptTo, starttls } from './commands';
import { dsnMailParams, dsnRcptParams } from './dsn-params';
import { lhlo } from './lmtp';
import { protocolPreMailStop, xclientMove } from './protocol-plan';

export type Move =
  | { kind: 'command'; stage: Stage; verb: ExpectVerb; deadline: keyof Timeouts; command: Result<WireCommand>; rcpt?: string; authClient?: AuthClient }
  /** The message: after 354 (DATA), or BDAT with the whole message as one LAST chunk (RFC 3030 §2). */
  | { kind: 'body'; method: 'DATA' | 'BDAT'; command?: Result<WireCommand> }
  /** Policy says stop here: QUIT, and the reason becomes the outcome. */
  | { kind: 'stop'; stage: Stage; reason: string }
  | { kind: 'quit' }
  | { kind: 'wait' };

/** Protocol order of stages, for quit-after and for out-of-order warnings. */
export const STAGE_ORDER: Record<Stage, number> = { dns: 0, connect: 1, greeting: 2, ehlo: 3, starttls: 4, tls: 5, auth: 6, mail: 7, rcpt: 8, data: 9, body: 10, quit: 11 };

export function moveStage(m: Move): Stage | undefined {
  if (m.kind === 'command' || m.kind === 'stop') return m.stage;
  if (m.kind === 'body') return m.method === 'BDAT' ? 'data' : 'body';
  if (m.kind === 'quit') return 'quit';
  return undefined;
}

/** TLS is required by the chosen mode, or because a password would otherwise travel in clear. */
export function tlsRequired(cfg: DialogConfig): boolean {
  if (cfg.tls === 'starttls' || cfg.tls === 'require' || cfg.tls === 'implicit') return true;
  return cfg.auth !== undefined && !cfg.plaintextAuthAllowed;
}

export function pipeliningActive(s: DialogState): boolean {
  return s.config.pipelining && s.caps?.pipelining === true;
}

export function chunkingActive(s: DialogState): boolean {
  return s.config.chunking && s.caps?.chunking === true;
}

/** What the user must know when AUTH was not attempted: the secret stayed here (a bearer token for OAuth). */
function notSent(cfg: DialogConfig): string {
  return cfg.auth?.mechanism === 'XOAUTH2' || cfg.auth?.mechanism === 'OAUTHBEARER' ? ' Your bearer token was NOT sent.' : ' Your password was NOT sent.';
}

/** RFC 4954: over TLS, PLAIN costs one round trip; in clear (loopback only) prefer CRAM-MD5, which hides the password. */
export function chooseMechanism(offered: readonly string[], wanted: AuthMechanism, secure: boolean): SaslMechanism | undefined {
  const supported: SaslMechanism[] = secure ? ['PLAIN', 'LOGIN', 'CRAM-MD5'] : ['CRAM-MD5', 'PLAIN', 'LOGIN'];
  if (wanted !== 'auto') return offered.includes(wanted) ? wanted : undefined;
  return supported.find((m) => offered.includes(m));
}

function command(stage: Stage, verb: ExpectVerb, deadline: keyof Timeouts, cmd: Result<WireCommand>, extra: { rcpt?: string; authClient?: AuthClient } = {}): Move {
  return { kind: 'command', stage, verb, deadline, command: cmd, ...extra };
}

function tlsMove(s: DialogState): Move | undefined {
  const cfg = s.config;
  if (s.secure || cfg.tls === 'none' || cfg.implicitTls) return undefined;
  if (s.caps?.starttls && !s.starttlsRefused) return command('starttls', 'STARTTLS', 'commandMs', starttls());
  if (!tlsRequired(cfg)) return undefined; // opportunistic (port 25): go on in clear, flagged by the caller
  const why = s.starttlsRefused ? 'The server refused STARTTLS' : 'The server does not offer STARTTLS';
  const need = cfg.auth && cfg.tls !== 'starttls' && cfg.tls !== 'require' ? 'AUTH requires TLS' : `TLS is required (mode "${cfg.tls}")`;
  return { kind: 'stop', stage: 'starttls', reason: `${why}, and ${need}; the session stopped before sending anything else.${cfg.auth ? notSent(cfg) : ''}` };
}

function authMove(s: DialogState): Move | undefined {
  const cfg = s.config;
  if (!cfg.auth || s.authenticated) return undefined;
  if (!s.secure && !cfg.plaintextAuthAllowed) {
    return { kind: 'stop', stage: 'auth', reason: `The connection is not encrypted, so AUTH was not attempted.${notSent(cfg)}` };
  }
  const offered = s.caps?.auth ?? [];
  if (offered.length === 0) return { kind: 'stop', stage: 'auth', reason: `The server does not offer AUTH${s.secure ? '' : ' (some servers offer it only after STARTTLS)'}.${notSent(cfg)}` };
  const mech = chooseMechanism(offered, cfg.auth.mechanism, s.secure);
  if (!mech) {
    const wanted = cfg.auth.mechanism === 'auto' ? 'PLAIN, LOGIN or CRAM-MD5' : cfg.auth.mechanism;
    return { kind: 'stop', stage: 'auth', reason: `The server offers AUTH ${offered.join(' ')}, not ${wanted}.${notSent(cfg)}` };
  }
  const client = s.authClient && s.authClient.mechanism === mech ? s.authClient : cfg.auth.createClient(mech);
  return command('auth', 'AUTH', 'commandMs', client.start(), { authClient: client });
}

/** Checks that must pass before MAIL (RELIABILITY "DATA on the wire", "Input from the form"). */
function preMailStop(s: DialogState): Move | undefined {
  const m = s.config.message;
  const caps = s.caps;
  if (m.unsendable !== undefined) return { kind: 'stop', stage: 'data', reason: m.unsendable };
  if (caps?.size !== undefined && m.sizeBytes > caps.size) {
    return { kind: 'stop', stage: 'mail', reason: `The message is ${m.sizeBytes} bytes and the server accepts at most ${caps.size} (SIZE, RFC 1870); nothing was sent.` };
  }
  if (m.needsSmtpUtf8 && !caps?.smtputf8) {
    return { kind: 'stop', stage: 'mail', reason: 'The envelope or the headers contain non-ASCII text, which needs SMTPUTF8 (RFC 6531), and the server does not offer it; nothing was sent.' };
  }
  const protocolStop = protocolPreMailStop(s);
  if (protocolStop) return protocolStop;
  if (m.needs8bit && !caps?.eightBitMime) {
    return { kind: 'stop', stage: 'mail', reason: 'The message contains 8-bit bytes and the server does not offer 8BITMIME (RFC 6152). Composed messages are transfer-encoded; a raw message must be 7-bit for this server.' };
  }
  return undefined;
}

export function mailParams(s: DialogState): string[] {
  const caps = s.caps;
  const m = s.config.message;
  const params: string[] = [];
  if (caps?.keywords.includes('SIZE')) params.push(`SIZE=${m.sizeBytes}`); // RFC 1870 §6
  if (m.needs8bit && caps?.eightBitMime) params.push('BODY=8BITMIME'); // RFC 6152 §2
  if (m.needsSmtpUtf8 && caps?.smtputf8) params.push('SMTPUTF8'); // RFC 6531 §3.4
  if (caps?.dsn) params.push(...dsnMailParams(s.config.dsn)); // RFC 3461 §4.3, §4.4
  if (s.config.requireTls && s.secure && caps?.keywords.includes('REQUIRETLS')) params.push('REQUIRETLS'); // RFC 8689 §4.1
  return params;
}

/** RCPT parameters: DSN's NOTIFY and ORCPT when the server offers DSN (RFC 3461 §4.1, §4.2). */
export function rcptParams(s: DialogState, rcpt: string): string[] {
  return s.caps?.dsn ? dsnRcptParams(s.config.dsn, rcpt) : [];
}

/** Why nothing was sent when every RCPT failed, quoting what the server said (escaped, bounded). */
export function noRecipientReason(s: DialogState): string {
  const refusals = s.recipients
    .filter((r) => !r.accepted)
    .slice(0, 3)
    .map((r) => `${r.rcpt}: "${r.code} ${r.text.slice(0, 120)}"`);
  const more = s.recipients.length > 3 ? ` and ${s.recipients.length - 3} more` : '';
  return `No recipient was accepted${refusals.length ? ` (${refusals.join('; ')}${more})` : ''}, so the message was not sent.`;
}

export function acceptedCount(s: DialogState): number {
  return s.recipients.filter((r) => r.accepted).length;
}

/** The next move when nothing is outstanding. Pure: it does not change the state. */
export function nextMove(s: DialogState): Move {
  const cfg = s.config;
  if (!s.greeted || s.quitSent || s.finished || s.tlsPending || s.queue.length > 0) return { kind: 'wait' };
  if (s.failure || s.delivered || s.quitAfterHit) return { kind: 'quit' };
  if (!s.heloDone) {
    if (!s.ehloRefused) return command('ehlo', 'EHLO', 'commandMs', cfg.lmtp ? lhlo(cfg.heloName) : ehlo(cfg.heloName));
    // RFC 2033 §4.1: LMTP has no HELO.
    if (cfg.lmtp) return { kind: 'stop', stage: 'ehlo', reason: 'The server refused LHLO, and LMTP has no HELO fallback (RFC 2033 §4.1); nothing was sent.' };
    // RFC 5321 §3.2: fall back to HELO, but HELO has no STARTTLS and no AUTH.
    if ((tlsRequired(cfg) && !s.secure) || cfg.auth) {
      return { kind: 'stop', stage: 'ehlo', reason: `The server refused EHLO, and HELO cannot do ${cfg.auth ? 'AUTH' : 'STARTTLS'}.${cfg.auth ? notSent(cfg) : ''}` };
    }
    return command('ehlo', 'HELO', 'commandMs', helo(cfg.heloName));
  }
  const tls = tlsMove(s);
  if (tls) return tls;
  const xclient = xclientMove(s);
  if (xclient) return xclient;
  const auth = authMove(s);
  if (auth) return auth;
  if (!s.mailSent) return preMailStop(s) ?? command('mail', 'MAIL', 'mailMs', mailFrom(cfg.mailFrom, mailParams(s)));
  if (s.rcptNext < cfg.rcptTo.length) {
    const rcpt = cfg.rcptTo[s.rcptNext];
    return command('rcpt', 'RCPT', 'rcptMs', rcptTo(rcpt, rcptParams(s, rcpt)), { rcpt });
  }
  if (!s.mailAccepted) return { kind: 'quit' };
  if (!s.dataSent) {
    if (acceptedCount(s) === 0) return { kind: 'stop', stage: 'rcpt', reason: noRecipientReason(s) };
    if (chunkingActive(s)) return { kind: 'body', method: 'BDAT', command: bdat(cfg.message.sizeBytes, true) };
    return command('data', 'DATA', 'dataStartMs', data());
  }
  if (s.awaitingBody) return { kind: 'body', method: 'DATA' };
  return { kind: 'quit' };
}

export function quitCommand(): Move {
  return command('quit', 'QUIT', 'quitMs', quit());
}
