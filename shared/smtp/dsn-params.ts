/**
 * DSN parameters (RFC 3461): RET and ENVID on MAIL, NOTIFY and ORCPT on RCPT. Built only when the server
 * offers DSN; when it does not, the dialog stops before MAIL instead of dropping the user's options.
 */
import type { DsnOptions } from '../model';
import { xtextEncode } from './xtext';

/** RFC 3461 §4.4: ENVID is at most 100 characters (of xtext). */
export const MAX_ENVID_XTEXT = 100;

export function hasDsnOptions(d: DsnOptions | undefined): boolean {
  return d !== undefined && (d.notify !== undefined || d.ret !== undefined || d.envid !== undefined || d.orcpt === true);
}

export function dsnMailParams(d: DsnOptions | undefined): string[] {
  if (!d) return [];
  const out: string[] = [];
  if (d.ret) out.push(`RET=${d.ret}`); // RFC 3461 §4.3
  if (d.envid !== undefined) out.push(`ENVID=${xtextEncode(d.envid)}`); // RFC 3461 §4.4
  return out;
}

export function dsnRcptParams(d: DsnOptions | undefined, rcpt: string): string[] {
  if (!d) return [];
  const out: string[] = [];
  if (d.notify && d.notify.length > 0) out.push(`NOTIFY=${d.notify.join(',')}`); // RFC 3461 §4.1
  // RFC 3461 §4.2: ORCPT=addr-type ";" xtext; the address type for Internet mail is rfc822. RFC 6533 §3: a
  // non-ASCII address (sent only with SMTPUTF8) has the type utf-8 instead.
  if (d.orcpt) out.push(/[\u0080-\uffff]/.test(rcpt) ? `ORCPT=utf-8;${utf8AddrUnitext(rcpt)}` : `ORCPT=rfc822;${xtextEncode(rcpt)}`);
  return out;
}

/**
 * RFC 6533 §3 utf-8-addr-unitext: UTF-8 as is, printable ASCII as is except "+", "=" and "\", and those,
 * space and controls as EmbeddedUnicodeChar `\x{HEX}`.
 */
export function utf8AddrUnitext(addr: string): string {
  let out = '';
  for (const ch of addr) {
    const cp = ch.codePointAt(0) ?? 0;
    const qchar = cp >= 0x21 && cp <= 0x7e && cp !== 0x2b && cp !== 0x3d && cp !== 0x5c;
    out += qchar || cp >= 0x80 ? ch : `\\x{${cp.toString(16).toUpperCase()}}`;
  }
  return out;
}

/** A check the form, the CLI and main all use: undefined when fine, else the reason. */
export function dsnProblem(d: DsnOptions): string | undefined {
  const n = d.notify ?? [];
  if (n.includes('NEVER') && n.length > 1) return 'NOTIFY=NEVER cannot be combined with SUCCESS, FAILURE or DELAY (RFC 3461 §4.1).';
  if (new Set(n).size !== n.length) return 'NOTIFY lists a value twice.';
  if (d.envid !== undefined) {
    if (d.envid === '') return 'ENVID is empty.';
    if (xtextEncode(d.envid).length > MAX_ENVID_XTEXT) return `ENVID is longer than ${MAX_ENVID_XTEXT} characters once xtext-encoded (RFC 3461 §4.4).`;
  }
  return undefined;
}
