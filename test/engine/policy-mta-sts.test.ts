import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { makeCert } from '../support/certs';
import { fetchStsPolicy } from '../../electron/engine/policy/mta-sts-fetch';
import { stsOptionsFromEnv } from '../../electron/engine/policy/sts-env';
import { caSignedCert } from '../support/probe-peers';

const servers: Server[] = [];
after(() => { for (const s of servers) s.close(); });

async function serve(kind: 'self-signed' | 'expired' | 'wrong-name', handler: (path: string) => { status: number; body: string; headers?: Record<string, string> }): Promise<{ connectTo: Record<string, string>; ca: string[] }> {
  const c = makeCert(kind, 'mta-sts.example.test');
  const server = createServer({ cert: c.cert, key: c.key }, (req, res) => {
    const r = handler(req.url ?? '');
    res.writeHead(r.status, { 'content-type': 'text/plain', ...r.headers });
    res.end(r.body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { connectTo: { 'mta-sts.example.test': `127.0.0.1:${port}` }, ca: [c.cert] };
}

const policy = (mode: string): string => `version: STSv1\r\nmode: ${mode}\r\nmx: mx.example.test\r\nmax_age: 86400\r\n`;

describe('MTA-STS policy fetch over HTTPS (RFC 8461 §3.3)', () => {
  for (const mode of ['enforce', 'testing', 'none']) {
    test(`a ${mode} policy is fetched from the well-known path and parsed`, async () => {
      const env = await serve('self-signed', (p) => (p === '/.well-known/mta-sts.txt' ? { status: 200, body: policy(mode) } : { status: 404, body: '' }));
      const r = await fetchStsPolicy('example.test', { ...env, timeoutMs: 3000 });
      assert.ok(r.ok, r.ok ? '' : r.error.message);
      assert.equal(r.value.policy.mode, mode);
    });
  }
  test('an expired policy certificate is refused', async () => {
    const env = await serve('expired', () => ({ status: 200, body: policy('enforce') }));
    const r = await fetchStsPolicy('example.test', { ...env, timeoutMs: 3000 });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error.message, /certificate/i);
  });
  test('a certificate for another name is refused (verified for mta-sts.<domain>)', async () => {
    const env = await serve('wrong-name', () => ({ status: 200, body: policy('enforce') }));
    const r = await fetchStsPolicy('example.test', { ...env, timeoutMs: 3000 });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error.message, /altnames|certificate/i);
  });
  test('a certificate nobody trusts is refused', async () => {
    const env = await serve('self-signed', () => ({ status: 200, body: policy('enforce') }));
    const r = await fetchStsPolicy('example.test', { connectTo: env.connectTo, timeoutMs: 3000 });
    assert.equal(r.ok, false);
  });
  test('a redirect is not followed', async () => {
    const env = await serve('self-signed', () => ({ status: 301, body: '', headers: { location: 'https://evil.example/' } }));
    const r = await fetchStsPolicy('example.test', { ...env, timeoutMs: 3000 });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error.message, /HTTP 301.*redirects are not followed/);
  });
  test('a too-large policy is refused', async () => {
    const env = await serve('self-signed', () => ({ status: 200, body: policy('enforce') + `x: ${'a'.repeat(70_000)}\r\n` }));
    const r = await fetchStsPolicy('example.test', { ...env, timeoutMs: 3000 });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error.message, /larger than/);
  });
  test('a policy certificate signed by a test CA is trusted only with that CA added to the roots', async () => {
    const c = caSignedCert('mta-sts.example.test', 30);
    const server = createServer({ cert: c.cert, key: c.key }, (_req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end(policy('testing')); });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const connectTo = { 'mta-sts.example.test': `127.0.0.1:${port}` };
    const trusted = await fetchStsPolicy('example.test', { connectTo, ca: [c.caCert], timeoutMs: 3000 });
    assert.ok(trusted.ok, trusted.ok ? '' : trusted.error.message);
    assert.equal(trusted.value.policy.mode, 'testing');
    const untrusted = await fetchStsPolicy('example.test', { connectTo, timeoutMs: 3000 });
    assert.equal(untrusted.ok, false);
    assert.match(untrusted.ok ? '' : untrusted.error.message, /certificate must be valid for mta-sts\.example\.test/);
  });
  test('a server that drips the policy a byte at a time is cut at one absolute deadline', async () => {
    const c = makeCert('self-signed', 'mta-sts.example.test');
    const timers: NodeJS.Timeout[] = [];
    const server = createServer({ cert: c.cert, key: c.key }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      // A byte every 50 ms keeps an idle timer happy for ever.
      const t = setInterval(() => res.write('v'), 50);
      timers.push(t);
      res.on('close', () => clearInterval(t));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const t0 = performance.now();
    const r = await fetchStsPolicy('example.test', { connectTo: { 'mta-sts.example.test': `127.0.0.1:${port}` }, ca: [c.cert], timeoutMs: 600 });
    const took = performance.now() - t0;
    for (const t of timers) clearInterval(t);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error.message, /did not send the whole policy within 600 ms/);
    assert.ok(took < 600 + 1000, `took ${Math.round(took)} ms`);
  });
  test('the policy port and a private CA come from MXDESK_MTA_STS_PORT and MXDESK_MTA_STS_CA_FILE, nothing else', () => {
    assert.deepEqual(stsOptionsFromEnv({}), {});
    assert.deepEqual(stsOptionsFromEnv({ MXDESK_MTA_STS_PORT: '8443' }), { port: 8443 });
    assert.deepEqual(stsOptionsFromEnv({ MXDESK_MTA_STS_PORT: '99999' }), {});
    assert.deepEqual(stsOptionsFromEnv({}, ['PEM']), { ca: ['PEM'] });
  });
  test('CR/LF tricks in the body are refused', async () => {
    const env = await serve('self-signed', () => ({ status: 200, body: 'version: STSv1\rmode: enforce\r\nmx: mx.example.test\r\nmax_age: 60\r\n' }));
    const r = await fetchStsPolicy('example.test', { ...env, timeoutMs: 3000 });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error.message, /bare CR/);
  });
});
