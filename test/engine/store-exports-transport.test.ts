// The swaks / curl / openssl exports carry the transport and TLS options of a send: -4/-6, the local address
// and port, a UNIX socket, SOCKS5 / HTTP CONNECT proxies, the PROXY header (with the ends really announced),
// the TLS name, CA, client certificate and key paths, versions and ciphers. Hostile paths go through the shell
// unchanged (fake tools print their argv), every flag printed exists in the installed tool's own help, and
// what a tool cannot express is a comment in the recipe. Then the exports of a real session are run with the
// real swaks, curl and openssl s_client against the same TLS peer, which must see what it saw from MX Desk.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { SessionEventBody } from '../../shared/events';
import { createStoreMethods } from '../../electron/host/store-methods';
import { createJournalSink } from '../../electron/store/journal';
import type { SessionRequest } from '../../shared/model';
import type { ExportFormat } from '../../shared/store-model';
import { makeCert } from '../support/certs';
import { journalSession, runScript } from '../support/export-runs';
import { sampleBodies, sampleRequest, stamp } from '../support/sample-session';
import { hostRequest as fixtureRequest, makeDraft, run } from '../support/session-fixtures';
import { startRecordingServer } from '../support/smtp-recording-server';
import { memorySecrets, value } from '../support/store-fixtures';
import { tempDirs } from '../support/temp-dirs';

const tempDir = tempDirs('mxdesk-export-transport-');

const HOST = 'smtp.example.test;touch PWNED';
const evil = (what: string) => `/tmp/${what} '$(touch PWNED)\`touch PWNED\`"; touch PWNED.pem`;
const CA = evil('ca');
const CERT = evil('cert');
const KEY = evil('key');
const SOCKET = evil('smtp.sock');

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function fakeBin(): string {
  const bin = tempDir();
  for (const name of ['swaks', 'curl', 'openssl', 'nc']) {
    writeFileSync(join(bin, name), '#!/bin/sh\nprintf \'%s\\0\' "$@"\n');
    chmodSync(join(bin, name), 0o755);
  }
  return bin;
}

