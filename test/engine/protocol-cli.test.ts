// `mxdesk send` protocol flags: --lmtp / --protocol LMTP, --dsn-*, --require-tls, --xclient, --auth-mechanism,
// and the bearer token from MXDESK_OAUTH_TOKEN (never a flag). Parsed by the CLI's own code and run through
// the same send command, in this process (a recorded terminal) and once as a real `mxdesk` process (through
// tsx, no build needed), against aiosmtpd's LMTP server and a scripted OAUTHBEARER server, with --json.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { USAGE, parseCliArgs, type SendArgs } from '../../electron/cli/args';
import type { CliIo } from '../../electron/cli/io';
import { PROTOCOL_FLAGS } from '../../electron/cli/protocol-args';
import { runSendCommand } from '../../electron/cli/send-command';
import { buildSendRequest } from '../../electron/cli/send-request';
import type { SessionEvent } from '../../shared/events';
import { aiosmtpdAvailable, startAiosmtpd, type AiosmtpdServer } from '../support/aiosmtpd';
import { findCanary } from '../support/canary';
import { makeCert } from '../support/certs';
import { expect, reply, startHostileServer, startTls, type HostileServer } from '../support/hostile-server';
import { acceptMessage, ehloReply, hello } from '../support/smtp-script';

const TOKEN = 'ya29.Cli-canary_Tok3n~x';

function recordedIo(env: Record<string, string> = {}): CliIo & { lines: string[]; errors: string[]; prompts: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  const prompts: string[] = [];
  return {
    lines,
    errors,
    prompts,
    out: (l) => lines.push(l),
    err: (l) => errors.push(l),
    onInterrupt: () => undefined,
    offInterrupt: () => undefined,
    readStdin: async () => Buffer.alloc(0),
    promptSecret: async (q) => {
      prompts.push(q);
      return undefined;
    },
    env,
  };
}

function sendArgs(argv: string[]): SendArgs {
  const p = parseCliArgs(['send', '--from', 'a@example.test', '--to', 'b@example.test', ...argv]);
  if (!p.ok) throw new Error(`${p.error.field}: ${p.error.message}`);
  assert.equal(p.args.command, 'send');
  return p.args as SendArgs;
}

function refused(argv: string[]): { field: string; message: string } {
  const p = parseCliArgs(['send', '--from', 'a@example.test', '--to', 'b@example.test', ...argv]);
  assert.equal(p.ok, false, `expected ${argv.join(' ')} to be refused`);
  return p.ok ? { field: '', message: '' } : p.error;
}

