/**
 * Postfix XCLIENT (https://www.postfix.org/XCLIENT_README.html): `XCLIENT NAME=VALUE …`, values xtext-encoded,
 * sent after EHLO when the server offers XCLIENT; the server answers 220 with a new greeting and the client
 * must send EHLO again.
 */
import type { XclientAttribute } from '../model';
import type { Result } from '../result';
import { fail, ok } from '../result';
import type { WireCommand } from './commands';
import { escapeForDisplay } from './escape';
import { xtextEncode } from './xtext';

export const XCLIENT_ATTRIBUTES: readonly XclientAttribute[] = ['ADDR', 'NAME', 'PORT', 'PROTO', 'HELO', 'LOGIN', 'DESTADDR', 'DESTPORT'];

/** Postfix limits one XCLIENT line; keep well inside the 512-octet command line of RFC 5321 §4.5.3.1.4. */
const MAX_LINE = 500;

export function xclientProblem(name: string, value: string): string | undefined {
  if (!(XCLIENT_ATTRIBUTES as readonly string[]).includes(name)) return `XCLIENT attribute "${escapeForDisplay(name)}" is not one of ${XCLIENT_ATTRIBUTES.join(', ')}.`;
  if (value === '') return `XCLIENT ${name} needs a value (use [UNAVAILABLE] for none).`;
  if (value.length > 255) return `XCLIENT ${name} is longer than 255 characters.`;
  if (/[\r\n\0]/.test(value)) return `XCLIENT ${name} contains a line break or a NUL character.`;
  if ((name === 'PORT' || name === 'DESTPORT') && !/^\d{1,5}$/.test(value) && value !== '[UNAVAILABLE]') return `XCLIENT ${name} must be a port number.`;
  if (name === 'PROTO' && !/^(SMTP|ESMTP)$/.test(value)) return 'XCLIENT PROTO must be SMTP or ESMTP.';
  return undefined;
}

export function xclientCommand(attrs: ReadonlyArray<{ name: XclientAttribute; value: string }>): Result<WireCommand> {
  if (attrs.length === 0) return fail('invalid_argument', 'XCLIENT needs at least one NAME=VALUE.');
  for (const a of attrs) {
    const p = xclientProblem(a.name, a.value);
    if (p) return fail('invalid_argument', p, { field: 'xclient' });
  }
  const line = `XCLIENT ${attrs.map((a) => `${a.name}=${xtextEncode(a.value)}`).join(' ')}`;
  if (line.length > MAX_LINE) return fail('invalid_argument', `The XCLIENT command would be ${line.length} characters; at most ${MAX_LINE} fit on one line.`, { field: 'xclient' });
  return ok({ verb: 'XCLIENT', wire: line + '\r\n', display: escapeForDisplay(line) });
}
