// Transport options against real peers that honour them: -4/-6 against servers on 127.0.0.1 and ::1, a bound
// local address and port seen by the server, a UNIX-socket SMTP server, and SOCKS5 / HTTP CONNECT proxies
// (whether the client or the proxy resolves the name, and the proxy's refusals named).
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDnsmasq, type Dnsmasq } from '../support/dnsmasq';
import { freePort } from '../support/free-port';
import { startHttpProxy } from '../support/http-proxy';
import { hostRequest, runCase } from '../support/session-case';
import { startRecordingServer, type RecordingServer } from '../support/smtp-recording-server';
import { startSocksProxy } from '../support/socks-proxy';
import { stopAll } from '../support/stop-all';
import { tempDirs } from '../support/temp-dirs';

const tmp = tempDirs('mxdesk-transport-');

async function ipv6Available(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(0, '::1', () => s.close(() => resolve(true)));
  });
}

/** One port number free on both 127.0.0.1 and ::1, with a recording server on each. */
async function dualStack(): Promise<{ v4: RecordingServer; v6: RecordingServer; port: number }> {
  for (let i = 0; i < 5; i++) {
    const v4 = await startRecordingServer({ host: '127.0.0.1' });
    try {
      const v6 = await startRecordingServerOn('::1', v4.port);
      return { v4, v6, port: v4.port };
    } catch {
      await v4.stop();
    }
  }
  throw new Error('no port free on both 127.0.0.1 and ::1');
}

