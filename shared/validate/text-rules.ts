/**
 * Character-level rules shared by every form field (RELIABILITY "Input from the form"): CR, LF, NUL, the
 * other C0 controls and DEL are refused with a message that names the character, its position and the field.
 */

/** Result of one field check. `notes` carry information that is not an error (e.g. "needs SMTPUTF8"). */
export type FieldResult<T = string> = { ok: true; value: T; notes: string[] } | { ok: false; message: string };

export function fieldOk<T>(value: T, notes: string[] = []): FieldResult<T> {
  return { ok: true, value, notes };
}

export function fieldError<T = never>(message: string): FieldResult<T> {
  return { ok: false, message };
}

const NAMES: Record<number, string> = {
  0x00: 'a NUL character',
  0x09: 'a tab',
  0x0a: 'a line break (LF)',
  0x0d: 'a line break (CR)',
  0x1b: 'an escape character (ESC)',
  0x7f: 'a DEL character',
};

/** Plain name of a control character, e.g. "a line break (CR)" or "a control character (U+0007)". */
export function controlName(code: number): string {
  return NAMES[code] ?? `a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
}

/** The first C0 control or DEL in `text` (a tab is allowed when `allowTab`), or undefined. */
export function findControl(text: string, allowTab = false): { index: number; code: number } | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && !(allowTab && c === 0x09)) || c === 0x7f) return { index: i, code: c };
  }
  return undefined;
}

/** `"Subject contains a line break (CR) at position 8; remove it."`, or undefined when clean. */
export function controlError(text: string, label: string, allowTab = false): string | undefined {
  const hit = findControl(text, allowTab);
  if (!hit) return undefined;
  const why = hit.code === 0x0a || hit.code === 0x0d ? ' (a line break here could inject extra header lines or commands)' : '';
  return `${label} contains ${controlName(hit.code)} at position ${hit.index + 1}${why}; remove it.`;
}

export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function hasNonAscii(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[^\u0000-\u007f]/.test(text);
}

/** Short, quoted, control-free excerpt of user input for messages. */
export function quote(text: string, max = 40): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '�');
  return `“${clean.length > max ? clean.slice(0, max) + '…' : clean}”`;
}
