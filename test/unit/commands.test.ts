import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Result } from '../../shared/result';
import { base64FromBytes, base64FromUtf8, base64ToBytes, isBase64 } from '../../shared/smtp/base64';
import type { WireCommand } from '../../shared/smtp/commands';
import * as cmd from '../../shared/smtp/commands';
import { escapeForDisplay } from '../../shared/smtp/commands';

function wire(r: Result<WireCommand>): WireCommand {
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value;
}

function refused(r: Result<WireCommand>, code = 'unsafe_argument'): string {
  assert.equal(r.ok, false, 'expected the builder to refuse');
  if (r.ok) return '';
  assert.equal(r.error.code, code);
  return r.error.message;
}

describe('command builders', () => {
  test('build the exact wire form, ending in CRLF', () => {
    assert.equal(wire(cmd.ehlo('client.example.test')).wire, 'EHLO client.example.test\r\n');
    assert.equal(wire(cmd.helo('[192.0.2.1]')).wire, 'HELO [192.0.2.1]\r\n');
    assert.equal(wire(cmd.mailFrom('a@x.test')).wire, 'MAIL FROM:<a@x.test>\r\n');
    assert.equal(wire(cmd.mailFrom('')).wire, 'MAIL FROM:<>\r\n');
    assert.equal(wire(cmd.mailFrom('a@x.test', ['SIZE=1234', 'BODY=8BITMIME', 'SMTPUTF8'])).wire, 'MAIL FROM:<a@x.test> SIZE=1234 BODY=8BITMIME SMTPUTF8\r\n');
    assert.equal(wire(cmd.rcptTo('b@y.test')).wire, 'RCPT TO:<b@y.test>\r\n');
    assert.equal(wire(cmd.rcptTo('b@y.test', ['NOTIFY=SUCCESS,FAILURE'])).wire, 'RCPT TO:<b@y.test> NOTIFY=SUCCESS,FAILURE\r\n');
    assert.equal(wire(cmd.data()).wire, 'DATA\r\n');
    assert.equal(wire(cmd.bdat(0, true)).wire, 'BDAT 0 LAST\r\n');
    assert.equal(wire(cmd.bdat(65536, false)).wire, 'BDAT 65536\r\n');
    assert.equal(wire(cmd.quit()).wire, 'QUIT\r\n');
    assert.equal(wire(cmd.rset()).wire, 'RSET\r\n');
    assert.equal(wire(cmd.noop()).wire, 'NOOP\r\n');
    assert.equal(wire(cmd.starttls()).wire, 'STARTTLS\r\n');
    assert.equal(wire(cmd.vrfy('postmaster')).wire, 'VRFY postmaster\r\n');
    assert.equal(wire(cmd.expn('staff')).wire, 'EXPN staff\r\n');
    assert.equal(wire(cmd.help()).wire, 'HELP\r\n');
    assert.equal(wire(cmd.help('MAIL')).wire, 'HELP MAIL\r\n');
    assert.equal(wire(cmd.authLoginStart()).wire, 'AUTH LOGIN\r\n');
    assert.equal(wire(cmd.rawLine('XCLIENT NAME=x')).wire, 'XCLIENT NAME=x\r\n');
  });

  test('name the verb of each command', () => {
    assert.equal(wire(cmd.mailFrom('a@x.test')).verb, 'MAIL');
    assert.equal(wire(cmd.rcptTo('a@x.test')).verb, 'RCPT');
    assert.equal(wire(cmd.rawLine('  vrfy bob')).verb, 'VRFY');
    assert.equal(wire(cmd.authPlain('u', 'p')).verb, 'AUTH');
    assert.equal(wire(cmd.authSecret('dXNlcg==', 'user')).verb, 'AUTH');
  });

  test('show the display form escaped and without CRLF', () => {
    assert.equal(wire(cmd.mailFrom('a@x.test', ['SIZE=10'])).display, 'MAIL FROM:<a@x.test> SIZE=10');
    assert.equal(wire(cmd.rawLine('NOOP \x1b[2J\u202e')).display, 'NOOP \\x1b[2J\\u202e');
  });
});

