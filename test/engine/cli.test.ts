// The `mxdesk` command line, run as users run it: the built bin/mxdesk.js in its own process, against the
// private dnsmasq, the private Postfix and scripted servers. Needs `npm run build` first (npm test does it).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { parseCliArgs } from '../../electron/cli/args';
import { contentTypeFor, parseServer } from '../../electron/cli/send-request';
import { makeCert } from '../support/certs';
import { startDnsmasq, TEST_ZONE, type Dnsmasq } from '../support/dnsmasq';
import { close, delay, expect, expectData, reply, startHostileServer, startTls, type HostileServer } from '../support/hostile-server';
import { assertNoSecret, secretForms } from '../support/invariants';
import { postfixAvailable, startPostfix, stripDeliveryHeaders, type PostfixInstance } from '../support/postfix';
import { CANARY } from '../support/session-case';
import { acceptMessage, ehloReply, greet, hello } from '../support/smtp-script';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'mxdesk.js');
const BUILT = join(ROOT, 'dist', 'cli', 'mxdesk.js');

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function runCli(args: string[], opts: { env?: Record<string, string>; stdin?: string; interruptWhen?: RegExp; timeoutMs?: number } = {}): Promise<CliRun> {
  const started = performance.now();
  // No inherited MXDESK_PASSWORD, and stdin is a pipe (not a terminal): the CLI cannot prompt.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...opts.env };
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let interrupted = false;
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    if (opts.interruptWhen && !interrupted && opts.interruptWhen.test(stdout)) {
      interrupted = true;
      child.kill('SIGINT');
    }
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(opts.stdin ?? '');
  const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    }),
  );
}

const SKIP_PF = postfixAvailable().ok ? false : (postfixAvailable().reason ?? 'no Postfix');

let dns: Dnsmasq;
let pf: PostfixInstance | undefined;
let server: HostileServer | undefined;
let dir: string;

before(async () => {
  assert.ok(existsSync(BUILT), 'dist/cli/mxdesk.js is missing: run `npm run build` first');
  dns = await startDnsmasq(TEST_ZONE);
  if (!SKIP_PF) pf = await startPostfix();
  dir = await mkdtemp(join(tmpdir(), 'mxdesk-cli-'));
});
after(async () => {
  await pf?.stop();
  await dns.stop();
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await pf?.clearDelivered();
});

describe('argument parsing (no process)', () => {
  test('every send flag is parsed', () => {
    const p = parseCliArgs([
      'send', '--from', 'a@example.test', '--to', 'b@example.test', '--to', 'c@example.test', '--cc', 'd@example.test', '--bcc', 'e@example.test',
      '--server', 'mx.example.test:2525', '--port', '2526', '--dns', '127.0.0.1:53', '--helo', 'me.example.test', '--subject', 'S',
      '--header', 'X-One: 1', '--body', '@body.txt', '--attach', 'a.pdf', '--tls', 'starttls', '--insecure', '--auth-user', 'alice',
      '--no-pipelining', '--no-chunking', '--quit-after', 'rcpt', '--timeout-ms', '1500', '--json',
    ]);
    assert.ok(p.ok);
    assert.deepEqual(p.args, {
      command: 'send', from: 'a@example.test', to: ['b@example.test', 'c@example.test'], cc: ['d@example.test'], bcc: ['e@example.test'],
      server: 'mx.example.test:2525', port: 2526, dns: '127.0.0.1:53', helo: 'me.example.test', subject: 'S', headers: [{ name: 'X-One', value: '1' }],
      body: { kind: 'file', path: 'body.txt' }, rawFile: undefined, attach: ['a.pdf'], tls: 'starttls', insecure: true, authUser: 'alice',
      pipelining: false, chunking: false, quitAfter: 'rcpt', timeoutMs: 1500, json: true,
    });
  });

  test('bad flags name the field', () => {
    for (const [argv, field] of [
      [['send', '--from', 'a@b.test'], '--to'],
      [['send', '--to', 'a@b.test'], '--from'],
      [['send', '--from', 'a@b.test', '--to', 'b@b.test', '--port', '0'], '--port'],
      [['send', '--from', 'a@b.test', '--to', 'b@b.test', '--tls', 'maybe'], '--tls'],
      [['send', '--from', 'a@b.test', '--to', 'b@b.test', '--timeout-ms', '-5'], '--timeout-ms'],
      [['send', '--from', 'a@b.test', '--to', 'b@b.test', '--header', 'NoColon'], '--header'],
      [['send', '--from', 'a@b.test', '--to', 'b@b.test', '--quit-after', 'lunch'], '--quit-after'],
      [['send', '--from', 'a@b.test', '--to', 'b@b.test', '--password', 'x'], '--password'],
      [['send', '--from', 'a@b.test', '--to', 'b@b.test', '--bogus'], '--bogus'],
      [['send', '--from', 'a@b.test', '--to', 'b@b.test', '--raw', '@m.eml', '--body', 'x'], '--raw'],
      [['mx'], 'DOMAIN'],
      [['frobnicate'], 'COMMAND'],
    ] as const) {
      const p = parseCliArgs([...argv]);
      assert.equal(p.ok, false, argv.join(' '));
      if (!p.ok) assert.equal(p.error.field, field, argv.join(' '));
    }
  });

  test('content types are guessed from the extension, with a safe default', () => {
    assert.equal(contentTypeFor('report.PDF'), 'application/pdf');
    assert.equal(contentTypeFor('photo.jpeg'), 'image/jpeg');
    assert.equal(contentTypeFor('notes.txt'), 'text/plain');
    assert.equal(contentTypeFor('blob.xyz'), 'application/octet-stream');
  });

  test('--server takes HOST, HOST:PORT and bracketed IPv6', () => {
    assert.deepEqual(parseServer('mx.example.test'), { host: 'mx.example.test', port: undefined });
    assert.deepEqual(parseServer('mx.example.test:2525'), { host: 'mx.example.test', port: 2525 });
    assert.deepEqual(parseServer('[::1]:25'), { host: '::1', port: 25 });
    assert.deepEqual(parseServer('::1'), { host: '::1' });
  });
});

