/**
 * Field validators shared by the form (as the user types) and by main (every request is checked again).
 * RELIABILITY "Input from the form": CR, LF, NUL, other C0 controls and DEL are refused per field.
 */
import { parseIpv4, parseIpv6 } from '../ip-address';
import { domainToAscii, validateAddressLiteral } from './address';
import type { FieldResult } from './text-rules';
import { controlError, fieldError, fieldOk, quote } from './text-rules';

export type { FieldResult } from './text-rules';
export type { Mailbox, MailboxOptions } from './address';
export type { AddressEntry } from './address-list';
export { envelopeAddress, validateMailbox } from './address';
export { parseAddressList } from './address-list';

/** Headers the composer writes itself. Bcc is never written (RELIABILITY: Bcc goes to RCPT only). */
export const MANAGED_HEADERS = ['from', 'to', 'cc', 'bcc', 'subject', 'reply-to', 'date', 'message-id', 'mime-version', 'content-type', 'content-transfer-encoding'];
export const MAX_HEADER_VALUE_CHARS = 16384;
export const MAX_HEADER_NAME_CHARS = 200;

/** Subject and custom header values: any Unicode text (RFC 2047-encoded later); a tab is allowed. */
export function validateHeaderValue(value: string, label = 'The header value'): FieldResult<string> {
  const ctl = controlError(value, label, true);
  if (ctl) return fieldError(ctl);
  if (value.length > MAX_HEADER_VALUE_CHARS) return fieldError(`${label} is ${value.length} characters; at most ${MAX_HEADER_VALUE_CHARS} are allowed.`);
  return fieldOk(value);
}

/** RFC 5322 §2.2: field-name = 1*ftext, ftext = %d33-57 / %d59-126 (printable ASCII except ':'). */
export function validateHeaderName(name: string, opts: { allowManaged?: boolean; label?: string } = {}): FieldResult<string> {
  const label = opts.label ?? 'The header name';
  const ctl = controlError(name, label);
  if (ctl) return fieldError(ctl);
  if (name === '') return fieldError(`${label} is empty.`);
  if (name.length > MAX_HEADER_NAME_CHARS) return fieldError(`${label} is too long (at most ${MAX_HEADER_NAME_CHARS} characters).`);
  for (const ch of name) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === ':') return fieldError(`${label} may not contain ':' (it ends the name; put the value in the value field).`);
    if (ch === ' ') return fieldError(`${label} may not contain spaces (RFC 5322 §2.2).`);
    if (c < 33 || c > 126) return fieldError(`${label} may only hold printable ASCII; ${quote(ch)} is not allowed (RFC 5322 §2.2).`);
  }
  const lower = name.toLowerCase();
  if (lower === 'bcc') return fieldError('Bcc cannot be a custom header: Bcc recipients go into the envelope only, never into a header.');
  if (!opts.allowManaged && MANAGED_HEADERS.includes(lower)) return fieldError(`${name} is set by its own field; it cannot also be a custom header.`);
  return fieldOk(name);
}

/** RFC 5321 §4.1.1.1 / §2.3.5: EHLO/HELO takes an FQDN or an address literal. Returns the A-label form. */
export function validateHeloName(name: string, label = 'The HELO name'): FieldResult<string> {
  const ctl = controlError(name, label);
  if (ctl) return fieldError(ctl);
  const text = name.trim();
  if (text === '') return fieldError(`${label} is empty: use this machine's fully qualified name or an address literal like [192.0.2.1].`);
  if (/\s/.test(text)) return fieldError(`${label} may not contain spaces.`);
  if (text.startsWith('[')) {
    const err = validateAddressLiteral(text);
    return err ? fieldError(`${label}: ${err}`) : fieldOk(text);
  }
  if (parseIpv4(text) || (text.includes(':') && parseIpv6(text))) return fieldError(`${label}: a bare IP address must be written as an address literal, like [${text.includes(':') ? 'IPv6:' : ''}${text}] (RFC 5321 §4.1.3).`);
  const d = domainToAscii(text, label, 2);
  if ('error' in d) return fieldError(d.error);
  return fieldOk(d.ascii, d.ascii !== text ? [`Sent as ${d.ascii}.`] : []);
}

export interface HostPort {
  /** Host name as A-labels, an IPv4 address, or an IPv6 address without brackets. */
  host: string;
  port?: number;
  family?: 4 | 6;
}

/** `host`, `host:port`, `192.0.2.1:25`, `[2001:db8::1]:25`, or a bare IPv6 address (no port). */
export function validateHostPort(text: string, label = 'The server'): FieldResult<HostPort> {
  const ctl = controlError(text, label);
  if (ctl) return fieldError(ctl);
  const t = text.trim();
  if (t === '') return fieldError(`${label} is empty: give a host name or an IP address, with an optional :port.`);
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(t);
  if (bracketed) {
    host = bracketed[1];
    portText = bracketed[2];
    if (!parseIpv6(host) || host.includes('%')) return fieldError(`${label}: ${quote(host)} in brackets is not an IPv6 address.`);
  } else if ((t.match(/:/g) ?? []).length >= 2) {
    host = t;
    if (!parseIpv6(host) || host.includes('%')) return fieldError(`${label}: ${quote(t)} is not an IPv6 address; write [address]:port to add a port.`);
  } else {
    const colon = t.indexOf(':');
    host = colon >= 0 ? t.slice(0, colon) : t;
    portText = colon >= 0 ? t.slice(colon + 1) : undefined;
  }
  let port: number | undefined;
  if (portText !== undefined) {
    if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) return fieldError(`${label}: ${quote(portText, 10)} is not a port; use a number from 1 to 65535.`);
    port = Number(portText);
  }
  const withPort = (h: HostPort): FieldResult<HostPort> => fieldOk(port !== undefined ? { ...h, port } : h);
  if (host.includes(':')) return withPort({ host: host.toLowerCase(), family: 6 });
  if (parseIpv4(host)) return withPort({ host, family: 4 });
  if (/^[0-9.]+$/.test(host)) return fieldError(`${label}: ${quote(host)} is not a valid IPv4 address.`);
  if (/\s/.test(host)) return fieldError(`${label} may not contain spaces.`);
  const d = domainToAscii(host, label);
  if ('error' in d) return fieldError(d.error);
  return withPort({ host: d.ascii.toLowerCase() });
}

/** The AUTH user name: any text on one line, no controls (RELIABILITY "Input from the form"). */
export function validateAuthUser(user: string, label = 'The user name'): FieldResult<string> {
  const ctl = controlError(user, label);
  if (ctl) return fieldError(ctl);
  if (user === '') return fieldError(`${label} is empty.`);
  if (user.length > 512) return fieldError(`${label} is too long (at most 512 characters).`);
  return fieldOk(user);
}
