/**
 * LMTP (RFC 2033): LHLO instead of EHLO (§4.1), no HELO fallback, and after the end of data one reply per
 * recipient that was accepted, in RCPT order (§4.2).
 */
import type { Result } from '../result';
import { fail, ok } from '../result';
import type { WireCommand } from './commands';
import { escapeForDisplay } from './escape';

export function lhlo(name: string): Result<WireCommand> {
  if (name === '' || /[\s\0]/.test(name)) return fail('invalid_argument', 'The LHLO name must be one word: a host name or an address literal.', { field: 'LHLO name' });
  return ok({ verb: 'LHLO', wire: `LHLO ${name}\r\n`, display: escapeForDisplay(`LHLO ${name}`) });
}

/** The recipients the per-recipient replies after the dot answer, in order (RFC 2033 §4.2). */
export function lmtpReplyOrder(recipients: ReadonlyArray<{ rcpt: string; accepted: boolean }>): string[] {
  return recipients.filter((r) => r.accepted).map((r) => r.rcpt);
}