async function startRecordingServerOn(host: string, port: number): Promise<RecordingServer> {
  // smtp-server listens on port 0 only through startRecordingServer; check the port is free, then bind it.
  await new Promise<void>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, host, () => s.close(() => resolve()));
  });
  const { SMTPServer } = await import('smtp-server');
  const seen: RecordingServer['seen'] = [];
  const server = new SMTPServer({ disabledCommands: ['STARTTLS'], authOptional: true, logger: false, onConnect: (s, cb) => (seen.push({ remoteAddress: s.remoteAddress, remotePort: s.remotePort }), cb()) });
  await new Promise<void>((r) => server.listen(port, host, r));
  return { port, seen, messages: [], sni: [], stop: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('address family and local address', () => {
  let dns: Dnsmasq | undefined;
  let peers: { v4: RecordingServer; v6: RecordingServer; port: number } | undefined;
  let skip: string | undefined;
  before(async () => {
    if (!(await ipv6Available())) {
      skip = '::1 is not available on this machine';
      return;
    }
    peers = await dualStack();
    dns = await startDnsmasq(['host-record=dual.example.test,127.0.0.1,::1']);
  });
  after(() => stopAll(dns, peers?.v4, peers?.v6));

  const req = (transport: object) => ({ ...hostRequest({ host: 'dual.example.test', port: peers!.port }), resolver: `127.0.0.1:${dns!.port}`, transport });

  test('-4 connects to the IPv4 address only, -6 to the IPv6 address only', async (t) => {
    if (skip) return t.skip(skip);
    const four = await runCase(undefined, req({ family: 4 }));
    assert.equal(four.outcome.outcome, 'delivered', four.outcome.reason);
    assert.equal(peers!.v4.seen.length, 1);
    assert.equal(peers!.v6.seen.length, 0);
    assert.deepEqual(
      four.events.filter((e) => e.kind === 'connect_attempt').map((e) => (e.kind === 'connect_attempt' ? e.address : '')),
      ['127.0.0.1'],
    );
    const six = await runCase(undefined, req({ family: 6 }));
    assert.equal(six.outcome.outcome, 'delivered', six.outcome.reason);
    assert.equal(peers!.v6.seen.length, 1);
    assert.equal(peers!.v6.seen[0].remoteAddress, '::1');
    assert.ok(six.events.some((e) => e.kind === 'info' && /Forced to IPv6/.test(e.text)));
  });

  test('-6 to a host with no IPv6 address fails before connecting, saying why', async (t) => {
    if (skip) return t.skip(skip);
    const r = await runCase(undefined, { ...hostRequest({ host: '127.0.0.1', port: peers!.port }), transport: { family: 6 } });
    assert.equal(r.outcome.outcome, 'not_delivered');
    assert.match(r.outcome.reason, /has no IPv6 address \(-6 was asked\)/);
    assert.ok(!r.events.some((e) => e.kind === 'connect_attempt'));
  });

  test('the server sees the bound local address and port', async (t) => {
    if (skip) return t.skip(skip);
    const localPort = await freePort();
    const before = peers!.v4.seen.length;
    const r = await runCase(undefined, req({ localAddress: '127.0.0.2', localPort }));
    assert.equal(r.outcome.outcome, 'delivered', r.outcome.reason);
    const seen = peers!.v4.seen.slice(before);
    assert.equal(seen.length, 1, 'a local IPv4 address limits the connection to IPv4');
    assert.equal(seen[0].remoteAddress, '127.0.0.2');
    assert.equal(seen[0].remotePort, localPort);
    assert.ok(r.events.some((e) => e.kind === 'info' && e.text.startsWith(`Bound to 127.0.0.2:${localPort}`)));
  });
});

describe('UNIX-socket target', () => {
  test('delivers to an SMTP server listening on a UNIX socket', async () => {
    const path = join(tmp(), 'smtp.sock');
    const server = await startRecordingServer({ path });
    try {
      const r = await runCase(undefined, { ...hostRequest({ host: 'localhost', port: 25 }), transport: { socketPath: path } });
      assert.equal(r.outcome.outcome, 'delivered', r.outcome.reason);
      assert.equal(server.messages.length, 1);
      assert.match(server.messages[0].toString(), /Hello\./);
      const attempt = r.events.find((e) => e.kind === 'connect_attempt');
      assert.ok(attempt?.kind === 'connect_attempt' && attempt.address === `unix:${path}`);
    } finally {
      await server.stop();
    }
  });

  test('a missing socket is a clear connect failure', async () => {
    const path = join(tmp(), 'none.sock');
    const r = await runCase(undefined, { ...hostRequest({ host: 'localhost', port: 25 }), transport: { socketPath: path } });
    assert.equal(r.outcome.outcome, 'not_delivered');
    assert.match(r.outcome.reason, new RegExp(`the UNIX socket ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
  });
});

describe('proxies', () => {
  let server: RecordingServer;
  before(async () => {
    server = await startRecordingServer({ host: '127.0.0.1' });
  });
  after(() => stopAll(server));

  test('socks5:// resolves here and sends the proxy an IP address', async () => {
    const proxy = await startSocksProxy();
    try {
      const r = await runCase(undefined, { ...hostRequest({ host: '127.0.0.1', port: server.port }), transport: { proxy: `socks5://127.0.0.1:${proxy.port}` } });
      assert.equal(r.outcome.outcome, 'delivered', r.outcome.reason);
      assert.deepEqual(proxy.requests, [{ atyp: 1, host: '127.0.0.1', port: server.port }]);
      assert.ok(r.events.some((e) => e.kind === 'info' && e.text === `Connecting via SOCKS5 proxy 127.0.0.1:${proxy.port}.`));
    } finally {
      await proxy.stop();
    }
  });

  test('socks5h:// hands the name to the proxy, with the user name (RFC 1929)', async () => {
    const proxy = await startSocksProxy({ hosts: { 'mx.nowhere.test': '127.0.0.1' }, requireUser: 'alice' });
    try {
      const r = await runCase(undefined, { ...hostRequest({ host: 'mx.nowhere.test', port: server.port }), transport: { proxy: `socks5h://alice@127.0.0.1:${proxy.port}` } });
      assert.equal(r.outcome.outcome, 'delivered', r.outcome.reason);
      assert.deepEqual(proxy.requests, [{ atyp: 3, host: 'mx.nowhere.test', port: server.port, user: 'alice' }]);
      assert.ok(!r.events.some((e) => e.kind === 'dns'), 'no local DNS lookup of the target');
    } finally {
      await proxy.stop();
    }
  });

  test('a SOCKS5 refusal is named with the proxy and the target', async () => {
    const proxy = await startSocksProxy();
    try {
      const r = await runCase(undefined, { ...hostRequest({ host: 'mx.unknown.test', port: 25 }), transport: { proxy: `socks5h://127.0.0.1:${proxy.port}` } });
      assert.equal(r.outcome.outcome, 'not_delivered');
      assert.match(r.outcome.reason, new RegExp(`SOCKS5 proxy 127\\.0\\.0\\.1:${proxy.port} could not open a tunnel to mx\\.unknown\\.test:25`));
    } finally {
      await proxy.stop();
    }
  });

  test('http:// CONNECT tunnels to the name, the proxy resolving it', async () => {
    const proxy = await startHttpProxy({ hosts: { 'mx.nowhere.test': '127.0.0.1' } });
    try {
      const r = await runCase(undefined, { ...hostRequest({ host: 'mx.nowhere.test', port: server.port }), transport: { proxy: `http://127.0.0.1:${proxy.port}` } });
      assert.equal(r.outcome.outcome, 'delivered', r.outcome.reason);
      assert.deepEqual(proxy.requests, [`CONNECT mx.nowhere.test:${server.port} HTTP/1.1`]);
      assert.ok(r.events.some((e) => e.kind === 'info' && e.text.startsWith(`Via HTTP CONNECT proxy 127.0.0.1:${proxy.port}: tunnel to mx.nowhere.test:${server.port} open`)));
    } finally {
      await proxy.stop();
    }
  });

  for (const [answer, words] of [
    ['HTTP/1.1 407 Proxy Authentication Required', /asks for authentication \(407 Proxy Authentication Required\); MX Desk sends no proxy credentials/],
    ['HTTP/1.1 403 Forbidden', /refused the tunnel to mx\.example\.test:25 \(403 Forbidden\)/],
    ['HTTP/1.1 502 Bad Gateway', /could not reach mx\.example\.test:25 \(502 Bad Gateway\)/],
  ] as const) {
    test(`an HTTP proxy answering ${answer.slice(9)} is explained`, async () => {
      const proxy = await startHttpProxy({ answer });
      try {
        const r = await runCase(undefined, { ...hostRequest({ host: 'mx.example.test', port: 25 }), transport: { proxy: `http://127.0.0.1:${proxy.port}` } });
        assert.equal(r.outcome.outcome, 'not_delivered');
        assert.match(r.outcome.reason, words);
      } finally {
        await proxy.stop();
      }
    });
  }

  test('an HTTP proxy that never ends its answer is cut off at 16 KiB', async () => {
    const flood = createServer((s) => {
      s.on('error', () => undefined);
      s.resume(); // read, so that the client's close (RST) is seen and this socket ends too
      s.write(`HTTP/1.1 200 OK\r\n${'X-Pad: y\r\n'.repeat(3000)}`);
    });
    await new Promise<void>((r) => flood.listen(0, '127.0.0.1', r));
    const port = (flood.address() as { port: number }).port;
    try {
      const r = await runCase(undefined, { ...hostRequest({ host: 'mx.example.test', port: 25 }), transport: { proxy: `http://127.0.0.1:${port}` } });
      assert.match(r.outcome.reason, /sent more than 16384 bytes without ending its answer to CONNECT/);
    } finally {
      await new Promise<void>((r) => flood.close(() => r()));
    }
  });
});
