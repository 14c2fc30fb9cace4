/**
 * The host name a server gives in its greeting: RFC 5321 §4.3.1 / §4.2 put the server's domain (or an
 * address literal) first in the 220 text. Anything that does not look like one is not a name.
 */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)*\.?$/i;
const LITERAL = /^\[[0-9a-f:.IPv]{2,60}\]$/i;

export function bannerName(firstLine: string): string | undefined {
  const word = firstLine.trim().split(/\s+/)[0] ?? '';
  if (LITERAL.test(word)) return word;
  if (!HOST_NAME.test(word) || !word.includes('.')) return undefined;
  return word.replace(/\.$/, '').toLowerCase();
}

/** `name` is `other` or a subdomain of it (case-insensitive, no trailing dots). */
export function sameOrSubdomain(name: string, other: string): boolean {
  const a = name.toLowerCase().replace(/\.$/, '');
  const b = other.toLowerCase().replace(/\.$/, '');
  return a === b || a.endsWith(`.${b}`);
}

/** RFC 6125 §6.4.3: a certificate name (`DNS:*.example.org`) covers `host` (one left-most label for a wildcard). */
export function certNameCovers(certName: string, host: string): boolean {
  const pattern = certName.replace(/^DNS:/i, '').toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (pattern === h) return true;
  if (!pattern.startsWith('*.')) return false;
  const rest = pattern.slice(2);
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === rest;
}
