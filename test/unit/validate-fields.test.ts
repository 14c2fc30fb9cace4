import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FieldResult } from '../../shared/validate/fields';
import { envelopeAddress, parseAddressList, validateAuthUser, validateHeaderName, validateHeaderValue, validateHeloName, validateHostPort, validateMailbox } from '../../shared/validate/fields';

function good<T>(r: FieldResult<T>): T {
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.value;
}

function bad<T>(r: FieldResult<T>, re?: RegExp): string {
  assert.equal(r.ok, false, `expected an error, got ${JSON.stringify(r)}`);
  if (r.ok) return '';
  if (re) assert.match(r.message, re);
  return r.message;
}

const CONTROLS: [string, string, RegExp][] = [
  ['CR', '\r', /line break \(CR\)/],
  ['LF', '\n', /line break \(LF\)/],
  ['NUL', '\0', /NUL/],
  ['ESC', '\x1b', /escape character/],
  ['BEL', '\x07', /U\+0007/],
  ['DEL', '\x7f', /DEL/],
];

describe('control characters are refused per field, naming the character and the field', () => {
  for (const [name, ch, re] of CONTROLS) {
    test(`rejects a Subject with ${name}`, () => {
      const m = bad(validateHeaderValue(`Hello${ch}Bcc: victim@x.test`, 'Subject'), re);
      assert.match(m, /^Subject contains .* at position 6/);
    });
    test(`rejects an address with ${name}`, () => {
      bad(validateMailbox(`a${ch}@x.test`, { label: 'MAIL FROM' }), re);
    });
    test(`rejects a HELO name with ${name}`, () => {
      bad(validateHeloName(`mail${ch}.example.test`), re);
    });
    test(`rejects a header name with ${name}`, () => {
      bad(validateHeaderName(`X-Test${ch}`), re);
    });
    test(`rejects an AUTH user with ${name}`, () => {
      bad(validateAuthUser(`alice${ch}`), re);
    });
    test(`rejects an address list with ${name}`, () => {
      bad(parseAddressList(`a@x.test,${ch} b@y.test`, 'To'), re);
    });
    test(`rejects a server host with ${name}`, () => {
      bad(validateHostPort(`mx${ch}.example.test:25`), re);
    });
  }

  test('allows a tab in a header value but not in a header name', () => {
    good(validateHeaderValue('a\tb', 'Subject'));
    bad(validateHeaderName('X-a\tb'));
  });
});

describe('envelope addresses', () => {
  test('accepts an ordinary address, also typed in brackets', () => {
    assert.equal(good(validateMailbox('a.b+tag@example.com')).address, 'a.b+tag@example.com');
    assert.equal(good(validateMailbox(' <a@example.com> ')).address, 'a@example.com');
  });

  test('rejects angle brackets, spaces and smuggled ESMTP parameters', () => {
    bad(validateMailbox('a@x.test> SIZE=1'), /'<' or '>'/);
    bad(validateMailbox('a@x.test SIZE=1'), /ESMTP parameters/);
    bad(validateMailbox('a@x.test NOTIFY=NEVER'), /ESMTP parameters/);
    bad(validateMailbox('a@x.test smtputf8'), /ESMTP parameters/);
    bad(validateMailbox('a b@x.test'), /spaces/);
    bad(validateMailbox('<a@x.test><b@y.test>'), /'<' or '>'/);
  });

  test('allows the null sender only where asked (MAIL FROM)', () => {
    assert.equal(good(validateMailbox('<>', { allowNull: true })).isNull, true);
    assert.equal(good(validateMailbox('', { allowNull: true })).isNull, true);
    bad(validateMailbox('<>'), /empty/);
    bad(validateMailbox(''), /empty/);
    assert.equal(envelopeAddress(good(validateMailbox('<>', { allowNull: true })), false), '');
  });

  test('enforces the RFC 5321 §4.5.3.1 sizes: local part 64, domain 255, path 256 octets', () => {
    good(validateMailbox(`${'a'.repeat(64)}@x.test`));
    bad(validateMailbox(`${'a'.repeat(65)}@x.test`), /64/);
    bad(validateMailbox(`${'é'.repeat(33)}@x.test`), /66 octets/);
    const label = 'b'.repeat(63);
    const domain254 = [label, label, label, 'c'.repeat(61)].join('.');
    bad(validateMailbox(`a@${domain254}`), /256/);
    const domain = [label, label, label, 'c'.repeat(57)].join('.');
    good(validateMailbox(`${'a'.repeat(2)}@${domain}`));
    bad(validateMailbox(`a@${[label, label, label, label, 'x'].join('.')}`), /255/);
  });

  test('rejects malformed local parts and domains', () => {
    for (const a of ['noat', '@x.test', 'a@', 'a..b@x.test', '.a@x.test', 'a.@x.test', 'a@x..test', 'a@x.test.', 'a@-x.test', 'a@x_y.test', 'a(b)@x.test', 'a@b@x.test', 'a@[300.1.1.1]', 'a@[::1]', 'a@[IPv6:zz::1]']) {
      bad(validateMailbox(a), undefined);
    }
  });

  test('accepts quoted local parts and address literals', () => {
    good(validateMailbox('"john.doe"@x.test'));
    good(validateMailbox('"a\\"b"@x.test'));
    good(validateMailbox('postmaster@[192.0.2.1]'));
    good(validateMailbox('postmaster@[IPv6:2001:db8::1]'));
  });

  test('flags a non-ASCII local part as needing SMTPUTF8 (information, not an error)', () => {
    const r = validateMailbox('jörg@example.com');
    assert.ok(r.ok);
    if (r.ok) {
      assert.equal(r.value.needsSmtpUtf8, true);
      assert.match(r.notes.join(' '), /SMTPUTF8/);
    }
  });

  test('offers the A-label of an IDN domain', () => {
    const m = good(validateMailbox('info@münchen.de'));
    assert.equal(m.domainAscii, 'xn--mnchen-3ya.de');
    assert.equal(m.needsSmtpUtf8, false);
    assert.equal(envelopeAddress(m, false), 'info@xn--mnchen-3ya.de');
    assert.equal(envelopeAddress(m, true), 'info@münchen.de');
  });
});

