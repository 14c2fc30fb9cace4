import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createStoreMethods } from '../../electron/host/store-methods';
import { createJournalSink } from '../../electron/store/journal';
import { eventsExportText, parseEventsExport } from '../../shared/export/events-json';
import { sendSpecs } from '../../shared/export/send-spec';
import { transcriptText } from '../../shared/export/transcript';
import type { MxReport, SessionRequest } from '../../shared/model';
import type { ExportFormat } from '../../shared/store-model';
import { findCanary } from '../support/canary';
import { sampleBodies, sampleDraft, sampleRequest, stamp } from '../support/sample-session';
import { startAuthServer } from '../support/smtp-auth-server';
import { memorySecrets, value } from '../support/store-fixtures';
import { tempDirs } from '../support/temp-dirs';

const tempDir = tempDirs('mxdesk-export-');

const CANARY = 'Canary_9f2e-Pass word';

/** Journal one session in a fresh data dir and return the store API over it. */
function journaled(req: SessionRequest, bodies = sampleBodies(), id = 's-exp') {
  const dir = tempDir();
  const sink = createJournalSink(dir);
  sink.begin(id, req);
  const events = stamp(id, bodies);
  for (const e of events) sink.onEvent(e);
  return { dir, events, api: createStoreMethods({ dataDir: dir, secrets: memorySecrets(), journal: sink }) };
}

describe('events JSON export', () => {
  test('a JSON export opens again with identical events', async () => {
    const { api, events } = journaled(sampleRequest({ auth: { user: 'alice', password: CANARY, mechanism: 'PLAIN' } }));
    const file = value(await api.exportSession({ id: 's-exp', format: 'json' }));
    assert.equal(file.mimeType, 'application/json');
    assert.match(file.filename, /^mxdesk-2026-05-01T10-00-00Z-s-exp\.json$/);
    const back = value(await api.importEvents({ text: file.content }));
    assert.deepEqual(back.events, events);
    assert.equal(back.sessionId, 's-exp');
    assert.deepEqual(value(await api.getHistory({ id: 's-exp' })).events, back.events);
  });

  test('an import that is not a valid MX Desk export is refused with the reason', () => {
    const good = eventsExportText('s', stamp('s', sampleBodies()));
    const cases: [string, RegExp][] = [
      ['not json', /not JSON/],
      ['{"format":"other"}', /not an MX Desk events export/],
      [good.replace('"version":1', '"version":99'), /version 99/],
      [good.replace('"kind":"dns"', '"kind":"evil"'), /Event 2 .*unknown kind/],
      [good.replace('"code":220', '"code":"220"'), /reply\.code/],
      [good.replace('"sessionId":"s","seq":3', '"sessionId":"t","seq":3'), /another session/],
    ];
    for (const [text, why] of cases) {
      const r = parseEventsExport(text);
      assert.equal(r.ok, false, text.slice(0, 40));
      if (!r.ok) assert.match(r.error.message, why);
    }
  });
});

describe('transcript export', () => {
  test('reads like swaks: === info, -> sent, <- received, <** error replies, each with its time offset', () => {
    const bodies = sampleBodies({ outcome: false });
    bodies.push({ kind: 'reply', stage: 'rcpt', code: 550, enhanced: '5.1.1', lines: ['5.1.1 No such user\r\n<- 250 forged'], explanation: 'The mailbox does not exist.', timing: { firstByteAt: 1, completeAt: 2 } });
    const text = transcriptText(stamp('s', bodies));
    assert.match(text, /^\[ {3}0\.000s\] === Session started/m);
    assert.match(text, /^\[ {3}0\.061s\] {2}-> EHLO client\.example\.test$/m);
    assert.match(text, /^\[[ .0-9]+s\] <- {2}250-smtp\.example\.test$/m);
    assert.match(text, /^\[[ .0-9]+s\] <- {2}250 AUTH PLAIN LOGIN$/m);
    assert.match(text, /^\[[ .0-9]+s\] <- {2}220 smtp\.example\.test ESMTP \\x1b\[31mred$/m);
    // A CR/LF inside a server line is shown escaped: it cannot forge a line of its own.
    assert.match(text, /^\[[ .0-9]+s\] <\*\* 550 5\.1\.1 No such user\\r\\n<- 250 forged$/m);
    assert.doesNotMatch(text, /^<- 250 forged/m);
    assert.match(text, /=== Certificate verified for smtp\.example\.test/);
  });
});

// Fake swaks / curl / openssl / nc that print their argv NUL-separated: the test sees exactly what the shell
// passed, and a command substitution that escaped its quotes would create PWNED.
function fakeBin(): string {
  const bin = tempDir();
  for (const name of ['swaks', 'curl', 'openssl', 'nc']) {
    writeFileSync(join(bin, name), '#!/bin/sh\nprintf \'%s\\0\' "$@"\n');
    chmodSync(join(bin, name), 0o755);
  }
  return bin;
}

function runAsync(script: string, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', script], { cwd, env: { PATH: '/usr/bin:/bin', MXDESK_PASSWORD: CANARY }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, output });
    });
  });
}

