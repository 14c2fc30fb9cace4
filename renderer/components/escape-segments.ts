/**
 * Splits text into plain runs and escaped control characters, so that a hostile server's text is shown
 * inert: C0/C1 controls, DEL, bidi overrides/isolates and invisible separators become visible `\x1b`,
 * `\u202e` tokens instead of steering the terminal-like view or reordering the line.
 */
import { isSteeringCodePoint } from '../../shared/smtp/escape';

export interface TextSegment {
  text: string;
  /** True when `text` is the visible escape of one invisible or steering character. */
  escaped: boolean;
  /** For escaped segments: the code point, e.g. `U+202E`. */
  codePoint?: string;
}

const NAMED: Record<number, string> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r' };

/** The token shown for one escaped character: which characters are escaped is the shared rule. */
function escapeCodePoint(cp: number): string {
  const named = NAMED[cp];
  if (named) return named;
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, '0')}`;
  return `\\u${cp.toString(16).padStart(4, '0')}`;
}

export function splitEscapes(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  let run = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (isSteeringCodePoint(cp)) {
      if (run) out.push({ text: run, escaped: false });
      run = '';
      out.push({ text: escapeCodePoint(cp), escaped: true, codePoint: `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` });
    } else {
      run += ch;
    }
  }
  if (run) out.push({ text: run, escaped: false });
  return out;
}

/** The same escaping as one plain string, for titles and copy. */
export function escapeText(text: string): string {
  return splitEscapes(text)
    .map((s) => s.text)
    .join('');
}