describe('protocol flags: parsing', () => {
  test('every protocol flag is listed in the usage text (the README table is built from it)', () => {
    for (const flag of Object.keys(PROTOCOL_FLAGS)) {
      if (flag === 'oauth-token') continue; // exists only to be refused
      assert.ok(USAGE.includes(`--${flag}`), `--${flag} is missing from USAGE`);
    }
    assert.match(USAGE, /MXDESK_OAUTH_TOKEN/);
  });

  test('the flags become the request’s protocol group, with the shared validator’s spelling', async () => {
    const args = sendArgs(['--server', '127.0.0.1', '--dsn-notify', 'success, failure', '--dsn-ret', 'hdrs', '--dsn-envid', 'id 1', '--dsn-orcpt', '--require-tls', '--xclient', 'ADDR=192.0.2.1', '--xclient', 'name=client.example.net']);
    const built = await buildSendRequest(args, recordedIo());
    assert.ok(built.ok);
    assert.deepEqual(built.req.protocol, {
      requireTls: true,
      dsn: { notify: ['SUCCESS', 'FAILURE'], ret: 'HDRS', envid: 'id 1', orcpt: true },
      xclient: [
        { name: 'ADDR', value: '192.0.2.1' },
        { name: 'NAME', value: 'client.example.net' },
      ],
    });
  });

  test('--lmtp and swaks’ --protocol LMTP are the same, and LMTP defaults to port 24', async () => {
    for (const flags of [['--lmtp'], ['--protocol', 'LMTP'], ['--protocol', 'lmtp']]) {
      const built = await buildSendRequest(sendArgs(['--server', '127.0.0.1', ...flags]), recordedIo());
      assert.ok(built.ok);
      assert.deepEqual(built.req.protocol, { lmtp: true });
      assert.deepEqual(built.req.target, { kind: 'host', host: '127.0.0.1', port: 24 });
    }
    const esmtp = await buildSendRequest(sendArgs(['--server', '127.0.0.1', '--protocol', 'ESMTP']), recordedIo());
    assert.ok(esmtp.ok && esmtp.req.protocol === undefined);
  });

  test('bad values are refused naming the flag, before anything is sent', () => {
    assert.match(refused(['--protocol', 'SMTP']).message, /ESMTP or LMTP/);
    assert.deepEqual(refused(['--dsn-notify', 'NEVER,SUCCESS']).field, '--dsn-notify');
    assert.match(refused(['--dsn-notify', 'NEVER,SUCCESS']).message, /NEVER cannot be combined/);
    assert.equal(refused(['--dsn-notify', 'SOMETIMES']).field, '--dsn-notify');
    assert.equal(refused(['--dsn-ret', 'BODY']).field, '--dsn-ret');
    assert.equal(refused(['--dsn-envid', 'x'.repeat(101)]).field, '--dsn-envid');
    // 20 characters, but 120 once xtext-encoded (RFC 3461 §4.4 counts the encoded form).
    assert.equal(refused(['--dsn-envid', 'é'.repeat(20)]).field, '--dsn-envid');
    assert.match(refused(['--xclient', 'ADDR']).message, /NAME=VALUE/);
    assert.match(refused(['--xclient', 'FOO=bar']).message, /not one of ADDR/);
    assert.match(refused(['--lmtp', '--xclient', 'ADDR=192.0.2.1']).message, /cannot be used with LMTP/);
    assert.match(refused(['--auth-mechanism', 'XOAUTH2']).message, /needs --auth-user/);
    assert.match(refused(['--auth-user', 'u', '--auth-mechanism', 'DIGEST-MD5']).message, /one of PLAIN, LOGIN, CRAM-MD5, XOAUTH2, OAUTHBEARER/);
    const token = refused(['--auth-user', 'u', '--auth-mechanism', 'XOAUTH2', '--oauth-token', TOKEN]);
    assert.equal(token.field, '--oauth-token');
    assert.ok(!token.message.includes(TOKEN));
  });

  test('the token comes from MXDESK_OAUTH_TOKEN, else the same prompt as the password', async () => {
    const args = sendArgs(['--server', '127.0.0.1', '--auth-user', 'alice', '--auth-mechanism', 'OAUTHBEARER']);
    const fromEnv = await buildSendRequest(args, recordedIo({ MXDESK_OAUTH_TOKEN: TOKEN, MXDESK_PASSWORD: 'not-this' }));
    assert.ok(fromEnv.ok);
    assert.deepEqual(fromEnv.req.auth, { user: 'alice', password: TOKEN, mechanism: 'OAUTHBEARER' });
    const io = recordedIo();
    const noTerminal = await buildSendRequest(args, io);
    assert.ok(!noTerminal.ok);
    assert.match(noTerminal.error.message, /set MXDESK_OAUTH_TOKEN/);
    assert.deepEqual(io.prompts, ['Bearer token for alice (OAUTHBEARER): ']);
    const notAToken = await buildSendRequest(args, recordedIo({ MXDESK_OAUTH_TOKEN: 'two words' }));
    assert.ok(!notAToken.ok);
    assert.match(notAToken.error.message, /RFC 6750/);
    assert.ok(!notAToken.error.message.includes('two words'));
  });
});

function jsonEvents(lines: string[]): SessionEvent[] {
  return lines.map((l) => JSON.parse(l) as SessionEvent);
}