function runShell(command: string, cwd: string, bin: string): string[] {
  const r = spawnSync('sh', ['-c', command], { cwd, env: { PATH: `${bin}:/usr/bin:/bin` }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\0').slice(0, -1);
}

/** The openssl / nc command of a recipe: from its first line up to the first line to type (EHLO). */
function recipeCommand(recipe: string): string {
  const lines = recipe.split('\n');
  const at = lines.findIndex((l) => l.startsWith('openssl ') || l.startsWith('nc '));
  const end = lines.findIndex((l, i) => i > at && /^(EHLO|LHLO) /.test(l));
  return lines.slice(at, end).join('\n');
}

/** Journal one session and export it in each format: the argv each tool would get, and the comment lines. */
async function exportsOf(req: SessionRequest, extra: SessionEventBody[] = []) {
  const dir = tempDir();
  const sink = createJournalSink(dir);
  sink.begin('s-tx', req);
  const bodies = sampleBodies();
  bodies.splice(4, 0, ...extra);
  for (const e of stamp('s-tx', bodies)) sink.onEvent(e);
  const api = createStoreMethods({ dataDir: dir, secrets: memorySecrets(), journal: sink });
  const bin = fakeBin();
  const cwd = tempDir();
  writeFileSync(join(cwd, 'message.eml'), 'Subject: x\r\n\r\nhi\r\n');
  const text = async (format: ExportFormat) => value(await api.exportSession({ id: 's-tx', format })).content;
  const scripts = { swaks: await text('swaks'), curl: await text('curl'), openssl: await text('openssl') };
  const out = {
    swaks: runShell(scripts.swaks, cwd, bin),
    curl: runShell(scripts.curl, cwd, bin),
    openssl: runShell(recipeCommand(scripts.openssl), cwd, bin),
    notes: (tool: keyof typeof scripts) => scripts[tool].split('\n').filter((l) => l.startsWith('# ')),
  };
  assert.equal(existsSync(join(cwd, 'PWNED')), false, 'a hostile value ran a command');
  return out;
}

const base = (over: Partial<SessionRequest>): SessionRequest => sampleRequest({ target: { kind: 'host', host: HOST, port: 587 }, auth: undefined, ...over });

const fullTls: Partial<SessionRequest> = {
  transport: { family: 6, localAddress: '::1', localPort: 40000, proxyProtocol: 'v2', proxySource: { address: '2001:db8::7', port: 4242 } },
  tlsOptions: { name: 'mx.example.test', caFile: CA, certFile: CERT, keyFile: KEY, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:TLS_AES_128_GCM_SHA256' },
};
const announced: SessionEventBody = { kind: 'info', level: 'info', stage: 'connect', text: 'PROXY v2 header sent, 52 bytes, announcing [2001:db8::7]:4242 → [::1]:587.' };

describe('transport and TLS options in the command-line exports', () => {
  test('swaks gets -6, the local interface and port, the PROXY v2 ends announced, and every TLS option', async () => {
    const x = await exportsOf(base(fullTls), [announced]);
    assert.deepEqual(x.swaks, [
      '--server', HOST, '--port', '587', '--ehlo', 'client.example.test', '--from', 'alice@example.test', '--to', 'bob@example.test',
      '--tls', '--tls-sni', 'mx.example.test', '--tls-verify',
      '-6', '--local-interface', '::1', '--local-port', '40000',
      '--proxy-version', '2', '--proxy-family', 'AF_INET6', '--proxy-source', '2001:db8::7', '--proxy-source-port', '4242', '--proxy-dest', '::1', '--proxy-dest-port', '587',
      '--tls-ca-path', CA, '--tls-cert', CERT, '--tls-key', KEY, '--tls-protocol', 'tlsv1_2,tlsv1_3', '--tls-cipher', 'ECDHE-ECDSA-AES128-GCM-SHA256',
      '--pipeline', '--data', '-',
    ]);
    assert.ok(x.notes('swaks').some((l) => /--tls-verify checks the certificate chain but not the name in it .*verified against 'mx\.example\.test'/.test(l)));
    assert.ok(x.notes('swaks').some((l) => /takes no TLS 1\.3 suites \('TLS_AES_128_GCM_SHA256' not expressed\)/.test(l)));
  });

  test('curl names --tls-name in the URL with --connect-to, and says what it cannot do with PROXY v2', async () => {
    const x = await exportsOf(base(fullTls), [announced]);
    assert.deepEqual(x.curl, [
      '--url', 'smtp://mx.example.test:587/client.example.test', '--connect-to', `mx.example.test:587:${HOST}:587`,
      '-6', '--interface', '::1', '--local-port', '40000',
      '--cacert', CA, '--cert', CERT, '--key', KEY, '--tlsv1.2', '--tls-max', '1.3', '--ciphers', 'ECDHE-ECDSA-AES128-GCM-SHA256', '--tls13-ciphers', 'TLS_AES_128_GCM_SHA256',
      '--ssl-reqd', '--mail-from', 'alice@example.test', '--mail-rcpt', 'bob@example.test', '--upload-file', 'message.eml',
    ]);
    assert.ok(x.notes('curl').some((l) => /sends only the PROXY v1 header/.test(l)));
    assert.ok(x.notes('curl').some((l) => /cannot announce '\[2001:db8::7\]:4242'/.test(l)));
  });

  test('openssl s_client gets the name, CA, client certificate, versions and both cipher lists; PROXY is a comment', async () => {
    const x = await exportsOf(base(fullTls), [announced]);
    assert.deepEqual(x.openssl, [
      's_client', '-starttls', 'smtp', '-connect', `${HOST}:587`, '-servername', 'mx.example.test', '-verify_return_error', '-verify_hostname', 'mx.example.test',
      '-6', '-bind', '[::1]:40000', '-CAfile', CA, '-cert', CERT, '-key', KEY, '-min_protocol', 'TLSv1.2', '-max_protocol', 'TLSv1.3',
      '-cipher', 'ECDHE-ECDSA-AES128-GCM-SHA256', '-ciphersuites', 'TLS_AES_128_GCM_SHA256', '-crlf', '-quiet',
    ]);
    assert.ok(x.notes('openssl').some((l) => /cannot send a PROXY protocol header/.test(l)));
  });

  test('a UNIX socket replaces the server and port in each tool', async () => {
    const x = await exportsOf(base({ tls: 'starttls', transport: { socketPath: SOCKET } }));
    assert.deepEqual(x.swaks.slice(0, 2), ['--socket', SOCKET]);
    assert.ok(!x.swaks.includes('--server') && !x.swaks.includes('--port'));
    assert.deepEqual(x.curl.slice(x.curl.indexOf('--unix-socket'), x.curl.indexOf('--unix-socket') + 2), ['--unix-socket', SOCKET]);
    assert.deepEqual(x.openssl.slice(0, 5), ['s_client', '-starttls', 'smtp', '-unix', SOCKET]);
    assert.ok(!x.openssl.includes('-connect'));
  });

  test('SOCKS5 and HTTP CONNECT proxies: curl carries them, swaks and s_client say what they cannot', async () => {
    const socksH = await exportsOf(base({ transport: { proxy: 'socks5h://alice@127.0.0.1:1080' } }));
    assert.deepEqual(socksH.curl.slice(socksH.curl.indexOf('--proxy'), socksH.curl.indexOf('--proxy') + 2), ['--proxy', 'socks5h://alice@127.0.0.1:1080']);
    assert.ok(socksH.notes('swaks').some((l) => /swaks cannot go through a SOCKS5 or HTTP CONNECT proxy/.test(l)));
    assert.ok(socksH.notes('openssl').some((l) => /cannot go through a SOCKS5 proxy/.test(l)));
    const socks = await exportsOf(base({ transport: { proxy: 'socks5://127.0.0.1:1080' } }));
    assert.ok(socks.curl.join(' ').includes('--socks5 127.0.0.1:1080'));
    const socksName = await exportsOf(base({ transport: { proxy: 'socks5h://127.0.0.1:1080' } }));
    assert.ok(socksName.curl.join(' ').includes('--socks5-hostname 127.0.0.1:1080'));
    const http = await exportsOf(base({ transport: { proxy: 'http://127.0.0.1:3128' } }));
    assert.ok(http.curl.join(' ').includes('--proxy http://127.0.0.1:3128 --proxytunnel'));
    assert.ok(http.openssl.join(' ').includes('-proxy 127.0.0.1:3128'));
  });

  test('PROXY v1: swaks with TCP4 ends, curl --haproxy-protocol', async () => {
    const v1: SessionEventBody = { kind: 'info', level: 'info', stage: 'connect', text: 'PROXY v1 header sent, 49 bytes, announcing 203.0.113.7:40001 → 127.0.0.1:587.' };
    const x = await exportsOf(base({ transport: { proxyProtocol: 'v1', family: 4 } }), [v1]);
    assert.ok(x.swaks.join(' ').includes('-4 --proxy-version 1 --proxy-family TCP4 --proxy-source 203.0.113.7 --proxy-source-port 40001 --proxy-dest 127.0.0.1 --proxy-dest-port 587'));
    assert.ok(x.curl.includes('--haproxy-protocol') && x.curl.includes('-4'));
  });

  test('connecting by IP address: no SNI in any tool (RFC 6066 §3), verified as an IP address by s_client', async () => {
    const x = await exportsOf(base({ target: { kind: 'host', host: '127.0.0.1', port: 587 } }));
    assert.ok(!x.swaks.includes('--tls-sni'));
    assert.ok(x.openssl.includes('-noservername') && !x.openssl.includes('-servername'));
    assert.deepEqual(x.openssl.slice(x.openssl.indexOf('-verify_ip'), x.openssl.indexOf('-verify_ip') + 2), ['-verify_ip', '127.0.0.1']);
  });

  test('every flag printed exists in the installed tool (swaks --help, curl --help all, openssl s_client -help)', async (t) => {
    const help = (cmd: string, args: string[]) => {
      const r = spawnSync(cmd, args, { encoding: 'utf8' });
      return r.error ? undefined : `${r.stdout}\n${r.stderr}`;
    };
    const helps = { swaks: help('swaks', ['--help']), curl: help('curl', ['--help', 'all']), openssl: help('openssl', ['s_client', '-help']) };
    const missing = Object.entries(helps).filter(([, h]) => h === undefined).map(([k]) => k);
    if (missing.length) return t.skip(`not installed here: ${missing.join(', ')}`);
    const runs = [
      await exportsOf(base(fullTls), [announced]),
      await exportsOf(base({ transport: { socketPath: SOCKET } })),
      await exportsOf(base({ transport: { proxy: 'socks5h://127.0.0.1:1080' } })),
      await exportsOf(base({ transport: { proxy: 'socks5://127.0.0.1:1080', proxyProtocol: 'v1' } })),
      await exportsOf(base({ transport: { proxy: 'http://127.0.0.1:3128' }, target: { kind: 'host', host: '127.0.0.1', port: 587 } })),
    ];
    for (const tool of ['swaks', 'curl', 'openssl'] as const) {
      const flags = new Set(runs.flatMap((x) => x[tool]).filter((w) => /^--?[a-z0-9][a-z0-9_.-]*$/i.test(w)));
      for (const flag of flags) {
        // swaks (Getopt::Long) takes -name and --name alike, and its help spells some with one dash (-tls).
        const name = tool === 'swaks' ? `--?${escapeRe(flag.replace(/^--?/, ''))}` : escapeRe(flag);
        const spelled = new RegExp(`(^|[\\s,])${name}([\\s,=\\[]|$)`, 'm');
        assert.ok(spelled.test(helps[tool]!), `${tool} has no ${flag}`);
      }
    }
  });
});


describe('the exported recipes, run with the real swaks, curl and openssl s_client, reach the peer as MX Desk did', () => {
  const tools = ['swaks', 'curl', 'openssl'].filter((t) => spawnSync(t, ['--version']).error === undefined);
  const skip = tools.length < 3 ? `swaks, curl or openssl is not installed (found: ${tools.join(', ') || 'none'})` : false;

  test('SNI from --tls-name, the private CA, a client certificate the server verifies, TLS 1.2 and one cipher', { skip }, async () => {
    const serverCert = makeCert('unknown-ca', 'mx.example.test');
    const clientCert = makeCert('unknown-ca', 'client.example.test');
    const dir = tempDir();
    const f = { ca: join(dir, 'ca.pem'), cert: join(dir, 'client.pem'), key: join(dir, 'client.key') };
    writeFileSync(f.ca, serverCert.caCert!);
    writeFileSync(f.cert, clientCert.cert);
    writeFileSync(f.key, clientCert.key, { mode: 0o600 });
    const peer = await startRecordingServer({ tls: { cert: serverCert.cert, key: serverCert.key, requestCert: true, rejectUnauthorized: true, ca: clientCert.caCert } });
    try {
      const req = fixtureRequest(peer.port, makeDraft(), {
        tls: 'starttls',
        tlsOptions: { name: 'mx.example.test', caFile: f.ca, certFile: f.cert, keyFile: f.key, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' },
      });
      const mine = await run(req);
      assert.equal(mine.outcome, 'delivered', mine.transcript().join('\n'));
      const exported = journalSession(req, mine.events);
      const cwd = tempDir();
      writeFileSync(join(cwd, 'message.eml'), await exported.text('eml'));
      for (const tool of ['swaks', 'curl'] as const) {
        const r = await runScript(await exported.text(tool), cwd);
        assert.equal(r.code, 0, `${tool}:\n${r.output}`);
      }
      // The openssl recipe, typed by a pipe: its command, then every line to type (comments left out).
      const recipe = await exported.text('openssl');
      const typed = recipe.split('\n').slice(recipe.split('\n').findIndex((l) => l.startsWith('EHLO '))).filter((l) => !l.startsWith('#'));
      writeFileSync(join(cwd, 'typed.txt'), `${typed.join('\n')}\n`);
      const ssl = await runScript(`${recipeCommand(recipe)} < typed.txt`, cwd);
      assert.equal(ssl.code, 0, `openssl:\n${recipe}\n${ssl.output}`);
      assert.match(ssl.output, /^250 .*queued/m, ssl.output);
      assert.equal(peer.messages.length, 4, 'MX Desk, swaks, curl and openssl s_client each delivered');
      for (const [i, who] of ['MX Desk', 'swaks', 'curl', 'openssl s_client'].entries()) {
        assert.deepEqual(
          { ...peer.seen[i], remotePort: 0 },
          { remoteAddress: '127.0.0.1', remotePort: 0, servername: 'mx.example.test', protocol: 'TLSv1.2', cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256', clientCertAuthorized: true, clientCertSubject: 'client.example.test' },
          who,
        );
      }
    } finally {
      await peer.stop();
    }
  });
});
