/**
 * Text exports are read in terminals and editors: a CR/LF inside a field would forge a transcript line, an
 * ANSI escape would repaint the terminal, a bidi override would reorder what the reader sees. Show them all
 * escaped (`\r`, `\x1b`, `\u202e`). Events already arrive escaped; this is the second line of defence.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

export function escapeForText(text: string): string {
  return text.replace(UNSAFE, (c) => {
    if (c === '\r') return '\\r';
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