describe('command builders refuse CR, LF and NUL in every argument', () => {
  const evil = ['a\r\nRCPT TO:<victim@x.test>', 'a\rb', 'a\nb', 'a\0b', '\r\n', 'x\n.\n'];
  const builders: [string, (v: string) => Result<WireCommand>][] = [
    ['EHLO', (v) => cmd.ehlo(v)],
    ['HELO', (v) => cmd.helo(v)],
    ['MAIL FROM path', (v) => cmd.mailFrom(v)],
    ['MAIL FROM parameter', (v) => cmd.mailFrom('a@x.test', [v])],
    ['RCPT TO path', (v) => cmd.rcptTo(v)],
    ['RCPT TO parameter', (v) => cmd.rcptTo('a@x.test', ['NOTIFY=NEVER', v])],
    ['VRFY', (v) => cmd.vrfy(v)],
    ['EXPN', (v) => cmd.expn(v)],
    ['HELP', (v) => cmd.help(v)],
    ['AUTH PLAIN user', (v) => cmd.authPlain(v, 'pw')],
    ['AUTH PLAIN password', (v) => cmd.authPlain('user', v)],
    ['AUTH PLAIN authzid', (v) => cmd.authPlain('user', 'pw', v)],
    ['AUTH secret', (v) => cmd.authSecret(v, 'password')],
    ['AUTH LOGIN response', (v) => cmd.authLoginResponse(v, 'password')],
    ['raw line', (v) => cmd.rawLine(v)],
    ['raw secret line', (v) => cmd.rawLine(v, { secret: true })],
  ];
  for (const [name, build] of builders) {
    test(`rejects CR/LF/NUL in the ${name} argument`, () => {
      for (const v of evil) {
        const r = build(v);
        assert.equal(r.ok, false, `${name} accepted ${JSON.stringify(v)}`);
        if (!r.ok) assert.equal(r.error.code, 'unsafe_argument');
      }
    });
  }

  test('the refusal names the character but never quotes a secret', () => {
    const m = refused(cmd.authPlain('user', 'hunter2\r\nQUIT'));
    assert.match(m, /password contains a carriage return/);
    assert.doesNotMatch(m, /hunter2/);
  });
});

describe('command builders refuse smuggled paths and bad parameters', () => {
  test('rejects angle brackets or spaces in a path', () => {
    for (const p of ['a@x.test> SIZE=1', '<a@x.test>', 'a@x.test SIZE=1', 'a b@x.test', 'a@x.test\tX']) {
      refused(cmd.mailFrom(p), 'invalid_argument');
      refused(cmd.rcptTo(p), 'invalid_argument');
    }
  });

  test('rejects the null path for RCPT TO', () => {
    assert.match(refused(cmd.rcptTo(''), 'invalid_argument'), /null path/);
  });

  test('rejects parameters that are not esmtp-keyword[=value]', () => {
    for (const p of ['', 'SIZE=', '=1', 'SIZE=1 BODY=8BITMIME', '-X', 'A=b=c', 'X=a b']) {
      refused(cmd.mailFrom('a@x.test', [p]), 'invalid_argument');
    }
  });

  test('rejects an empty or multi-word EHLO name, a bad BDAT size, an empty VRFY', () => {
    refused(cmd.ehlo(''), 'invalid_argument');
    refused(cmd.ehlo('a b'), 'invalid_argument');
    refused(cmd.bdat(-1, true), 'invalid_argument');
    refused(cmd.bdat(1.5, true), 'invalid_argument');
    refused(cmd.vrfy(' '), 'invalid_argument');
    refused(cmd.authSecret('not base64!', 'user'), 'invalid_argument');
  });
});