describe('protocol flags: sending with --json', () => {
  const avail = aiosmtpdAvailable();
  if (!avail.ok) console.log(`# skipping the CLI LMTP run: ${avail.reason}`);
  let lmtp: AiosmtpdServer | undefined;
  let oauth: HostileServer | undefined;
  before(async () => {
    if (avail.ok) lmtp = await startAiosmtpd({ lmtp: true, dataReplies: { 'full@example.test': '452 4.2.2 mailbox full' } });
  });
  after(async () => {
    await lmtp?.stop();
  });
  afterEach(async () => {
    await oauth?.stop();
    oauth = undefined;
  });

  test('--lmtp --json: one recipient event per LMTP reply after the dot; exit 0 with partial delivery', { skip: !avail.ok && avail.reason }, async () => {
    const io = recordedIo();
    const args = sendArgs(['--server', `127.0.0.1:${lmtp!.port}`, '--to', 'full@example.test', '--lmtp', '--tls', 'none', '--helo', 'cli.example.test', '--json', '--timeout-ms', '3000']);
    const code = await runSendCommand(args, io);
    assert.deepEqual(io.errors, []);
    const events = jsonEvents(io.lines);
    assert.equal(code, 0);
    const cmds = events.flatMap((e) => (e.kind === 'command' ? [e.text] : []));
    assert.equal(cmds[0], 'LHLO cli.example.test');
    const after = events.filter((e) => e.kind === 'recipient' && /after the message \(LMTP\)/.test(e.text));
    assert.deepEqual(
      after.map((e) => (e.kind === 'recipient' ? [e.rcpt, e.code] : [])),
      [
        ['b@example.test', 250],
        ['full@example.test', 452],
      ],
    );
    const outcome = events[events.length - 1];
    assert.equal(outcome.kind, 'outcome');
    if (outcome.kind === 'outcome') assert.match(outcome.reason, /1 of 2 recipients \(refused: full@example\.test\)/);
  });

  test('as a process: `mxdesk send --protocol LMTP --json` prints JSON lines and exits 1 when the only recipient is refused after the dot', { skip: !avail.ok && avail.reason }, () => {
    const root = join(__dirname, '..', '..');
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(root, 'electron', 'cli', 'mxdesk.ts'), 'send', '--server', `127.0.0.1:${lmtp!.port}`, '--protocol', 'LMTP', '--tls', 'none', '--from', 'a@example.test', '--to', 'full@example.test', '--json', '--timeout-ms', '3000'],
      { cwd: root, encoding: 'utf8', timeout: 20_000, env: { PATH: process.env.PATH, HOME: process.env.HOME } },
    );
    assert.equal(r.status, 1, r.stderr);
    const events = jsonEvents(r.stdout.trim().split('\n'));
    const refusal = events.find((e) => e.kind === 'recipient' && !e.accepted);
    assert.ok(refusal && refusal.kind === 'recipient' && refusal.code === 452 && /after the message \(LMTP\)/.test(refusal.text));
    const outcome = events[events.length - 1];
    assert.ok(outcome.kind === 'outcome' && outcome.outcome === 'not_delivered' && outcome.dotSent);
  });

  test('--auth-mechanism OAUTHBEARER with MXDESK_OAUTH_TOKEN over STARTTLS: delivered, the token nowhere in the output', async () => {
    const cert = makeCert('self-signed', 'mx.example.test');
    oauth = await startHostileServer([
      ...hello('STARTTLS'),
      expect(/^STARTTLS$/i),
      reply('220 2.0.0 Ready'),
      startTls(cert),
      expect(/^EHLO /i),
      ehloReply('AUTH OAUTHBEARER XOAUTH2'),
      expect(/^AUTH OAUTHBEARER \S+$/),
      reply('235 2.7.0 Accepted'),
      ...acceptMessage(),
    ]);
    const io = recordedIo({ MXDESK_OAUTH_TOKEN: TOKEN });
    const args = sendArgs(['--server', `127.0.0.1:${oauth.port}`, '--tls', 'starttls', '--insecure', '--auth-user', 'alice', '--auth-mechanism', 'OAUTHBEARER', '--json', '--timeout-ms', '3000']);
    const code = await runSendCommand(args, io);
    assert.deepEqual(io.errors, []);
    assert.equal(code, 0);
    const cmds = jsonEvents(io.lines).flatMap((e) => (e.kind === 'command' ? [e.text] : []));
    assert.ok(cmds.includes('AUTH OAUTHBEARER ‹redacted›'), cmds.join('\n'));
    assert.deepEqual(findCanary(io.lines.join('\n'), TOKEN), []);
    const sent = (await oauth.connection(0)).commands.find((c) => c.startsWith('AUTH OAUTHBEARER')) ?? '';
    assert.ok(Buffer.from(sent.split(' ')[2], 'base64').toString('utf8').includes(`auth=Bearer ${TOKEN}`), 'the server got the token');
  });
});
