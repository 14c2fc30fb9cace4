import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** 32 random bytes, base64url: unguessable, and safe in a URL and a cookie without escaping. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison; hashing first makes the lengths equal, so length leaks nothing either. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string' || given.length === 0 || given.length > 200) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function allowedOrigins(port: number): string[] {
  return allowedHosts(port).map((h) => `http://${h}`);
}

/**
 * DNS rebinding defence: a page on evil.example that rebinds its name to 127.0.0.1 still sends
 * `Host: evil.example:PORT`. Only our exact loopback authorities pass.
 */
export function hostAllowed(req: IncomingMessage, port: number): boolean {
  return typeof req.headers.host === 'string' && allowedHosts(port).includes(req.headers.host.toLowerCase());
}

/** A browser always sends Origin on a WebSocket upgrade; another local page has another origin. */
export function originAllowed(origin: string | undefined, port: number): boolean {
  return typeof origin === 'string' && allowedOrigins(port).includes(origin.toLowerCase());
}

/**
 * For plain HTTP: Origin is optional on GET, but when present it must be ours; Fetch Metadata
 * (`Sec-Fetch-Site`) must not say the request came from another site or another port ("same-site").
 */
export function httpRequestAllowed(req: IncomingMessage, port: number): boolean {
  if (!hostAllowed(req, port)) return false;
  const origin = req.headers.origin;
  if (origin !== undefined && !originAllowed(origin, port)) return false;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  return true;
}

export const TOKEN_COOKIE = 'mxdesk_token';

export function cookieToken(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === TOKEN_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}