describe('AUTH commands are redacted where they are built', () => {
  const secret = 'S3cr3t-canary-ü';
  test('AUTH PLAIN shows only the mechanism', () => {
    const c = wire(cmd.authPlain('alice', secret));
    assert.equal(c.display, 'AUTH PLAIN ‹redacted›');
    assert.equal(c.wire, `AUTH PLAIN ${base64FromUtf8(`\0alice\0${secret}`)}\r\n`);
    const decoded = new TextDecoder().decode(base64ToBytes(c.wire.slice(11, -2)));
    assert.equal(decoded, `\0alice\0${secret}`);
  });

  test('SASL continuation lines are redacted whatever they carry', () => {
    for (const what of ['user', 'password', 'cram-md5'] as const) {
      const c = wire(cmd.authSecret(base64FromUtf8(secret), what));
      assert.equal(c.display, '‹redacted›');
      assert.ok(!c.display.includes(base64FromUtf8(secret)));
    }
    assert.equal(wire(cmd.authLoginResponse(secret, 'password')).wire, `${base64FromUtf8(secret)}\r\n`);
    assert.equal(wire(cmd.authSecret('*', 'password')).wire, '*\r\n');
  });

  test('a raw AUTH line typed by hand keeps its mechanism and hides its response', () => {
    const c = wire(cmd.rawLine(`auth plain ${base64FromUtf8(`\0u\0${secret}`)}`));
    assert.equal(c.display, 'auth plain ‹redacted›');
    assert.equal(wire(cmd.rawLine('AUTH LOGIN')).display, 'AUTH LOGIN');
    assert.equal(wire(cmd.rawLine(base64FromUtf8(secret), { secret: true })).display, '‹redacted›');
  });

  test('no display form ever contains the secret in any encoding', () => {
    const forms = [secret, base64FromUtf8(secret), base64FromUtf8(`\0alice\0${secret}`), encodeURIComponent(secret)];
    const displays = [cmd.authPlain('alice', secret), cmd.authLoginResponse(secret, 'password'), cmd.rawLine(`AUTH PLAIN ${base64FromUtf8(`\0alice\0${secret}`)}`)].map((r) => wire(r).display);
    for (const d of displays) for (const f of forms) assert.ok(!d.includes(f), `${d} contains ${f}`);
  });
});

describe('base64 without node:Buffer', () => {
  test('matches Buffer on random bytes and round-trips', () => {
    for (let n = 0; n < 300; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 7919 + n) & 255);
      const s = base64FromBytes(b);
      assert.equal(s, Buffer.from(b).toString('base64'));
      assert.ok(isBase64(s));
      assert.deepEqual(base64ToBytes(s), b);
    }
  });

  test('the strict decoder refuses non-canonical input', () => {
    for (const s of ['abc', 'ab=c', 'a===', '@@@@', 'YQ==YQ==', 'YQ= ']) {
      assert.equal(base64ToBytes(s), undefined, s);
      assert.equal(isBase64(s), false, s);
    }
  });
});

describe('escapeForDisplay', () => {
  test('escapes C0 controls, DEL, C1 controls and bidi controls', () => {
    assert.equal(escapeForDisplay('a\x1b[31mb'), 'a\\x1b[31mb');
    assert.equal(escapeForDisplay('\r\n\t\0\x7f'), '\\r\\n\\t\\x00\\x7f');
    assert.equal(escapeForDisplay('\u0085\u009b'), '\\u0085\\u009b');
    assert.equal(escapeForDisplay('\u202aa\u202b\u202c\u202d\u202e'), '\\u202aa\\u202b\\u202c\\u202d\\u202e');
    assert.equal(escapeForDisplay('\u2066\u2067\u2068\u2069\u200e\u200f\u061c'), '\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c');
    assert.equal(escapeForDisplay('\u2028\ufeff\u200b'), '\\u2028\\ufeff\\u200b');
    assert.equal(escapeForDisplay('\ud800x'), '\\ud800x');
  });

  test('keeps ordinary Unicode text as it is', () => {
    const text = 'Grüße 世界 😀 عربى <img onerror=alert(1)> \\ "quotes"';
    assert.equal(escapeForDisplay(text), text);
  });

  test('is idempotent', () => {
    const once = escapeForDisplay('x\x1b\u202e\r\n');
    assert.equal(escapeForDisplay(once), once);
  });
});
