// SOCKS5 and HTTP CONNECT through proxies we did not write: Debian's microsocks and tinyproxy, each started
// privately on loopback. The SMTP peer behind them is smtp-server; the proxy resolves the name `localhost`
// (socks5h:// and http://), or MX Desk resolves it and hands the proxy an address (socks5://).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { realProxiesMissing, startMicrosocks, startTinyproxy, type RealProxy } from '../support/real-proxies';
import { hostRequest, makeDraft, run } from '../support/session-fixtures';
import { journalSession, runScript } from '../support/export-runs';
import { startRecordingServer, type RecordingServer } from '../support/smtp-recording-server';
import { tempDirs } from '../support/temp-dirs';

const tmp = tempDirs('mxdesk-real-proxies-');


const skip = realProxiesMissing() ?? false;
if (skip) console.log(`# skipped: ${skip}`);

describe('through real proxies', { skip }, () => {
  let peer: RecordingServer;
  const proxies: RealProxy[] = [];
  before(async () => {
    peer = await startRecordingServer({ host: '127.0.0.1' });
  });
  after(async () => {
    for (const p of proxies) await p.stop();
    await peer.stop();
  });
  const started = async (p: Promise<RealProxy>): Promise<RealProxy> => {
    const proxy = await p;
    proxies.push(proxy);
    return proxy;
  };
  const viaProxy = (proxy: string, host = 'localhost') => hostRequest(peer.port, makeDraft(), { target: { kind: 'host', host, port: peer.port }, transport: { proxy } });

  test('microsocks, socks5h://: the proxy resolves the name, no DNS lookup here, the message arrives', async () => {
    const socks = await started(startMicrosocks());
    const before = peer.messages.length;
    const r = await run(viaProxy(`socks5h://127.0.0.1:${socks.port}`));
    assert.equal(r.outcome, 'delivered', `${r.transcript().join('\n')}\n${socks.output()}`);
    assert.equal(peer.messages.length, before + 1);
    assert.ok(!r.events.some((e) => e.kind === 'dns'), 'the target name was not looked up here');
    assert.ok(r.of('info').some((e) => e.text === `Via SOCKS5 proxy (names resolved by the proxy) 127.0.0.1:${socks.port}: tunnel to localhost:${peer.port} open.`), r.transcript().join('\n'));
  });

  test('microsocks, socks5://: MX Desk hands the proxy an IP address', async () => {
    const socks = await started(startMicrosocks());
    const r = await run(viaProxy(`socks5://127.0.0.1:${socks.port}`, '127.0.0.1'));
    assert.equal(r.outcome, 'delivered', `${r.transcript().join('\n')}\n${socks.output()}`);
    assert.ok(r.of('info').some((e) => e.text === `Via SOCKS5 proxy 127.0.0.1:${socks.port}: tunnel to 127.0.0.1:${peer.port} open.`));
  });

  test('tinyproxy, http:// CONNECT: the tunnel carries the whole session', async () => {
    const http = await started(startTinyproxy());
    const before = peer.messages.length;
    const r = await run(viaProxy(`http://127.0.0.1:${http.port}`));
    assert.equal(r.outcome, 'delivered', `${r.transcript().join('\n')}\n${http.output()}`);
    assert.equal(peer.messages.length, before + 1);
    assert.ok(r.of('info').some((e) => e.text === `Via HTTP CONNECT proxy 127.0.0.1:${http.port}: tunnel to localhost:${peer.port} open.`));
  });

  test('the curl export goes through the same proxies (--socks5-hostname, --proxy … --proxytunnel)', async (t) => {
    if (spawnSync('curl', ['--version']).error) return t.skip('curl is not installed');
    const socks = await started(startMicrosocks());
    const http = await started(startTinyproxy());
    for (const proxy of [`socks5h://127.0.0.1:${socks.port}`, `http://127.0.0.1:${http.port}`]) {
      const req = viaProxy(proxy);
      const mine = await run(req);
      assert.equal(mine.outcome, 'delivered', mine.transcript().join('\n'));
      const exported = journalSession(req, mine.events);
      const cwd = tmp();
      writeFileSync(join(cwd, 'message.eml'), await exported.text('eml'));
      const script = await exported.text('curl');
      const before = peer.messages.length;
      const r = await runScript(script, cwd);
      assert.equal(r.code, 0, `${script}\n${r.output}`);
      assert.equal(peer.messages.length, before + 1, `curl delivered through ${proxy}`);
    }
  });

  test('tinyproxy allowing CONNECT to port 443 only: its refusal is explained, nothing is sent', async () => {
    const http = await started(startTinyproxy({ connectPorts: [443] }));
    const r = await run(viaProxy(`http://127.0.0.1:${http.port}`));
    assert.equal(r.outcome, 'not_delivered');
    assert.match(r.last.reason, new RegExp(`HTTP proxy 127\\.0\\.0\\.1:${http.port} refused the tunnel to localhost:${peer.port} \\(403 [^)]*\\): its policy forbids it`));
    assert.ok(!r.of('command').length, 'no SMTP command was sent');
  });
});