function runShell(command: string, cwd: string, bin: string): string[] {
  const r = spawnSync('sh', ['-c', command], { cwd, env: { PATH: `${bin}:/usr/bin:/bin`, MXDESK_PASSWORD: CANARY }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\0').slice(0, -1);
}

/** The openssl / nc command of a recipe: from its first line up to the first line to type (EHLO). */
function recipeCommand(recipe: string): string {
  const lines = recipe.split('\n');
  const at = lines.findIndex((l) => l.startsWith('openssl ') || l.startsWith('nc '));
  const end = lines.findIndex((l, i) => i > at && l.startsWith('EHLO '));
  return lines.slice(at, end).join('\n');
}

describe('command-line exports', () => {
  const hostileFrom = `x'; touch PWNED; echo '$(touch PWNED)\`touch PWNED\`"@evil.test`;
  const hostileRcpt = `b'"'"'\n$HOME@evil.test`;
  const hostileUser = `al'ice $(id)`;
  const hostileHost = 'smtp.example.test;touch PWNED';
  const req = sampleRequest({
    draft: sampleDraft({ mailFrom: hostileFrom, rcptTo: [hostileRcpt] }),
    target: { kind: 'host', host: hostileHost, port: 587 },
    heloName: 'client.example.test',
    auth: { user: hostileUser, password: CANARY, mechanism: 'PLAIN' },
  });
  const bodies = sampleBodies();
  bodies[0] = { kind: 'session_start', startedAt: '2026-05-01T10:00:00.000Z', target: hostileHost, mode: 'auto', envelope: { mailFrom: hostileFrom, rcptTo: [hostileRcpt] } };

  test('swaks, curl and openssl commands pass hostile values through the shell unchanged and run nothing else', async () => {
    const { api } = journaled(req, bodies);
    const bin = fakeBin();
    const cwd = tempDir();
    const exp = async (format: ExportFormat) => value(await api.exportSession({ id: 's-exp', format })).content;

    writeFileSync(join(cwd, 'message.eml'), 'Subject: x\r\n\r\nhi\r\n');
    const swaks = runShell(await exp('swaks'), cwd, bin);
    assert.deepEqual(swaks, [
      '--server', hostileHost, '--port', '587', '--ehlo', 'client.example.test', '--from', hostileFrom, '--to', hostileRcpt,
      '--tls', '--tls-sni', hostileHost, '--tls-verify', '--auth', 'PLAIN', '--auth-user', hostileUser, '--auth-password', CANARY,
      '--pipeline', '--data', '-',
    ]);
    const curl = runShell(await exp('curl'), cwd, bin);
    assert.deepEqual(curl, [
      '--url', `smtp://${hostileHost}:587/client.example.test`, '--ssl-reqd', '--mail-from', hostileFrom, '--mail-rcpt', hostileRcpt,
      '--user', `${hostileUser}:${CANARY}`, '--login-options', 'AUTH=PLAIN', '--upload-file', 'message.eml',
    ]);
    const openssl = runShell(recipeCommand(await exp('openssl')), cwd, bin);
    assert.deepEqual(openssl, ['s_client', '-starttls', 'smtp', '-connect', `${hostileHost}:587`, '-servername', hostileHost, '-verify_return_error', '-verify_hostname', hostileHost, '-crlf', '-quiet']);
    assert.equal(existsSync(join(cwd, 'PWNED')), false);
  });

  test('no export ever contains the password, in any encoding', async () => {
    const { api } = journaled(req, bodies);
    for (const format of ['text', 'json', 'eml', 'swaks', 'curl', 'openssl'] as const) {
      const file = value(await api.exportSession({ id: 's-exp', format }));
      assert.deepEqual(findCanary(file.content, CANARY), [], format);
      assert.deepEqual(findCanary(file.filename, CANARY), [], format);
    }
    const recipe = value(await api.exportSession({ id: 's-exp', format: 'openssl' })).content;
    assert.match(recipe, /printf '\\0%s\\0%s' 'al'\\''ice \$\(id\)' "\$MXDESK_PASSWORD" \| base64 -w0/);
    // Typed lines show a CR/LF in a value escaped, so it cannot become a second command.
    assert.match(recipe, /^RCPT TO:<b'"'"'\\n\$HOME@evil\.test>$/m);
  });

  test("a profile's saved password that leaked into the events is scrubbed from every export", async () => {
    const dir = tempDir();
    const store = memorySecrets();
    const api0 = createStoreMethods({ dataDir: dir, secrets: store });
    const saved = value(await api0.saveProfile({ profile: { name: 'relay', host: 'smtp.example.test', port: 587, tls: 'starttls', authUser: 'alice', authMechanism: 'PLAIN' }, password: CANARY }));
    const sink = createJournalSink(dir);
    sink.begin('s-prof', sampleRequest({ auth: { user: 'alice', profileId: saved.profile.id, mechanism: 'PLAIN' } }));
    const leaky = sampleBodies();
    leaky.splice(12, 0, { kind: 'info', level: 'error', text: `server echoed ${CANARY} and ${Buffer.from(`\0alice\0${CANARY}`).toString('base64')}` });
    for (const e of stamp('s-prof', leaky)) sink.onEvent(e);
    const api = createStoreMethods({ dataDir: dir, secrets: store, journal: sink });
    for (const format of ['text', 'json', 'swaks'] as const) {
      const file = value(await api.exportSession({ id: 's-prof', format }));
      assert.deepEqual(findCanary(file.content, CANARY), [], format);
    }
  });

  test('an MX target names the host that answered, per recipient domain', () => {
    const mxReq = sampleRequest({ target: { kind: 'mx' }, port: 2525, draft: sampleDraft({ rcptTo: ['a@one.test', 'b@two.test', 'c@one.test'] }) });
    const report = {} as MxReport; // only the domain of an mx_plan matters here
    const ev = stamp('m', [
      { kind: 'session_start', startedAt: 'x', target: 'mx', mode: 'auto', envelope: { mailFrom: 'a@x.test', rcptTo: ['a@one.test', 'b@two.test', 'c@one.test'] } },
      { kind: 'mx_plan', domain: 'one.test', report },
      { kind: 'connect_result', host: 'mx0.one.test', address: '127.0.0.2', port: 2525, ok: false, ms: 1, error: 'refused' },
      { kind: 'connect_result', host: 'mx1.one.test', address: '127.0.0.1', port: 2525, ok: true, ms: 1 },
      { kind: 'mx_plan', domain: 'two.test', report },
    ]);
    const specs = sendSpecs(mxReq, ev);
    assert.deepEqual(
      specs.map((s) => [s.domain, s.host, s.rcptTo, s.port]),
      [
        ['one.test', 'mx1.one.test', ['a@one.test', 'c@one.test'], 2525],
        ['two.test', null, ['b@two.test'], 2525],
      ],
    );
  });
});

describe('.eml export and the exported swaks command against a real server', () => {
  test('the exported swaks command, run with its .eml, delivers the same message bytes', async () => {
    const server = await startAuthServer({ tls: false, users: { alice: CANARY } });
    try {
      const req = sampleRequest({ target: { kind: 'host', host: '127.0.0.1', port: server.port }, tls: 'none', auth: { user: 'alice', mechanism: 'PLAIN' }, heloName: 'client.example.test' });
      const { api } = journaled(req);
      const eml = value(await api.exportSession({ id: 's-exp', format: 'eml' }));
      assert.equal(eml.mimeType, 'message/rfc822');
      assert.match(eml.content, /^Subject: Test from MX Desk\r$/m);
      assert.match(eml.content, /^Date: Fri, 01 May 2026 10:00:00 \+0000\r$/m);
      const script = value(await api.exportSession({ id: 's-exp', format: 'swaks' })).content;
      const cwd = tempDir();
      mkdirSync(cwd, { recursive: true });
      writeFileSync(join(cwd, 'message.eml'), eml.content);
      // Asynchronously: the server runs in this process and must keep answering while swaks talks to it.
      const r = await runAsync(script, cwd);
      assert.equal(r.code, 0, r.output);
      assert.deepEqual(server.authAttempts.map((a) => [a.username, a.ok]), [['alice', true]]);
      assert.equal(server.messages.length, 1);
      assert.equal(server.messages[0].data.toString('utf8'), eml.content);
    } finally {
      await server.stop();
    }
  });
});
