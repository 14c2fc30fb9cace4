/**
 * xtext (RFC 3461 §4): printable US-ASCII from "!" to "~" except "+" and "=" stands for itself; every
 * other octet is "+" and two upper-case hex digits. Used by DSN's ENVID and ORCPT and by XCLIENT values.
 */
const utf8 = new TextEncoder();

export function xtextEncode(text: string): string {
  let out = '';
  for (const byte of utf8.encode(text)) {
    // RFC 3461 §4: xchar = any ASCII CHAR between "!" (33) and "~" (126) inclusive, except "+" and "=".
    if (byte >= 33 && byte <= 126 && byte !== 0x2b && byte !== 0x3d) out += String.fromCharCode(byte);
    else out += '+' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** The inverse, for tests and for showing a value read from a server; undefined when `text` is not xtext. */
export function xtextDecode(text: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2b) {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c >= 33 && c <= 126 && c !== 0x3d) bytes.push(c);
    else return undefined;
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(new Uint8Array(bytes));
}
