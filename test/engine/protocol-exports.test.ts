// The protocol options in the swaks, curl and openssl exports: what each tool can express is there, what it
// cannot is said in a comment, the OAuth token is a variable reference (never its value), and every flag
// printed exists in the installed swaks and curl (their own offline help).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { curlScript } from '../../shared/export/curl';
import { opensslRecipe } from '../../shared/export/openssl';
import { sendSpecs } from '../../shared/export/send-spec';
import { swaksScript } from '../../shared/export/swaks';
import type { SessionRequest } from '../../shared/model';
import { sampleBodies, sampleRequest, stamp } from '../support/sample-session';
import { tempDirs } from '../support/temp-dirs';

const tempDir = tempDirs('mxdesk-protocol-exports-');

function helpText(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
  } catch {
    return undefined;
  }
}
const SWAKS_HELP = helpText('swaks', ['--help']);
const CURL_HELP = helpText('curl', ['--help', 'all']);

/** Every `--flag` word of a generated script (comments excluded). */
function flagsOf(script: string): string[] {
  const code = script
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');
  return [...new Set([...code.matchAll(/(?:^|\s)(--[a-z0-9][a-z0-9-]*)/g)].map((m) => m[1]))];
}

function exportsOf(req: SessionRequest) {
  const specs = sendSpecs(req, stamp('s', sampleBodies()));
  return { swaks: swaksScript(specs, 'message.eml'), curl: curlScript(specs, 'message.eml'), openssl: opensslRecipe(specs, 'message.eml', 'Subject: x\r\n\r\nhi\r\n') };
}

const TOKEN = 'ya29.export-canary_Tok';

