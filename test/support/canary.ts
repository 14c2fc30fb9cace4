// Canary scan for RELIABILITY invariant S: is a secret anywhere in this text or these bytes, in any of the
// forms it could leak in? Written apart from the app's own scrubber (shared/export/secret-scrub.ts), so a
// bug there cannot hide a leak here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The base64 characters that depend only on the secret when it starts `shift` bytes into a stream. Found
 * by encoding it behind 0x00 and 0xFF filler (and before 0x00 / 0xFF trailers): exactly the characters
 * that come out equal both ways are the secret's own.
 */
function base64Core(secret: Buffer, shift: number, alphabet: 'base64' | 'base64url'): string {
  const a = Buffer.concat([Buffer.alloc(shift, 0x00), secret, Buffer.alloc(3, 0x00)]).toString(alphabet);
  const b = Buffer.concat([Buffer.alloc(shift, 0xff), secret, Buffer.alloc(3, 0xff)]).toString(alphabet);
  let start = 0;
  while (start < a.length && a[start] !== b[start]) start++;
  let end = start;
  while (end < a.length && a[end] === b[end]) end++;
  return a.slice(start, end);
}

function needles(secret: string): [string, Buffer][] {
  const bytes = Buffer.from(secret, 'utf8');
  const list: [string, Buffer][] = [['plain', bytes]];
  const json = JSON.stringify(secret).slice(1, -1);
  if (json !== secret) list.push(['json-escaped', Buffer.from(json)]);
  for (const shift of [0, 1, 2]) {
    list.push([`base64@${shift}`, Buffer.from(base64Core(bytes, shift, 'base64'))]);
    const url = base64Core(bytes, shift, 'base64url');
    if (url !== base64Core(bytes, shift, 'base64')) list.push([`base64url@${shift}`, Buffer.from(url)]);
  }
  const url = encodeURIComponent(secret);
  if (url !== secret) list.push(['url-encoded', Buffer.from(url)]);
  const form = url.replace(/%20/g, '+');
  if (form !== url) list.push(['form-encoded', Buffer.from(form)]);
  return list.filter(([, n]) => n.length >= 4);
}

/** Names of the encodings of `secret` found in `haystack` (empty: not found). Hex is matched in any case. */
export function findCanary(haystack: string | Buffer, secret: string): string[] {
  const hay = Buffer.isBuffer(haystack) ? haystack : Buffer.from(haystack, 'utf8');
  const found = needles(secret)
    .filter(([, n]) => hay.includes(n))
    .map(([name]) => name);
  const hex = Buffer.from(secret, 'utf8').toString('hex');
  const lower = hay.toString('latin1').toLowerCase();
  if (lower.includes(hex)) found.push('hex');
  return found;
}

/** Every file under `dir` (recursively) where the secret shows up, with the encodings found. */
export function scanDirForCanary(dir: string, secret: string): { file: string; found: string[] }[] {
  const hits: { file: string; found: string[] }[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const found = findCanary(readFileSync(p), secret);
        if (found.length) hits.push({ file: p, found });
      }
    }
  };
  walk(dir);
  return hits;
}
