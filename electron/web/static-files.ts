import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

/** Content types for what the renderer build emits; anything else is served as opaque bytes. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path onto a file under `root`, or null when it would leave `root`. The path is
 * percent-decoded once (so `%2e%2e/` is caught as `../`), and NUL bytes and backslashes are refused
 * outright, since Windows treats `\` as a separator.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const wanted = decoded === '/' || decoded === '' ? '/index.html' : decoded;
  const base = resolve(root);
  const full = resolve(base, '.' + (wanted.startsWith('/') ? wanted : '/' + wanted));
  const rel = relative(base, full);
  if (rel === '' || rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel)) return null;
  return full;
}

/** Reads a regular file under root; null for anything missing, a directory, or outside root. */
export async function readStaticFile(root: string, urlPath: string): Promise<{ path: string; body: Buffer; type: string } | null> {
  const path = resolveStaticPath(root, urlPath);
  if (!path) return null;
  try {
    const s = await stat(path);
    if (!s.isFile()) return null;
    return { path, body: await readFile(path), type: contentTypeFor(path) };
  } catch {
    return null;
  }
}
