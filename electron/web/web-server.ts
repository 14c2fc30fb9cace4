import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RequestApi } from '../../shared/api';
import type { EventHub } from '../host/event-hub';
import { extractCsp, rewriteHtmlCsp, withConnectSrc } from './csp';
import { cookieToken, hostAllowed, httpRequestAllowed, newToken, originAllowed, TOKEN_COOKIE, tokenMatches } from './http-guard';
import { readStaticFile } from './static-files';
import { attachSocket } from './ws-session';

/** Attachments travel base64 inside JSON, so allow a few MiB of them per request. */
export const MAX_WS_MESSAGE_BYTES = 32 * 1024 * 1024;

export interface WebServerOptions {
  service: RequestApi;
  events: EventHub;
  /** The built renderer (dist/renderer). */
  rendererRoot: string;
  /** 0 picks a free port. */
  port: number;
  /** Tests inject a known token; normally a fresh random one per start. */
  token?: string;
}

export interface WebServer {
  port: number;
  token: string;
  url: string;
  close(): Promise<void>;
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const token = opts.token ?? newToken();
  const indexHtml = await readFile(join(opts.rendererRoot, 'index.html'), 'utf8').catch(() => {
    throw new Error(`No built renderer in ${opts.rendererRoot}: run npm run build first.`);
  });
  const basePolicy = extractCsp(indexHtml);
  if (!basePolicy) throw new Error('index.html has no Content-Security-Policy meta tag.');
  let port = 0;
  let policy = '';
  let page = '';

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES, clientTracking: true });
  const server = createServer((req, res) => void handleHttp(req, res));

  function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
    res.writeHead(status, {
      'content-type': type,
      'content-security-policy': policy,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'cross-origin-resource-policy': 'same-origin',
      'cross-origin-opener-policy': 'same-origin',
      'x-frame-options': 'DENY',
      ...extra,
    });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  }

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = 'text/plain; charset=utf-8';
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, text, 'method not allowed\n', { allow: 'GET, HEAD' });
    if (!httpRequestAllowed(req, port)) return send(res, 403, text, 'forbidden\n');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const isIndex = url.pathname === '/' || url.pathname === '/index.html';
    // The page itself needs the token in its URL (the page reads it from there for the WebSocket). Assets
    // may show it by cookie instead: the HTML references them by plain relative URLs.
    const given = isIndex ? url.searchParams.get('token') : (url.searchParams.get('token') ?? cookieToken(req));
    if (!tokenMatches(token, given)) return send(res, 403, text, 'forbidden: open the exact address MX Desk printed, with its token\n');
    if (isIndex) {
      return send(res, 200, 'text/html; charset=utf-8', page, {
        'set-cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      });
    }
    if (url.pathname === '/api') return send(res, 426, text, 'WebSocket only\n');
    const file = await readStaticFile(opts.rendererRoot, url.pathname);
    if (!file) return send(res, 404, text, 'not found\n');
    send(res, 200, file.type, file.body);
  }

  function refuse(socket: Duplex, status: number, reason: string): void {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/api') return refuse(socket, 404, 'Not Found');
    // Browsers always send Origin on a WebSocket handshake: a foreign or missing one is another page or a
    // rebinding attack. The token must be in the URL (cookies are shared between ports, so not enough).
    if (!hostAllowed(req, port) || !originAllowed(req.headers.origin, port) || !tokenMatches(token, url.searchParams.get('token'))) {
      return refuse(socket, 403, 'Forbidden');
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachSocket(ws, opts.service, opts.events));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  policy = withConnectSrc(basePolicy, [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);
  page = rewriteHtmlCsp(indexHtml, policy);

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.close(1001, 'server shutting down');
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
