/**
 * Envelope mailboxes and domains (RFC 5321 §4.1.2, §4.1.3, §4.5.3.1; RFC 6531 for non-ASCII).
 */
import { toASCII } from 'punycode/';
import { parseIpv4, parseIpv6 } from '../ip-address';
import type { FieldResult } from './text-rules';
import { controlError, fieldError, fieldOk, hasNonAscii, quote, utf8Length } from './text-rules';

export interface Mailbox {
  /** `local@domain` as typed (brackets stripped); '' for the null sender. */
  address: string;
  localPart: string;
  /** Domain as typed (may be U-labels or an address literal). */
  domain: string;
  /** Domain as A-labels (RFC 5890), what is sent when SMTPUTF8 is not in use. */
  domainAscii: string;
  isNull: boolean;
  /** The local part is non-ASCII: only a server offering SMTPUTF8 (RFC 6531) can take it. */
  needsSmtpUtf8: boolean;
}

// RFC 5321 §4.5.3.1.1–3: local part ≤ 64 octets, domain ≤ 255 octets, path (with < >) ≤ 256 octets.
export const MAX_LOCAL_OCTETS = 64;
export const MAX_DOMAIN_OCTETS = 255;
export const MAX_PATH_OCTETS = 256;

// RFC 5322 §3.2.3 atext, widened by RFC 6531 §3.3 to any non-ASCII character.
const ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\u0080-\uffff]+$/;
// RFC 5321 §4.1.2 Quoted-string: qtextSMTP (%d32-33 / %d35-91 / %d93-126) or backslash pairs.
const QUOTED = /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e\u0080-\uffff]|\\[\x20-\x7e])*"$/;
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/** The null sender in any of its typed forms. */
export function isNullPath(text: string): boolean {
  const t = text.trim();
  return t === '' || t === '<>';
}

/** RFC 5321 §4.1.3 address literal: `[192.0.2.1]` or `[IPv6:2001:db8::1]`. */
export function validateAddressLiteral(text: string): string | undefined {
  const m = /^\[(.*)\]$/.exec(text);
  if (!m) return 'An address literal is written in brackets, like [192.0.2.1] or [IPv6:2001:db8::1].';
  const inner = m[1];
  if (/^IPv6:/i.test(inner)) {
    const v6 = inner.slice(5);
    return v6.includes('%') || !parseIpv6(v6) ? `${quote(text)} is not a valid IPv6 address literal.` : undefined;
  }
  if (parseIpv4(inner)) return undefined;
  if (inner.includes(':')) return `${quote(text)}: an IPv6 literal needs the tag, like [IPv6:2001:db8::1] (RFC 5321 §4.1.3).`;
  return `${quote(text)} is not a valid address literal: use [192.0.2.1] or [IPv6:2001:db8::1].`;
}

/**
 * A host/domain name (no trailing dot) → A-label form, or an error sentence. `minLabels` 2 asks for a
 * fully qualified name.
 */
export function domainToAscii(domain: string, label: string, minLabels = 1): { ascii: string } | { error: string } {
  if (domain === '') return { error: `${label} has no domain.` };
  if (domain.endsWith('.')) return { error: `${label}: the domain ends with a dot; write it without the final dot.` };
  if (domain.split('.').some((l) => l === '')) return { error: `${label}: the domain has an empty label (two dots in a row, or a leading dot).` };
  let ascii = domain;
  if (hasNonAscii(domain)) {
    try {
      ascii = toASCII(domain.normalize('NFC').toLowerCase());
    } catch {
      return { error: `${label}: ${quote(domain)} is not a valid international domain name.` };
    }
  }
  const labels = ascii.split('.');
  for (const l of labels) {
    if (l.length > 63) return { error: `${label}: the domain label ${quote(l, 20)} is ${l.length} characters; at most 63 are allowed (RFC 1035 §2.3.4).` };
    if (!LDH_LABEL.test(l)) return { error: `${label}: the domain ${quote(domain)} may only hold letters, digits and hyphens, with no hyphen at the start or end of a label (RFC 5321 §4.1.2).` };
  }
  if (labels.length < minLabels) return { error: `${label}: ${quote(domain)} is not a fully qualified name; use one like mail.example.com, or an address literal like [192.0.2.1].` };
  if (utf8Length(ascii) > MAX_DOMAIN_OCTETS) return { error: `${label}: the domain is ${ascii.length} octets long; at most ${MAX_DOMAIN_OCTETS} are allowed (RFC 5321 §4.5.3.1.2).` };
  return { ascii };
}