describe('address lists in headers', () => {
  test('parses display names, quoted names with commas, bare addresses, comments and groups', () => {
    const list = good(parseAddressList('Ann <a@x.test>, "Doe, John" <j@y.test>, b@z.test (Bob), Team: c@t.test, d@t.test;'));
    assert.deepEqual(
      list.map((e) => [e.name, e.address]),
      [
        ['Ann', 'a@x.test'],
        ['Doe, John', 'j@y.test'],
        [undefined, 'b@z.test'],
        [undefined, 'c@t.test'],
        [undefined, 'd@t.test'],
      ],
    );
  });

  test('an empty list and stray commas give no entries', () => {
    assert.deepEqual(good(parseAddressList('')), []);
    assert.deepEqual(good(parseAddressList(' , ,a@x.test,,')).map((e) => e.address), ['a@x.test']);
  });

  test('names the bad entry', () => {
    bad(parseAddressList('a@x.test, bad@', 'To'), /^To, address 2/);
    bad(parseAddressList('"open <a@x.test>', 'Cc'), /quote/);
    bad(parseAddressList('Name <a@x.test', 'To'), /not closed/);
    bad(parseAddressList('Just A Name', 'To'), /not an address/);
    bad(parseAddressList('Ann <>', 'To'), /no address/);
  });
});

describe('header names', () => {
  test('accepts printable ASCII without a colon', () => {
    assert.equal(good(validateHeaderName('X-Mailer')), 'X-Mailer');
    good(validateHeaderName('List-Unsubscribe-Post'));
  });

  test('rejects a colon, spaces, non-ASCII and empty names', () => {
    bad(validateHeaderName('X-A: b'), /':'/);
    bad(validateHeaderName('X A'), /spaces/);
    bad(validateHeaderName('X-Grüße'), /printable ASCII/);
    bad(validateHeaderName(''), /empty/);
  });

  test('rejects managed headers unless allowed, and Bcc always', () => {
    bad(validateHeaderName('Subject'), /own field/);
    bad(validateHeaderName('content-type'), /own field/);
    good(validateHeaderName('Date', { allowManaged: true }));
    bad(validateHeaderName('BCC', { allowManaged: true }), /envelope only/);
  });
});

describe('HELO names', () => {
  test('accepts an FQDN and address literals', () => {
    good(validateHeloName('mail.example.test'));
    good(validateHeloName('[192.0.2.1]'));
    good(validateHeloName('[IPv6:2001:db8::1]'));
    assert.equal(good(validateHeloName('mail.münchen.de')), 'mail.xn--mnchen-3ya.de');
  });

  test('rejects a single label, a bare IP, spaces and bad literals', () => {
    bad(validateHeloName('localhost'), /fully qualified/);
    bad(validateHeloName('192.0.2.1'), /\[192\.0\.2\.1\]/);
    bad(validateHeloName('2001:db8::1'), /\[IPv6:2001:db8::1\]/);
    bad(validateHeloName('mail example'), /spaces/);
    bad(validateHeloName('[192.0.2.300]'));
    bad(validateHeloName(''), /empty/);
  });
});

describe('host and port', () => {
  test('reads the forms people type', () => {
    assert.deepEqual(good(validateHostPort('mx.example.test')), { host: 'mx.example.test' });
    assert.deepEqual(good(validateHostPort('MX.Example.test:2525')), { host: 'mx.example.test', port: 2525 });
    assert.deepEqual(good(validateHostPort('127.0.0.1:25')), { host: '127.0.0.1', family: 4, port: 25 });
    assert.deepEqual(good(validateHostPort('[::1]:587')), { host: '::1', family: 6, port: 587 });
    assert.deepEqual(good(validateHostPort('2001:db8::1')), { host: '2001:db8::1', family: 6 });
  });

  test('rejects bad ports and addresses', () => {
    for (const t of ['x.test:0', 'x.test:65536', 'x.test:', 'x.test:2a', '999.1.1.1', '[x]:25', ':::1:', '', 'a b.test']) bad(validateHostPort(t));
  });
});
