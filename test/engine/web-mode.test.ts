// Web mode's front door, against the built server (`node dist/web/server.js`) over real HTTP and WebSocket:
// the token, the Host and Origin checks (DNS rebinding, other local pages), the headers and the protocol.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import type { Dnsmasq } from '../support/dnsmasq';
import { startDnsmasq, TEST_ZONE } from '../support/dnsmasq';
import type { WebMode } from '../support/web-mode';
import { startWebMode } from '../support/web-mode';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A raw WebSocket handshake, so each header can be forged; resolves with the HTTP status (101 = accepted). */
function handshake(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(web: WebMode, origin = `http://127.0.0.1:${web.port}`): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/api?token=${web.token}`, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, msg: unknown): Promise<{ id: unknown; result: { ok: boolean; value?: unknown; error?: { code: string } } }> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      const m = JSON.parse(data.toString('utf8'));
      if (m.type === 'events') return;
      ws.off('message', onMessage);
      resolve(m);
    };
    ws.on('message', onMessage);
    ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  });
}

describe('web mode', () => {
  let web: WebMode;
  before(async () => {
    web = await startWebMode();
  });
  after(async () => {
    await web.stop();
  });

  test('prints exactly one line: the loopback URL with a 43-character random token', () => {
    assert.match(web.stdout(), /^MX Desk web mode: http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}\n$/);
  });

  test('a second start gets a different token', async () => {
    const other = await startWebMode();
    try {
      assert.notEqual(other.token, web.token);
    } finally {
      await other.stop();
    }
  });

  test('refuses the page without the token or with a wrong one', async () => {
    assert.equal((await get(web.port, '/')).status, 403);
    assert.equal((await get(web.port, '/?token=nope')).status, 403);
    assert.equal((await get(web.port, `/?token=${web.token}x`)).status, 403);
  });

  test('refuses a foreign Host header (DNS rebinding), even with the token', async () => {
    for (const host of ['evil.example:' + web.port, '127.0.0.1', `127.0.0.1:${web.port + 1}`, `localhost.evil.example:${web.port}`]) {
      assert.equal((await get(web.port, `/?token=${web.token}`, { host })).status, 403, host);
    }
    assert.equal((await get(web.port, `/?token=${web.token}`, { host: `localhost:${web.port}` })).status, 200);
  });

  test('refuses a request from another origin or another local port', async () => {
    const t = `/?token=${web.token}`;
    assert.equal((await get(web.port, t, { origin: 'http://evil.example' })).status, 403);
    assert.equal((await get(web.port, t, { 'sec-fetch-site': 'cross-site' })).status, 403);
    assert.equal((await get(web.port, t, { 'sec-fetch-site': 'same-site' })).status, 403);
    assert.equal((await get(web.port, t, {}, 'POST')).status, 405);
  });

  test('serves the page with the token, a loopback-only connect-src and strict headers', async () => {
    const r = await get(web.port, `/?token=${web.token}`);
    assert.equal(r.status, 200);
    const csp = String(r.headers['content-security-policy']);
    const ws = `connect-src ws://127.0.0.1:${web.port} ws://localhost:${web.port}`;
    assert.ok(csp.includes(ws), csp);
    assert.ok(r.body.includes(ws), 'the meta tag carries the same connect-src');
    for (const strict of ["default-src 'none'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]) assert.ok(csp.includes(strict), strict);
    assert.doesNotMatch(csp, /unsafe-/);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['referrer-policy'], 'no-referrer');
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.deepEqual(r.headers['set-cookie'], [`mxdesk_token=${web.token}; HttpOnly; SameSite=Strict; Path=/`]);
  });

  test('assets need the token cookie; paths outside the renderer are never served', async () => {
    const cookie = `mxdesk_token=${web.token}`;
    assert.equal((await get(web.port, '/app.js')).status, 403);
    assert.equal((await get(web.port, '/app.js', { cookie: 'mxdesk_token=wrong' })).status, 403);
    const js = await get(web.port, '/app.js', { cookie });
    assert.equal(js.status, 200);
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    for (const path of ['/%2e%2e/web/server.js', '/..%2f..%2fpackage.json', '/%5c..%5cpackage.json', '/nope.js']) {
      assert.equal((await get(web.port, path, { cookie })).status, 404, path);
    }
  });

  test('refuses a WebSocket without the token, with a foreign Origin or Host, or without Origin', async () => {
    const p = web.port;
    const origin = `http://127.0.0.1:${p}`;
    const host = `127.0.0.1:${p}`;
    assert.equal(await handshake(p, '/api', { origin, host }), 403);
    assert.equal(await handshake(p, '/api?token=nope', { origin, host }), 403);
    assert.equal(await handshake(p, `/api?token=${web.token}`, { origin: 'http://evil.example', host }), 403);
    assert.equal(await handshake(p, `/api?token=${web.token}`, { origin: `http://127.0.0.1:${p + 1}`, host }), 403);
    assert.equal(await handshake(p, `/api?token=${web.token}`, { host }), 403);
    assert.equal(await handshake(p, `/api?token=${web.token}`, { origin, host: `evil.example:${p}` }), 403);
    assert.equal(await handshake(p, `/api?token=${web.token}`, { origin, host }), 101);
    assert.equal(await handshake(p, `/api?token=${web.token}`, { origin: `http://localhost:${p}`, host: `localhost:${p}` }), 101);
  });

  test('answers requests by id through the same validators and service as IPC', async () => {
    const ws = await openSocket(web);
    try {
      const info = await call(ws, { id: 1, method: 'hostInfo', arg: {} });
      assert.equal(info.id, 1);
      assert.equal(info.result.ok, true);
      assert.equal((info.result.value as { host: string }).host, 'web');
      const bad = await call(ws, { id: 'b', method: 'lookupMx', arg: { query: 42 } });
      assert.deepEqual([bad.id, bad.result.ok, bad.result.error?.code], ['b', false, 'invalid_input']);
      const unknown = await call(ws, { id: 3, method: 'constructor', arg: {} });
      assert.equal(unknown.result.error?.code, 'unknown_method');
      const junk = await call(ws, '{not json');
      assert.deepEqual([junk.id, junk.result.error?.code], [null, 'invalid_input']);
    } finally {
      ws.close();
    }
  });
});

describe('web mode with --dns', () => {
  let dns: Dnsmasq;
  let web: WebMode;
  before(async () => {
    dns = await startDnsmasq(TEST_ZONE);
    web = await startWebMode({ dns: dns.server });
  });
  after(async () => {
    await web?.stop();
    await dns?.stop();
  });

  test('a lookup over the WebSocket uses the --dns resolver and returns the sorted MX set', async () => {
    const ws = await openSocket(web);
    try {
      const r = await call(ws, { id: 1, method: 'lookupMx', arg: { query: 'postmaster@example.test' } });
      assert.equal(r.result.ok, true, JSON.stringify(r.result));
      const report = r.result.value as { resolver: string; verdict: string; hosts: { exchange: string; preference: number }[] };
      assert.equal(report.verdict, 'mx');
      assert.ok(report.resolver.includes(String(dns.port)), report.resolver);
      assert.deepEqual(report.hosts.map((h) => h.preference), [5, 10, 20, 20]);
      assert.equal(report.hosts[0].exchange, 'mx0.example.test');
    } finally {
      ws.close();
    }
  });
});
