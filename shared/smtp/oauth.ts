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

function unsafe(user: string, token: string): string | undefined {
  if (['\r', '\n', '\0', CTRL_A].some((c) => user.includes(c))) return 'The user name contains a control character that cannot be sent in an OAuth response.';
  // RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
  if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(token)) return 'The bearer token is not a valid RFC 6750 token (letters, digits and -._~+/ only, then optional =).';
  return undefined;
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
  return ok({ verb: 'AUTH', wire: `AUTH ${mechanism} ${base64FromUtf8(payload)}\r\n`, display: `AUTH ${mechanism} ${REDACTED}` });
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
