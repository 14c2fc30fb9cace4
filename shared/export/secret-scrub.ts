/**
 * Defence in depth for invariant S. The engine redacts secrets where each command is built; the journal and
 * the exports still scrub every string they write for the session's password in the forms it could leak
 * in: plain, JSON-escaped, base64 at each of the three byte alignments (as inside AUTH PLAIN's token), hex
 * and URL-encoded.
 */

export const REDACTED = '‹redacted›';
/** Shorter secrets would match ordinary text; their base64 fragments would be two or three letters. */
const MIN_SECRET = 4;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? B64[n & 63] : '=');
  }
  return out;
}

/** The base64 characters fully determined by the secret when it starts `shift` bytes into a stream. */
export function base64Core(bytes: Uint8Array, shift: 0 | 1 | 2): string {
  const padded = new Uint8Array(shift + bytes.length);
  padded.set(bytes, shift);
  const enc = base64(padded);
  const start = [0, 2, 3][shift];
  const total = padded.length;
  const end = Math.floor(total / 3) * 4 + [0, 1, 2][total % 3];
  return enc.slice(start, end);
}

export function secretNeedles(secret: string): string[] {
  if (secret.length < MIN_SECRET) return secret === '' ? [] : [secret];
  const bytes = new TextEncoder().encode(secret);
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  const needles = [
    secret,
    JSON.stringify(secret).slice(1, -1),
    base64Core(bytes, 0),
    base64Core(bytes, 1),
    base64Core(bytes, 2),
    hex,
    hex.toUpperCase(),
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
  ];
  return [...new Set(needles.filter((n) => n.length >= MIN_SECRET))].sort((a, b) => b.length - a.length);
}

export function scrubText(text: string, needles: string[]): string {
  let out = text;
  for (const n of needles) if (out.includes(n)) out = out.split(n).join(REDACTED);
  return out;
}

/** Deep copy of plain data with every string scrubbed; the same object when nothing matched. */
export function scrubValue<T>(value: T, needles: string[]): T {
  if (needles.length === 0) return value;
  if (typeof value === 'string') return scrubText(value, needles) as T;
  if (Array.isArray(value)) {
    const mapped = value.map((v) => scrubValue(v, needles));
    return (mapped.some((v, i) => v !== value[i]) ? mapped : value) as T;
  }
  if (typeof value === 'object' && value !== null) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = scrubValue(v, needles);
      if (out[k] !== v) changed = true;
    }
    return (changed ? out : value) as T;
  }
  return value;
}