describe('protocol options in the command-line exports', () => {
  test('LMTP: swaks --protocol LMTP, openssl LHLO with -starttls lmtp, curl says it cannot', () => {
    const e = exportsOf(sampleRequest({ auth: undefined, protocol: { lmtp: true } }));
    assert.match(e.swaks, /--protocol LMTP/);
    assert.match(e.openssl, /-starttls lmtp/);
    assert.match(e.openssl, /^LHLO client\.example\.test$/m);
    assert.doesNotMatch(e.openssl, /^EHLO/m);
    assert.match(e.curl, /^# curl cannot speak LMTP/m);
  });

  test('DSN and REQUIRETLS: typed on MAIL/RCPT in the openssl recipe; swaks and curl say they have no such options', () => {
    const e = exportsOf(sampleRequest({ auth: undefined, protocol: { dsn: { notify: ['SUCCESS', 'DELAY'], ret: 'HDRS', envid: 'env 1', orcpt: true }, requireTls: true } }));
    assert.match(e.openssl, /^MAIL FROM:<alice@example\.test> RET=HDRS ENVID=env\+201 REQUIRETLS$/m);
    assert.match(e.openssl, /^RCPT TO:<bob@example\.test> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;bob@example\.test$/m);
    assert.match(e.swaks, /^# swaks has no DSN options/m);
    assert.match(e.swaks, /^# swaks has no REQUIRETLS/m);
    assert.match(e.curl, /^# curl has no DSN options/m);
    assert.match(e.curl, /^# curl has no REQUIRETLS/m);
  });

  test('XCLIENT: swaks --xclient-<name> per attribute; openssl types XCLIENT then EHLO again; curl cannot', () => {
    const e = exportsOf(sampleRequest({ auth: undefined, protocol: { xclient: [{ name: 'ADDR', value: '192.0.2.7' }, { name: 'HELO', value: "it's me" }] } }));
    assert.match(e.swaks, /--xclient-addr '192\.0\.2\.7'/);
    assert.match(e.swaks, /--xclient-helo 'it'\\''s me'/);
    assert.match(e.openssl, /^EHLO client\.example\.test\nXCLIENT ADDR=192\.0\.2\.7 HELO=it's\+20me\n# after the 220 to XCLIENT, greet again:\nEHLO client\.example\.test$/m);
    assert.match(e.curl, /^# curl has no XCLIENT/m);
  });

  for (const mechanism of ['XOAUTH2', 'OAUTHBEARER'] as const) {
    test(`${mechanism}: curl --oauth2-bearer "$MXDESK_OAUTH_TOKEN" --sasl-ir; swaks says it cannot; no token anywhere`, () => {
      const e = exportsOf(sampleRequest({ auth: { user: 'alice@example.test', mechanism, password: TOKEN } }));
      assert.match(e.curl, /--user 'alice@example\.test:'/);
      assert.match(e.curl, /--oauth2-bearer "\$MXDESK_OAUTH_TOKEN"/);
      assert.match(e.curl, /--sasl-ir/);
      assert.match(e.curl, new RegExp(`--login-options 'AUTH=${mechanism}'`));
      assert.match(e.curl, /^# The bearer token is read from \$MXDESK_OAUTH_TOKEN/m);
      assert.doesNotMatch(e.curl, /MXDESK_PASSWORD/);
      assert.match(e.swaks, /^# swaks has no XOAUTH2 or OAUTHBEARER/m);
      assert.doesNotMatch(e.swaks, /--auth/);
      assert.match(e.openssl, new RegExp(`^AUTH ${mechanism} <response>$`, 'm'));
      assert.match(e.openssl, /"\$MXDESK_OAUTH_TOKEN" \| base64 -w0/);
      for (const text of Object.values(e)) assert.ok(!text.includes(TOKEN));
    });
  }

  test('the exported curl command authenticates with XOAUTH2 against smtp-server, the token from the environment', { skip: !CURL_HELP && 'curl is not installed' }, async () => {
    const seen: { method: string; user?: string; token?: string }[] = [];
    const received: string[] = [];
    const server = new SMTPServer({
      authMethods: ['XOAUTH2'],
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(a, _s, cb) {
        seen.push({ method: a.method, user: a.username, token: a.accessToken });
        cb(null, { user: a.username });
      },
      onData(stream, _s, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks).toString('utf8'));
          cb();
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.server.address() as { port: number }).port;
      const req = sampleRequest({ target: { kind: 'host', host: '127.0.0.1', port }, tls: 'none', auth: { user: 'alice@example.test', mechanism: 'XOAUTH2' } });
      const script = curlScript(sendSpecs(req, stamp('s', sampleBodies())), 'message.eml');
      const dir = tempDir();
      writeFileSync(join(dir, 'message.eml'), 'Subject: from curl\r\n\r\nhi\r\n');
      await new Promise<void>((resolve, reject) =>
        execFile('sh', ['-c', script], { cwd: dir, env: { PATH: process.env.PATH, MXDESK_OAUTH_TOKEN: TOKEN }, timeout: 15_000 }, (e, _out, err) => (e ? reject(new Error(`${e.message}\n${err}`)) : resolve())),
      );
      assert.deepEqual(seen, [{ method: 'XOAUTH2', user: 'alice@example.test', token: TOKEN }]);
      assert.match(received[0] ?? '', /Subject: from curl/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  test('every flag printed exists in the installed swaks and curl', { skip: (!SWAKS_HELP || !CURL_HELP) && 'swaks or curl is not installed' }, () => {
    const e = exportsOf(
      sampleRequest({
        auth: { user: 'alice@example.test', mechanism: 'XOAUTH2' },
        protocol: { lmtp: true, requireTls: true, dsn: { notify: ['NEVER'] }, xclient: XCLIENT_ALL },
      }),
    );
    const swaksFlags = flagsOf(e.swaks);
    assert.ok(swaksFlags.includes('--xclient-destport'));
    for (const f of swaksFlags) assert.ok(new RegExp(`(^|[\\s,])${f}\\b`, 'm').test(SWAKS_HELP ?? ''), `swaks has no ${f}`);
    for (const f of flagsOf(e.curl)) assert.ok(new RegExp(`(^|[\\s,])${f}\\b`, 'm').test(CURL_HELP ?? ''), `curl has no ${f}`);
  });
});

const XCLIENT_ALL: NonNullable<NonNullable<SessionRequest['protocol']>['xclient']> = [
  { name: 'ADDR', value: '192.0.2.7' },
  { name: 'NAME', value: 'c.example.net' },
  { name: 'PORT', value: '4321' },
  { name: 'PROTO', value: 'ESMTP' },
  { name: 'HELO', value: 'c.example.net' },
  { name: 'LOGIN', value: 'bob' },
  { name: 'DESTADDR', value: '192.0.2.1' },
  { name: 'DESTPORT', value: '25' },
];