describe('mxdesk mx', () => {
  test('prints the MX hosts in delivery order and exits 0', async () => {
    const r = await runCli(['mx', 'example.test', '--dns', dns.server]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.indexOf('mx0.example.test') < r.stdout.indexOf('mx1.example.test'));
    assert.match(r.stdout, /127\.0\.0\.2/);
  });

  test('--json prints one JSON object per line, the report last', async () => {
    const r = await runCli(['mx', 'example.test', '--dns', dns.server, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; report?: { verdict: string } });
    assert.ok(lines.length >= 2);
    assert.ok(lines.slice(0, -1).every((l) => l.kind === 'dns'));
    assert.equal(lines[lines.length - 1].kind, 'mx_report');
    assert.equal(lines[lines.length - 1].report?.verdict, 'mx');
  });

  test('a null-MX domain exits 1 and says it accepts no mail', async () => {
    const r = await runCli(['mx', 'nullmx.test', '--dns', dns.server]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /accepts no mail/i);
  });
});

describe('mxdesk send', { skip: SKIP_PF }, () => {
  const pfServer = () => `127.0.0.1:${pf!.port}`;
  /** The delivered message containing `marker` (Postfix delivers asynchronously, after the session). */
  async function delivered(marker: string): Promise<string> {
    const until = performance.now() + 10_000;
    for (;;) {
      const files = await pf!.readDelivered({ count: 1, timeoutMs: 500 });
      const hit = files.map((f) => stripDeliveryHeaders(f).toString('latin1')).find((t) => t.includes(marker));
      if (hit !== undefined) return hit;
      assert.ok(performance.now() < until, `no delivered message contains ${JSON.stringify(marker)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  test('delivers to Postfix and exits 0, with a swaks-style transcript', async () => {
    const r = await runCli(['send', '--server', pfServer(), '--from', 'a@example.test', '--to', 'b@example.test', '--subject', 'CLI delivery', '--body', 'Hello from the command line.']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^=== /m);
    assert.match(r.stdout, /^ -> EHLO /m);
    assert.match(r.stdout, /^<- {2}250/m);
    assert.match(r.stdout, /\(\d+(\.\d+)? ms\)/, 'replies carry timings');
    const text = await delivered('CLI delivery');
    assert.match(text, /^Subject: CLI delivery$/m);
    assert.match(text, /Hello from the command line\./);
  });

  test('--json prints one event per line and the outcome last', async () => {
    const r = await runCli(['send', '--server', pfServer(), '--from', 'a@example.test', '--to', 'b@example.test', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; outcome?: string });
    assert.equal(events[0].kind, 'session_start');
    assert.equal(events[events.length - 1].kind, 'outcome');
    assert.equal(events[events.length - 1].outcome, 'delivered');
  });

  test('MX delivery through --dns with --port reaches the private Postfix', async () => {
    const r = await runCli(['send', '--dns', dns.server, '--port', String(pf!.port), '--from', 'a@example.test', '--to', 'b@fallback.test', '--timeout-ms', '3000']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /refused/i, 'the refusing best MX is shown');
  });

  test('--body @FILE, --header and --attach FILE (content type from the extension) reach the message', async () => {
    const body = join(dir, 'body.txt');
    const pdf = join(dir, 'report.pdf');
    await writeFile(body, 'Body from a file.\n');
    await writeFile(pdf, Buffer.from('%PDF-1.4 fake'));
    const r = await runCli(['send', '--server', pfServer(), '--from', 'a@example.test', '--to', 'b@example.test', '--body', `@${body}`, '--header', 'X-Trace: cli-test', '--attach', pdf]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const text = await delivered('Body from a file.');
    assert.match(text, /^X-Trace: cli-test$/m);
    assert.match(text, /Content-Type: application\/pdf; name=report\.pdf/);
  });

  test('--body - reads the body from stdin', async () => {
    const r = await runCli(['send', '--server', pfServer(), '--from', 'a@example.test', '--to', 'b@example.test', '--body', '-'], { stdin: 'Body from stdin.\n' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    await delivered('Body from stdin.');
  });

  test('--raw @FILE sends the file as the message, byte for byte', async () => {
    const raw = 'From: a@example.test\r\nTo: b@example.test\r\nSubject: raw\r\n\r\n.leading dot\r\n.\r\nend\r\n';
    const file = join(dir, 'raw.eml');
    await writeFile(file, raw);
    const r = await runCli(['send', '--server', pfServer(), '--from', 'a@example.test', '--to', 'b@example.test', '--raw', `@${file}`]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(await delivered('.leading dot'), raw.replace(/\r\n/g, '\n'));
  });

  test('a --body @FILE larger than 256 KiB is streamed from the file and arrives whole', async () => {
    const body = join(dir, 'big-body.txt');
    const lines = Array.from({ length: 12_000 }, (_, i) => `body line ${i} of the big file`);
    await writeFile(body, `${lines.join('\n')}\nlast line of the big body\n`);
    const r = await runCli(['send', '--server', pfServer(), '--from', 'a@example.test', '--to', 'b@example.test', '--subject', 'big body', '--body', `@${body}`]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const text = await delivered('last line of the big body');
    assert.match(text, /^body line 0 of the big file$/m);
    assert.match(text, /^body line 11999 of the big file$/m);
  });

  test('--quit-after rcpt stops before the message, sends QUIT and exits 0', async () => {
    const r = await runCli(['send', '--server', pfServer(), '--from', 'a@example.test', '--to', 'b@example.test', '--quit-after', 'rcpt', '--no-pipelining']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^ -> QUIT$/m);
    assert.doesNotMatch(r.stdout, /^ -> (DATA|BDAT)/m);
  });
});

describe('exit codes and bad input', () => {
  const bad: Array<[string, string[], string]> = [
    ['an address with a space', ['--from', 'a b@example.test', '--to', 'b@example.test'], '--from'],
    ['a Subject with a control character', ['--from', 'a@example.test', '--to', 'b@example.test', '--subject', 'bell\u0007'], '--subject'],
    ['a header name with a space', ['--from', 'a@example.test', '--to', 'b@example.test', '--header', 'X Bad: z'], '--header'],
    ['a HELO name that is not a host name', ['--from', 'a@example.test', '--to', 'b@example.test', '--helo', 'not a name'], '--helo'],
    ['a missing attachment file', ['--from', 'a@example.test', '--to', 'b@example.test', '--attach', '/nonexistent/file.pdf'], '--attach'],
    ['AUTH without a password and no terminal', ['--from', 'a@example.test', '--to', 'b@example.test', '--auth-user', 'alice', '--tls', 'require'], '--auth-user'],
    ['a password flag', ['--from', 'a@example.test', '--to', 'b@example.test', '--password', 'hunter2'], '--password'],
  ];
  for (const [name, args, field] of bad) {
    test(`bad input (${name}) exits 2 with one line naming ${field}, and nothing connects`, async () => {
      server = await startHostileServer([greet()]);
      const r = await runCli(['send', '--server', `127.0.0.1:${server.port}`, '--timeout-ms', '1000', ...args]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.equal(r.stdout, '');
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.ok(lines[0].includes(field), lines[0]);
      assert.equal(server.connections.length, 0, 'nothing was sent');
    });
  }

  for (const [name, content] of [
    ['a NUL byte deep inside', Buffer.concat([Buffer.alloc(300 * 1024, 'a'), Buffer.from([0]), Buffer.from('\r\n')])],
    ['nothing but white space', Buffer.from(' \r\n\t\r\n')],
  ] as const) {
    test(`a --raw @FILE with ${name} exits 2 naming --raw, and nothing connects`, async () => {
      const file = join(dir, 'bad-raw.eml');
      await writeFile(file, content);
      server = await startHostileServer([greet()]);
      const r = await runCli(['send', '--server', `127.0.0.1:${server.port}`, '--from', 'a@example.test', '--to', 'b@example.test', '--raw', `@${file}`]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr.trim(), /^mxdesk: --raw: /);
      assert.equal(server.connections.length, 0, 'nothing was sent');
    });
  }

  test('a closed connection after the final dot exits 3 (outcome unknown)', async () => {
    server = await startHostileServer([...hello(), expect(/^MAIL/i), reply('250 Ok'), expect(/^RCPT/i), reply('250 Ok'), expect(/^DATA/i), reply('354 go'), expectData(), close()]);
    const r = await runCli(['send', '--server', `127.0.0.1:${server.port}`, '--from', 'a@example.test', '--to', 'b@example.test']);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stdout, /may have/i);
  });

  test('a refused recipient exits 1 (not delivered)', async () => {
    server = await startHostileServer([...hello(), expect(/^MAIL/i), reply('250 Ok'), expect(/^RCPT/i), reply('550 5.1.1 no such user'), expect(/^QUIT/i), reply('221 bye'), close()]);
    const r = await runCli(['send', '--server', `127.0.0.1:${server.port}`, '--from', 'a@example.test', '--to', 'b@example.test', '--no-pipelining']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^<\*\* 550/m);
  });

  test('a deadline that expires before the dot exits 4', async () => {
    server = await startHostileServer([greet(), expect(/^EHLO/i), delay(10_000)]);
    const r = await runCli(['send', '--server', `127.0.0.1:${server.port}`, '--from', 'a@example.test', '--to', 'b@example.test', '--timeout-ms', '400']);
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.ok(r.ms < 400 * 3 + 3000, `took ${Math.round(r.ms)} ms`);
  });

  test('Ctrl-C cancels cleanly and exits 4', async () => {
    server = await startHostileServer([greet(), expect(/^EHLO/i), delay(30_000)]);
    const r = await runCli(['send', '--server', `127.0.0.1:${server.port}`, '--from', 'a@example.test', '--to', 'b@example.test'], { interruptWhen: /^ -> EHLO/m });
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.match(r.stdout, /cancelled/i);
    await (await server.connection(0)).closed;
  });
});

describe('secrets', () => {
  test('the password comes from MXDESK_PASSWORD and never appears in the output', async () => {
    const cert = makeCert('self-signed', 'mx.example.test');
    server = await startHostileServer([
      ...hello('STARTTLS'),
      expect(/^STARTTLS$/i),
      reply('220 2.0.0 Ready'),
      startTls(cert),
      expect(/^EHLO /i),
      ehloReply('AUTH PLAIN'),
      expect(/^AUTH PLAIN \S+$/),
      reply('235 2.7.0 Authentication successful'),
      ...acceptMessage(),
    ]);
    const r = await runCli(['send', '--server', `127.0.0.1:${server.port}`, '--tls', 'starttls', '--insecure', '--auth-user', 'alice', '--from', 'a@example.test', '--to', 'b@example.test', '--json'], {
      env: { MXDESK_PASSWORD: CANARY },
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const auth = (await server.connection(0)).commands.find((c) => /^AUTH PLAIN/.test(c)) ?? '';
    assert.equal(Buffer.from(auth.split(' ')[2], 'base64').toString().split('\0')[2], CANARY, 'the server got the password');
    assertNoSecret(r.stdout + r.stderr, CANARY, 'the CLI output');
    assert.ok(secretForms(CANARY).length >= 5);
  });
});

test('the built CLI does not load electron', () => {
  const code = readFileSync(BUILT, 'utf8');
  assert.doesNotMatch(code, /require\(["']electron["']\)/);
});
