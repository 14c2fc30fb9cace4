/**
 * Make untrusted text (server replies, typed commands) safe to show in a transcript or a terminal.
 *
 * Escaped: C0 controls (U+0000–U+001F, `\r` `\n` `\t` in their short forms, the rest as `\xNN`), DEL (`\x7f`),
 * C1 controls (U+0080–U+009F as `\u0085`), the bidi controls that can reorder what a reader sees
 * (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069: the "Trojan Source" family, CVE-2021-42574), the
 * invisible zero-width characters U+200B–U+200D and U+FEFF, the line/paragraph separators U+2028/U+2029
 * (some renderers break lines on them) and lone surrogates. Everything else, including all ordinary
 * non-ASCII text, is kept as is.
 *
 * A backslash is NOT doubled: the function is idempotent (escaping twice changes nothing), which matters
 * because display strings pass through several layers. The price is that a literal `\x1b` typed by a server
 * looks like an escaped ESC; both are inert, which is what counts.
 */
const SHORT: Record<number, string> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r' };

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/**
 * The one rule for what is shown escaped, used by the engine's events, the exports and the renderer:
 * C0, DEL, C1, the Arabic letter mark, zero-width and directional marks, line/paragraph separators,
 * embeddings and overrides, invisible operators and isolates (U+2060–U+2069), and the BOM.
 */
export function isSteeringCodePoint(c: number): boolean {
  return (
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x061c ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x2028 && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2069) ||
    c === 0xfeff
  );
}

/** `\t` `\n` `\r`, `\xNN` up to DEL, `\uNNNN` above. */
function escapeCodePoint(c: number): string {
  const short = SHORT[c];
  if (short !== undefined) return short;
  return c <= 0x7f ? '\\x' + hex2(c) : '\\u' + hex4(c);
}

// Fast path: most text has nothing to escape. Surrogates are checked separately (lone ones only).
// eslint-disable-next-line no-control-regex
const ANY_SPECIAL = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]/;

export function escapeForDisplay(text: string): string {
  if (!ANY_SPECIAL.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i] + text[i + 1];
        i++;
      } else {
        out += '\\u' + hex4(c);
      }
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      out += '\\u' + hex4(c);
      continue;
    }
    out += isSteeringCodePoint(c) ? escapeCodePoint(c) : text[i];
  }
  return out;
}

/** Escape, then cut to `max` characters (with an ellipsis) so a hostile reply cannot flood a message. */
export function escapeAndTruncate(text: string, max = 200): string {
  const cut = text.length > max * 2 ? text.slice(0, max * 2) : text;
  const escaped = escapeForDisplay(cut);
  if (escaped.length <= max && cut.length === text.length) return escaped;
  return escaped.slice(0, max) + '…';
}
