/**
 * The protocol options (LMTP, DSN, REQUIRETLS, XCLIENT, OAuth) in the command-line exports: the flags each
 * tool has for them, and a comment where a tool cannot express one. Spellings checked against swaks
 * 20201014 (`swaks --help`) and curl 7.88 (`curl --help all`); a flag that does not exist is never printed.
 */
import type { ProtocolOptions } from '../model';
import { dsnMailParams, dsnRcptParams, hasDsnOptions } from '../smtp/dsn-params';
import { OAUTH_TOKEN_ENV, isOAuthMechanism } from '../smtp/oauth';
import { escapeForDisplay as esc } from '../smtp/escape';
import { xtextEncode } from '../smtp/xtext';
import type { SendSpec } from './send-spec';
import { shq } from './shell-quote';

/** A double-quoted reference to the token variable: expanded by the shell at run time, never written out. */
export const OAUTH_TOKEN_REF = `"$${OAUTH_TOKEN_ENV}"`;

const p = (s: SendSpec): ProtocolOptions => s.protocol ?? {};

export function usesOAuth(s: SendSpec): boolean {
  return s.authUser !== undefined && isOAuthMechanism(s.authMechanism);
}

/** swaks: `--protocol LMTP` (LHLO) and `--xclient-<name> VALUE` per attribute (one XCLIENT command). */
export function swaksProtocolWords(s: SendSpec): string[][] {
  const words: string[][] = [];
  if (p(s).lmtp) words.push(['--protocol', 'LMTP']);
  for (const a of p(s).xclient ?? []) words.push([`--xclient-${a.name.toLowerCase()}`, shq(a.value)]);
  return words;
}

export function swaksProtocolNotes(specs: SendSpec[]): string[] {
  const out: string[] = [];
  if (specs.some((s) => hasDsnOptions(p(s).dsn))) out.push('# swaks has no DSN options: NOTIFY, RET, ENVID and ORCPT (RFC 3461) are not sent by this command.');
  if (specs.some((s) => p(s).requireTls)) out.push('# swaks has no REQUIRETLS (RFC 8689): MAIL FROM goes without it.');
  if (specs.some(usesOAuth)) out.push('# swaks has no XOAUTH2 or OAUTHBEARER: this command does not authenticate; use the curl export.');
  return out;
}

/** curl: the bearer token from the environment, the initial response (RFC 4954 §4), the mechanism. */
export function curlOAuthWords(s: SendSpec): string[][] {
  return [['--user', shq(`${s.authUser ?? ''}:`)], ['--oauth2-bearer', OAUTH_TOKEN_REF], ['--sasl-ir'], ['--login-options', shq(`AUTH=${s.authMechanism ?? 'XOAUTH2'}`)]];
}

export function curlProtocolNotes(specs: SendSpec[]): string[] {
  const out: string[] = [];
  if (specs.some(usesOAuth)) out.push(`# The bearer token is read from $${OAUTH_TOKEN_ENV}; it is never written here.`);
  if (specs.some((s) => p(s).lmtp)) out.push('# curl cannot speak LMTP (RFC 2033): it would say EHLO, which an LMTP server refuses.');
  if (specs.some((s) => hasDsnOptions(p(s).dsn))) out.push('# curl has no DSN options: NOTIFY, RET, ENVID and ORCPT (RFC 3461) are not sent.');
  if (specs.some((s) => p(s).requireTls)) out.push('# curl has no REQUIRETLS (RFC 8689).');
  if (specs.some((s) => (p(s).xclient ?? []).length > 0)) out.push('# curl has no XCLIENT: the server sees this machine as the client.');
  return out;
}

/** The typed greeting: LHLO for LMTP, then XCLIENT and EHLO again after its 220 (XCLIENT_README). */
export function opensslHelloLines(s: SendSpec): string[] {
  const name = esc(s.heloName ?? 'client.invalid');
  const verb = p(s).lmtp ? 'LHLO' : 'EHLO';
  const attrs = p(s).xclient ?? [];
  if (attrs.length === 0) return [`${verb} ${name}`];
  return [`${verb} ${name}`, esc(`XCLIENT ${attrs.map((a) => `${a.name}=${xtextEncode(a.value)}`).join(' ')}`), '# after the 220 to XCLIENT, greet again:', `${verb} ${name}`];
}

export function opensslMailLine(s: SendSpec): string {
  // RFC 3461 §4.3, §4.4 (RET, ENVID); RFC 8689 §4.1 (REQUIRETLS, only over TLS).
  const params = [...dsnMailParams(p(s).dsn), ...(p(s).requireTls ? ['REQUIRETLS'] : [])];
  return `MAIL FROM:<${esc(s.mailFrom)}>${params.length ? ` ${params.join(' ')}` : ''}`;
}

export function opensslRcptLine(s: SendSpec, rcpt: string): string {
  const params = dsnRcptParams(p(s).dsn, rcpt); // RFC 3461 §4.1, §4.2
  return `RCPT TO:<${esc(rcpt)}>${params.length ? ` ${params.join(' ')}` : ''}`;
}

/** XOAUTH2 / OAUTHBEARER typed by hand: the initial response computed from the token variable. */
export function opensslOAuthLines(s: SendSpec): string[] {
  const user = shq(s.authUser ?? '');
  const format = s.authMechanism === 'OAUTHBEARER' ? `'n,a=%s,\\001auth=Bearer %s\\001\\001'` : `'user=%s\\001auth=Bearer %s\\001\\001'`;
  return [`# AUTH ${s.authMechanism}: compute the initial response first, in another shell:`, `#   printf ${format} ${user} ${OAUTH_TOKEN_REF} | base64 -w0`, `AUTH ${s.authMechanism} <response>`];
}