function validateLocalPart(local: string, label: string): string | undefined {
  if (local === '') return `${label} has nothing before the @.`;
  if (local.startsWith('"')) {
    return QUOTED.test(local) ? undefined : `${label}: the quoted local part ${quote(local)} is not valid (RFC 5321 §4.1.2).`;
  }
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return `${label}: the part before the @ may not start or end with a dot, or hold two dots in a row.`;
  for (const atom of local.split('.')) {
    if (!ATOM.test(atom)) {
      const bad = [...atom].find((ch) => !ATOM.test(ch)) ?? '';
      return `${label}: the character ${quote(bad)} is not allowed before the @ unless the local part is quoted.`;
    }
  }
  if (utf8Length(local) > MAX_LOCAL_OCTETS) return `${label}: the part before the @ is ${utf8Length(local)} octets; at most ${MAX_LOCAL_OCTETS} are allowed (RFC 5321 §4.5.3.1.1).`;
  return undefined;
}

export interface MailboxOptions {
  /** The null sender `<>` (or empty) is allowed: MAIL FROM only (RFC 5321 §4.5.5). */
  allowNull?: boolean;
  /** Name used in messages, e.g. "MAIL FROM" or "Recipient 2". */
  label?: string;
}

export function validateMailbox(input: string, opts: MailboxOptions = {}): FieldResult<Mailbox> {
  const label = opts.label ?? 'The address';
  const nullBox: Mailbox = { address: '', localPart: '', domain: '', domainAscii: '', isNull: true, needsSmtpUtf8: false };
  const ctl = controlError(input, label);
  if (ctl) return fieldError(ctl);
  let text = input.trim();
  if (isNullPath(text)) {
    return opts.allowNull ? fieldOk(nullBox, ['Null sender <>: bounces will not come back (used for bounces and tests).']) : fieldError(`${label} is empty.`);
  }
  // A whole value typed in brackets, telnet style, is accepted; any other bracket is refused below.
  if (/^<[^<>]*>$/.test(text)) text = text.slice(1, -1).trim();
  if (/[<>]/.test(text)) return fieldError(`${label} may not contain '<' or '>' (the angle brackets are added when the command is built).`);
  if (/\s/.test(text)) {
    if (/\s[A-Za-z0-9][A-Za-z0-9-]*=|\s(SMTPUTF8|REQUIRETLS)$/i.test(text)) return fieldError(`${label} looks like it carries ESMTP parameters after a space; give only the address.`);
    return fieldError(`${label} may not contain spaces.`);
  }
  const at = text.lastIndexOf('@');
  if (at < 0) return fieldError(`${label} needs an @ and a domain, like user@example.com.`);
  const localPart = text.slice(0, at);
  const domain = text.slice(at + 1);
  const localErr = validateLocalPart(localPart, label);
  if (localErr) return fieldError(localErr);
  let domainAscii: string;
  if (domain.startsWith('[')) {
    const litErr = validateAddressLiteral(domain);
    if (litErr) return fieldError(`${label}: ${litErr}`);
    domainAscii = domain;
  } else {
    const d = domainToAscii(domain, label);
    if ('error' in d) return fieldError(d.error);
    domainAscii = d.ascii;
  }
  const needsSmtpUtf8 = hasNonAscii(localPart);
  const longest = Math.max(utf8Length(`${localPart}@${domainAscii}`), utf8Length(`${localPart}@${domain}`));
  if (longest + 2 > MAX_PATH_OCTETS) return fieldError(`${label} is ${longest} octets; with its brackets a path may be at most ${MAX_PATH_OCTETS} (RFC 5321 §4.5.3.1.3).`);
  const notes: string[] = [];
  if (needsSmtpUtf8) notes.push('The part before the @ is not ASCII: only a server offering SMTPUTF8 (RFC 6531) can accept it.');
  if (domainAscii !== domain && !domain.startsWith('[')) notes.push(`International domain: sent as ${domainAscii} unless SMTPUTF8 is used.`);
  return fieldOk({ address: `${localPart}@${domain}`, localPart, domain, domainAscii, isNull: false, needsSmtpUtf8 }, notes);
}

/**
 * The address to put in MAIL FROM / RCPT TO. With SMTPUTF8 the address goes as typed; without it the
 * domain goes as A-labels (RELIABILITY "Input from the form"). A non-ASCII local part without SMTPUTF8
 * cannot be sent at all: check `needsSmtpUtf8` first and stop before MAIL.
 */
export function envelopeAddress(mailbox: Mailbox, smtpUtf8: boolean): string {
  if (mailbox.isNull) return '';
  return smtpUtf8 ? mailbox.address : `${mailbox.localPart}@${mailbox.domainAscii}`;
}
