import { protocol } from 'electron';
import { extractCsp } from './web/csp';
import { readStaticFile } from './web/static-files';

/** The renderer is served from `mxdesk://app/`, never `file://`, so its origin is ours alone. */
export const APP_SCHEME = 'mxdesk';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** Must run before `app.ready`: standard (real origin, relative URLs) and secure (like https). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false } },
  ]);
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** Serves files from `root` (dist/renderer) only; anything outside it, or another host, is a 404. */
export function handleAppProtocol(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET') return plain(405, 'method not allowed');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return plain(400, 'bad url');
    }
    if (url.host !== APP_HOST) return plain(404, 'not found');
    const file = await readStaticFile(root, url.pathname);
    if (!file) return plain(404, 'not found');
    const headers: Record<string, string> = { 'content-type': file.type, 'x-content-type-options': 'nosniff' };
    if (file.type.startsWith('text/html')) {
      // The same policy as the meta tag, also as a header: it then covers the page before the tag is parsed.
      const csp = extractCsp(file.body.toString('utf8'));
      if (!csp) return plain(500, 'index.html has no Content-Security-Policy');
      headers['content-security-policy'] = csp;
    }
    return new Response(new Uint8Array(file.body), { status: 200, headers });
  });
}
