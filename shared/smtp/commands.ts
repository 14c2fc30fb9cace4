/**
 * SMTP command builders. Each returns the exact bytes to write (`wire`, ending in CRLF) and the form the
 * transcript shows (`display`, escaped, secrets already redacted here where the command is built, so no
 * later layer ever holds the secret in a display string).
 *
 * Last line of defence (RELIABILITY "Input from the form"): every argument containing CR, LF or NUL is
 * refused, whatever validated it before. A CR or LF in an argument would let it end the command early and
 * smuggle a second one (RFC 5321 §2.3.8: lines end in CRLF, and nothing else may end one).
 */
import type { AppError, Result } from '../result';
import { fail, ok } from '../result';
import { base64FromUtf8, isBase64 } from './base64';
import { escapeForDisplay } from './escape';

export { escapeForDisplay } from './escape';

export interface WireCommand {
  /** Upper-case command word (`MAIL`, `RCPT`, `AUTH`...); `AUTH` also for SASL continuation lines. */
  verb: string;
  /** Exact text to write, ending in CRLF. */
  wire: string;
  /** Transcript form: escaped, secrets replaced by `‹redacted›`. */
  display: string;
}

export const REDACTED = '‹redacted›';

const UNSAFE_NAMES: Record<string, string> = { '\r': 'a carriage return (CR)', '\n': 'a line feed (LF)', '\0': 'a NUL character' };

/** Returns an error if `value` holds CR, LF or NUL. The value itself is never quoted (it may be a secret). */
function unsafe(value: string, what: string): AppError | undefined {
  const m = /[\r\n\0]/.exec(value);
  if (!m) return undefined;
  return {
    code: 'unsafe_argument',
    message: `The ${what} contains ${UNSAFE_NAMES[m[0]]} at position ${m.index + 1}; a command argument may not contain CR, LF or NUL.`,
    field: what,
  };
}

function refused(e: AppError): Result<WireCommand> {
  return { ok: false, error: e };
}

function build(verb: string, line: string, display?: string): Result<WireCommand> {
  return ok({ verb, wire: line + '\r\n', display: display ?? escapeForDisplay(line) });
}

function simple(verb: string): Result<WireCommand> {
  return build(verb, verb);
}

function domainArg(verb: string, name: string): Result<WireCommand> {
  const e = unsafe(name, `${verb} name`);
  if (e) return refused(e);
  if (name === '' || /\s/.test(name)) return fail('invalid_argument', `The ${verb} name must be one word: a host name or an address literal.`, { field: `${verb} name` });
  return build(verb, `${verb} ${name}`);
}

// RFC 5321 §4.1.2: esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-");
// esmtp-value = 1*(%d33-60 / %d62-126), widened to UTF-8 by RFC 6531 §3.3.
const ESMTP_PARAM = /^[A-Za-z0-9][A-Za-z0-9-]*(=[\x21-\x3c\x3e-\x7e\u0080-\uffff]+)?$/;

function pathCommand(verb: 'MAIL' | 'RCPT', path: string, params: readonly string[]): Result<WireCommand> {
  const what = verb === 'MAIL' ? 'sender address' : 'recipient address';
  const e = unsafe(path, what);
  if (e) return refused(e);
  // RFC 5321 §4.1.2: the path is `<` Mailbox `>`; brackets or spaces inside would let the address carry
  // extra parameters or a second path.
  if (/[<>\s]/.test(path)) return fail('invalid_argument', `The ${what} may not contain '<', '>' or spaces.`, { field: what });
  if (verb === 'RCPT' && path === '') return fail('invalid_argument', 'The recipient address is empty; only MAIL FROM may use the null path <>.', { field: what });
  for (const p of params) {
    const pe = unsafe(p, 'ESMTP parameter');
    if (pe) return refused(pe);
    if (!ESMTP_PARAM.test(p)) return fail('invalid_argument', `"${escapeForDisplay(p)}" is not a valid ESMTP parameter (keyword or keyword=value, RFC 5321 §4.1.2).`, { field: 'ESMTP parameter' });
  }
  const head = verb === 'MAIL' ? `MAIL FROM:<${path}>` : `RCPT TO:<${path}>`;
  return build(verb, [head, ...params].join(' '));
}

export function ehlo(name: string): Result<WireCommand> {
  return domainArg('EHLO', name);
}

export function helo(name: string): Result<WireCommand> {
  return domainArg('HELO', name);
}

