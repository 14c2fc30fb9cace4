/**
 * OAuth 2.0 SASL initial responses. XOAUTH2 (Google's mechanism): `user=U ^A auth=Bearer T ^A ^A`.
 * OAUTHBEARER (RFC 7628 §3.1): a GS2 header `n,a=U,` then `^A auth=Bearer T ^A ^A`. Both go as the
 * SASL initial response (RFC 4954 §4) and are redacted where they are built.
 */
import type { Result } from '../result';
import { fail, ok } from '../result';
import { base64FromUtf8 } from './base64';
import { REDACTED, type WireCommand } from './commands';

const CTRL_A = '\x01';

/** The environment variable the CLI reads the bearer token from, and the exports refer to (never a flag). */
export const OAUTH_TOKEN_ENV = 'MXDESK_OAUTH_TOKEN';

/**
 * The longest bearer token accepted. With it the AUTH line and its initial response stay within the 12288
 * octets RFC 4954 §4 allows an AUTH command line (base64 of the payload is 4/3 of it).
 */
export const MAX_BEARER_TOKEN = 8192;

/** RFC 4954 §4: the AUTH command line, initial response included, is at most 12288 octets. */
export const MAX_AUTH_LINE = 12288;

export function isOAuthMechanism(m: string | undefined): m is 'XOAUTH2' | 'OAUTHBEARER' {
  return m === 'XOAUTH2' || m === 'OAUTHBEARER';
}

/** Why `token` cannot be sent as an OAuth 2.0 bearer token; undefined when it can. The token is never quoted. */
export function bearerTokenProblem(token: string): string | undefined {
  // RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
  if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(token)) return 'The bearer token is not a valid RFC 6750 token (letters, digits and -._~+/ only, then optional =).';
  return undefined;
}

function unsafe(user: string, token: string): string | undefined {
  if (['\r', '\n', '\0', CTRL_A].some((c) => user.includes(c))) return 'The user name contains a control character that cannot be sent in an OAuth response.';
  return bearerTokenProblem(token);
}

export function xoauth2Payload(user: string, token: string): string {
  return `user=${user}${CTRL_A}auth=Bearer ${token}${CTRL_A}${CTRL_A}`;
}

/** RFC 7628 §3.1: gs2-header with the authzid; "," and "=" in it are escaped as =2C and =3D (RFC 5801 §4). */
export function oauthBearerPayload(user: string, token: string): string {
  const authzid = user.replace(/=/g, '=3D').replace(/,/g, '=2C');
  return `n,a=${authzid},${CTRL_A}auth=Bearer ${token}${CTRL_A}${CTRL_A}`;
}

export function oauthStart(mechanism: 'XOAUTH2' | 'OAUTHBEARER', user: string, token: string, initialResponse = true): Result<WireCommand> {
  const p = unsafe(user, token);
  if (p) return fail('invalid_argument', p, { field: 'token' });
  if (!initialResponse) return ok({ verb: 'AUTH', wire: `AUTH ${mechanism}\r\n`, display: `AUTH ${mechanism}` });
  const payload = mechanism === 'XOAUTH2' ? xoauth2Payload(user, token) : oauthBearerPayload(user, token);
  const wire = `AUTH ${mechanism} ${base64FromUtf8(payload)}\r\n`;
  // RFC 4954 §4: a line that would be too long goes without the initial response; the 334 then asks for it.
  if (new TextEncoder().encode(wire).length - 2 > MAX_AUTH_LINE) return oauthStart(mechanism, user, token, false);
  return ok({ verb: 'AUTH', wire, display: `AUTH ${mechanism} ${REDACTED}` });
}

/** The response to the server's 334 after the initial response: an error challenge (RFC 7628 §3.2.3). */
export function oauthErrorAck(mechanism: 'XOAUTH2' | 'OAUTHBEARER'): WireCommand {
  // RFC 7628 §3.2.3: the client answers the error challenge with a single ^A (base64 "AQ==");
  // XOAUTH2 expects an empty line.
  const wire = mechanism === 'OAUTHBEARER' ? base64FromUtf8(CTRL_A) : '';
  return { verb: 'AUTH', wire: wire + '\r\n', display: mechanism === 'OAUTHBEARER' ? 'AQ== (^A: acknowledges the error)' : '(empty line: acknowledges the error)' };
}

export function oauthResponse(mechanism: 'XOAUTH2' | 'OAUTHBEARER', user: string, token: string): WireCommand {
  const payload = mechanism === 'XOAUTH2' ? xoauth2Payload(user, token) : oauthBearerPayload(user, token);
  return { verb: 'AUTH', wire: base64FromUtf8(payload) + '\r\n', display: REDACTED };
}
