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
  // RFC 3461 §4.2: ORCPT=addr-type ";" xtext; the address type for Internet mail is rfc822.
  if (d.orcpt) out.push(`ORCPT=rfc822;${xtextEncode(rcpt)}`);
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