/** `path` is the bare address ('' for the null sender); params like `SIZE=1234`, `BODY=8BITMIME`, `SMTPUTF8`. */
export function mailFrom(path: string, params: readonly string[] = []): Result<WireCommand> {
  return pathCommand('MAIL', path, params);
}

export function rcptTo(path: string, params: readonly string[] = []): Result<WireCommand> {
  return pathCommand('RCPT', path, params);
}

export function data(): Result<WireCommand> {
  return simple('DATA');
}

/** RFC 3030 §2: `BDAT <size> [LAST]`, size in octets of the chunk that follows. */
export function bdat(size: number, last: boolean): Result<WireCommand> {
  if (!Number.isSafeInteger(size) || size < 0) return fail('invalid_argument', 'The BDAT chunk size must be a whole number of octets, 0 or more.', { field: 'BDAT size' });
  return build('BDAT', last ? `BDAT ${size} LAST` : `BDAT ${size}`);
}

export function quit(): Result<WireCommand> {
  return simple('QUIT');
}

export function rset(): Result<WireCommand> {
  return simple('RSET');
}

export function noop(): Result<WireCommand> {
  return simple('NOOP');
}

export function starttls(): Result<WireCommand> {
  return simple('STARTTLS');
}

function argCommand(verb: string, arg: string): Result<WireCommand> {
  const e = unsafe(arg, `${verb} argument`);
  if (e) return refused(e);
  if (arg.trim() === '') return fail('invalid_argument', `${verb} needs an argument.`, { field: `${verb} argument` });
  return build(verb, `${verb} ${arg}`);
}

export function vrfy(arg: string): Result<WireCommand> {
  return argCommand('VRFY', arg);
}

export function expn(arg: string): Result<WireCommand> {
  return argCommand('EXPN', arg);
}

export function help(arg?: string): Result<WireCommand> {
  if (arg === undefined || arg === '') return simple('HELP');
  return argCommand('HELP', arg);
}

/** RFC 4616: message = [authzid] NUL authcid NUL passwd, sent as the RFC 4954 initial response. */
export function authPlain(user: string, pass: string, authzid = ''): Result<WireCommand> {
  for (const [v, what] of [
    [user, 'user name'],
    [pass, 'password'],
    [authzid, 'authorization identity'],
  ] as const) {
    const e = unsafe(v, what);
    if (e) return refused(e);
  }
  const response = base64FromUtf8(`${authzid}\0${user}\0${pass}`);
  return build('AUTH', `AUTH PLAIN ${response}`, `AUTH PLAIN ${REDACTED}`);
}

export function authLoginStart(): Result<WireCommand> {
  return build('AUTH', 'AUTH LOGIN');
}

/**
 * A SASL continuation line (RFC 4954 §4): already base64 (or `*` to cancel). Always redacted, whatever
 * `what` is: even the LOGIN user name is a credential half.
 */
export function authSecret(base64: string, what: 'user' | 'password' | 'cram-md5'): Result<WireCommand> {
  const e = unsafe(base64, `${what} response`);
  if (e) return refused(e);
  if (base64 !== '*' && !isBase64(base64)) return fail('invalid_argument', `The ${what} response is not base64.`, { field: `${what} response` });
  return build('AUTH', base64, REDACTED);
}

/** Convenience for AUTH LOGIN: base64-encodes `text` (UTF-8) and redacts it. */
export function authLoginResponse(text: string, what: 'user' | 'password'): Result<WireCommand> {
  const e = unsafe(text, what === 'user' ? 'user name' : 'password');
  if (e) return refused(e);
  return authSecret(base64FromUtf8(text), what);
}

/**
 * A line typed by the user (step mode) sent as is. `AUTH <mechanism> <initial-response>` is redacted
 * automatically; `secret: true` redacts the whole line (a reply to a 334 challenge typed by hand).
 */
export function rawLine(text: string, opts: { secret?: boolean } = {}): Result<WireCommand> {
  const e = unsafe(text, 'command');
  if (e) return refused(e);
  const verb = (/^\s*([A-Za-z]+)/.exec(text)?.[1] ?? '').toUpperCase();
  if (opts.secret) return build('AUTH', text, REDACTED);
  const auth = /^(\s*AUTH\s+\S+)\s+\S/i.exec(text);
  if (auth) return build('AUTH', text, `${escapeForDisplay(auth[1])} ${REDACTED}`);
  return build(verb, text);
}
