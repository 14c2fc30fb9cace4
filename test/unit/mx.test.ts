import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MxHostView } from '../../shared/model';
import { addressFlags, groupByPreference, isIpLiteral, parseDomainQuery, parseResolverSpec, sortMx, unicodeHostName, verdictSummary } from '../../shared/mx';
import { parseMxLookupRequest, validateMxLookupFields } from '../../shared/validate/mx-request';

function domainOf(input: string): { ascii: string; unicode: string; localPart?: string } {
  const r = parseDomainQuery(input);
  assert.ok(r.ok, `expected ${JSON.stringify(input)} to parse, got ${r.ok ? '' : r.error.message}`);
  return r.value;
}

function refusal(input: unknown): string {
  const r = parseDomainQuery(input);
  assert.ok(!r.ok, `expected ${JSON.stringify(input)} to be refused`);
  assert.equal(r.error.field, 'query');
  assert.equal(r.error.code, 'invalid_input');
  return r.error.message;
}

describe('parseDomainQuery', () => {
  test('a plain domain is lower-cased and loses its trailing root dot', () => {
    assert.deepEqual(domainOf('  Example.COM. '), { ascii: 'example.com', unicode: 'example.com' });
  });

  test('an e-mail address is looked up by the part after its last @', () => {
    assert.deepEqual(domainOf('Alice@Example.test'), { ascii: 'example.test', unicode: 'example.test', localPart: 'Alice' });
    assert.equal(domainOf('"odd@local"@example.test').ascii, 'example.test');
    assert.equal(domainOf('Alice Liddell <alice@example.test>').ascii, 'example.test');
  });

  test('an IDN is looked up by its A-label and shown both ways', () => {
    assert.deepEqual(domainOf('bücher.test'), { ascii: 'xn--bcher-kva.test', unicode: 'bücher.test' });
    assert.deepEqual(domainOf('XN--BCHER-KVA.test'), { ascii: 'xn--bcher-kva.test', unicode: 'bücher.test' });
    assert.deepEqual(domainOf('user@BÜCHER.test'), { ascii: 'xn--bcher-kva.test', unicode: 'bücher.test', localPart: 'user' });
    assert.equal(domainOf('例え。テスト').ascii, 'xn--r8jz45g.xn--zckzah', 'ideographic full stop separates labels');
  });

  test('CR or LF anywhere is refused with a plain message', () => {
    assert.match(refusal('example.test\r\nRCPT TO:<x@y>'), /line break/);
    assert.match(refusal('example.test\n'), /line break/);
    assert.match(refusal('exa\rmple.test'), /line break/);
  });

  test('other control characters, spaces and non-LDH characters are refused', () => {
    assert.match(refusal('exa\u0000mple.test'), /control character/);
    assert.match(refusal('exa mple.test'), /spaces/);
    assert.match(refusal('ex_ample.test'), /letters, digits and hyphens/);
    assert.match(refusal('-example.test'), /hyphen/);
    assert.match(refusal('example-.test'), /hyphen/);
  });

  test('empty input and empty labels are refused', () => {
    assert.match(refusal(''), /Type a domain/);
    assert.match(refusal('   '), /Type a domain/);
    assert.match(refusal(42), /Type a domain/);
    assert.match(refusal('a..test'), /empty label/);
    assert.match(refusal('.example.test'), /empty label/);
    assert.match(refusal('example.test..'), /empty label/);
    assert.match(refusal('.'), /not just a dot/);
    assert.match(refusal('user@'), /nothing after the @/);
    assert.match(refusal('@example.test'), /nothing before the @/);
  });

  test('a label longer than 63 octets and a name longer than 253 are refused (RFC 1035 §2.3.4)', () => {
    const l63 = 'a'.repeat(63);
    assert.equal(domainOf(`${l63}.test`).ascii, `${l63}.test`);
    assert.match(refusal(`${'a'.repeat(64)}.test`), /64 characters long; DNS allows at most 63/);
    const name253 = [l63, l63, l63, 'a'.repeat(61)].join('.');
    assert.equal(name253.length, 253);
    assert.equal(domainOf(name253).ascii, name253);
    assert.match(refusal(`${name253}a`), /254 characters long; DNS allows at most 253/);
    // The A-label is what counts: a short Unicode label can become a long A-label.
    assert.match(refusal(`${'ü'.repeat(60)}.test`), /DNS allows at most 63/);
  });

  test('IP addresses and address literals are refused: there is no MX to look up', () => {
    assert.match(refusal('192.0.2.1'), /IP address/);
    assert.match(refusal('user@[192.0.2.1]'), /IP literal/);
    assert.match(refusal('2001:db8::1'), /IP address/);
  });

  test('malformed punycode, and punycode that decodes to nothing printable, is refused', () => {
    assert.match(refusal('xn--zz.test'), /not valid punycode/);
    assert.match(refusal('xn--bcher-kva9.test'), /not valid punycode/);
    assert.match(refusal('xn--abc.test'), /not valid punycode/, 'decodes to a C1 control character');
  });

  test('invisible and direction-changing characters are refused', () => {
    assert.match(refusal('exa\u202emple.test'), /direction-changing/);
    assert.match(refusal('exa\u200bmple.test'), /invisible/);
  });
});

describe('unicodeHostName', () => {
  test('valid A-labels from DNS are shown as U-labels; anything else stays as it came', () => {
    assert.equal(unicodeHostName('mx.xn--bcher-kva.test'), 'mx.bücher.test');
    assert.equal(unicodeHostName('mx.xn--zz.test'), 'mx.xn--zz.test');
    assert.equal(unicodeHostName('xn--abc.test'), 'xn--abc.test');
    // A bidi override hidden in punycode must not reach the screen decoded.
    assert.equal(unicodeHostName('xn--exmple-cm0c.test'), 'xn--exmple-cm0c.test');
  });
});

describe('parseResolverSpec', () => {
  test('host alone gets port 53; host:port, [v6]:port and bare v6 are accepted', () => {
    const cases: [string, string, number][] = [
      ['127.0.0.1', '127.0.0.1:53', 53],
      [' 127.0.0.1:5353 ', '127.0.0.1:5353', 5353],
      ['[::1]:5353', '[::1]:5353', 5353],
      ['[::1]', '[::1]:53', 53],
      ['2001:DB8::53', '[2001:db8::53]:53', 53],
    ];
    for (const [input, server, port] of cases) {
      const r = parseResolverSpec(input);
      assert.ok(r.ok, input);
      assert.equal(r.value.server, server);
      assert.equal(r.value.port, port);
    }
  });

  test('names, bad ports, empty input and CR/LF are refused on the resolver field', () => {
    for (const input of ['dns.example', '127.0.0.1:0', '127.0.0.1:65536', '127.0.0.1:x', ':53', '', '127.0.0.1\r\n', '[::1]:', '1.2.3']) {
      const r = parseResolverSpec(input);
      assert.ok(!r.ok, input);
      assert.equal(r.error.field, 'resolver');
    }
  });
});

describe('sortMx and groupByPreference', () => {
  const records = [
    { exchange: 'c', preference: 20 },
    { exchange: 'a', preference: 10 },
    { exchange: 'd', preference: 20 },
    { exchange: 'b', preference: 5 },
    { exchange: 'e', preference: 20 },
  ];

  test('hosts come out sorted by preference, lowest first', () => {
    const sorted = sortMx(records, Math.random);
    assert.deepEqual(
      sorted.map((r) => r.preference),
      [5, 10, 20, 20, 20],
    );
    assert.deepEqual(sorted.slice(0, 2).map((r) => r.exchange), ['b', 'a']);
  });

  test('ties are shuffled by the injected random, and the same sequence gives the same order', () => {
    const seq = (values: number[]) => {
      let i = 0;
      return () => values[i++ % values.length];
    };
    const tie = (random: () => number) => sortMx(records, random).slice(2).map((r) => r.exchange).join('');
    assert.equal(tie(() => 0.999), 'cde', 'a random of ~1 keeps server order');
    assert.equal(tie(() => 0), 'dec', 'a random of 0 rotates the group');
    assert.equal(tie(seq([0.4, 0.9])), tie(seq([0.4, 0.9])));
    const seen = new Set<string>();
    for (const a of [0, 0.34, 0.67, 0.99]) for (const b of [0, 0.99]) seen.add(tie(seq([a, b])));
    assert.equal(seen.size, 6, 'every order of three tied hosts is reachable');
  });

  test('sorting does not touch the caller’s array, and a random of exactly 1 stays in range', () => {
    const copy = JSON.stringify(records);
    const out = sortMx(records, () => 1);
    assert.equal(JSON.stringify(records), copy);
    assert.equal(out.length, 5);
    assert.ok(out.every(Boolean));
  });

  test('groupByPreference gathers consecutive equal preferences', () => {
    const groups = groupByPreference(sortMx(records, () => 0.5));
    assert.deepEqual(
      groups.map((g) => [g.preference, g.hosts.length]),
      [
        [5, 1],
        [10, 1],
        [20, 3],
      ],
    );
  });
});

describe('addressFlags and isIpLiteral', () => {
  const cases: [string, string[]][] = [
    ['8.8.8.8', []],
    ['127.0.0.1', ['loopback']],
    ['127.8.9.10', ['loopback']],
    ['10.1.2.3', ['private']],
    ['172.16.0.1', ['private']],
    ['172.32.0.1', []],
    ['192.168.1.1', ['private']],
    ['169.254.3.4', ['link-local']],
    ['0.0.0.0', ['unspecified']],
    ['192.0.2.1', ['documentation']],
    ['198.51.100.7', ['documentation']],
    ['203.0.113.9', ['documentation']],
    ['100.64.0.1', ['shared']],
    ['100.127.255.255', ['shared']],
    ['100.128.0.1', []],
    ['224.0.0.251', ['multicast']],
    ['2a00:1450::1', []],
    ['::1', ['loopback']],
    ['::', ['unspecified']],
    ['fc00::1', ['private']],
    ['fd12:3456::1', ['private']],
    ['fe80::1%eth0', ['link-local']],
    ['febf::1', ['link-local']],
    ['fec0::1', []],
    ['2001:db8::25', ['documentation']],
    ['ff02::1', ['multicast']],
    ['::ffff:127.0.0.1', ['loopback']],
    ['::ffff:10.0.0.1', ['private']],
    ['::ffff:7f00:1', ['loopback']],
    ['::ffff:8.8.8.8', []],
  ];
  for (const [address, flags] of cases) {
    test(`${address} is flagged ${flags.length ? flags.join(', ') : 'as public'}`, () => {
      assert.deepEqual(addressFlags(address), flags);
    });
  }

  test('IP literals are recognised bare and bracketed; host names and near misses are not', () => {
    for (const s of ['192.0.2.1', '192.0.2.1.', '[192.0.2.1]', '::1', '[IPv6:2001:db8::1]', '::ffff:1.2.3.4']) assert.ok(isIpLiteral(s), s);
    for (const s of ['mx.example.test', '1.2.3', '256.1.1.1', '01.2.3.4', '1:2', 'a::b::c', '1:2:3:4:5:6:7:8:9', '']) assert.ok(!isIpLiteral(s), s);
  });
});

describe('verdictSummary', () => {
  const host = (exchange: string, preference: number, withAddress = true): MxHostView => ({
    exchange,
    exchangeUnicode: exchange,
    preference,
    implicit: false,
    addresses: withAddress ? [{ family: 4, address: '192.0.2.1', flags: [] }] : [],
    queries: [],
    warnings: withAddress ? [] : ['no_address'],
  });
  const base = { domain: 'xn--bcher-kva.test', domainUnicode: 'bücher.test' };

  test('each verdict reads as a plain sentence and names the domain both ways', () => {
    assert.equal(
      verdictSummary({ ...base, verdict: 'mx', hosts: [host('a.test', 10), host('b.test', 20)] }),
      'bücher.test (xn--bcher-kva.test) has 2 MX hosts; mail goes first to a.test (preference 10).',
    );
    assert.match(verdictSummary({ ...base, verdict: 'implicit_mx', hosts: [] }), /no MX records, so mail goes to the domain's own address \(implicit MX, RFC 5321 §5\.1\)/);
    assert.match(verdictSummary({ ...base, verdict: 'null_mx', hosts: [] }), /accepts no mail.*RFC 7505/);
    assert.match(verdictSummary({ ...base, verdict: 'nxdomain', hosts: [] }), /does not exist \(NXDOMAIN\)\. This is permanent/);
    assert.match(verdictSummary({ ...base, verdict: 'dns_failure', hosts: [], failure: 'timeout' }), /did not answer in time\. This is usually temporary: try again/);
    assert.match(verdictSummary({ ...base, verdict: 'dns_failure', hosts: [], failure: 'servfail' }), /SERVFAIL.*try again/);
    assert.match(verdictSummary({ ...base, verdict: 'no_mail_host', hosts: [] }), /no MX records and no address/);
    assert.match(verdictSummary({ ...base, verdict: 'cancelled', hosts: [] }), /cancelled/);
  });

  test('a tie at the best preference is named as a random pick; hosts without address are counted', () => {
    assert.match(verdictSummary({ ...base, verdict: 'mx', hosts: [host('a.test', 10), host('b.test', 10)] }), /one of a\.test, b\.test \(preference 10, picked at random\)/);
    assert.match(verdictSummary({ ...base, verdict: 'mx', hosts: [host('a.test', 10, false), host('b.test', 20)] }), /first to b\.test.*1 of them has a warning/);
    assert.match(verdictSummary({ ...base, verdict: 'mx', hosts: [host('a.test', 10, false)] }), /it has no usable address/);
  });
});

describe('MxLookupRequest validation', () => {
  test('a valid request is normalised and unknown keys are dropped', () => {
    const r = parseMxLookupRequest({ query: ' example.test ', resolver: ' 127.0.0.1:5353 ', lookupId: 'L1', timeoutMs: 500, extra: 1 });
    assert.deepEqual(r, { ok: true, value: { query: 'example.test', resolver: '127.0.0.1:5353', lookupId: 'L1', timeoutMs: 500 } });
    assert.deepEqual(parseMxLookupRequest({ query: 'example.test', resolver: '' }), { ok: true, value: { query: 'example.test' } });
  });

  test('every bad field is reported under its own name', () => {
    const errors = validateMxLookupFields({ query: 'a\r\nb', resolver: 'dns.example', lookupId: '', timeoutMs: 5 });
    assert.deepEqual(Object.keys(errors).sort(), ['lookupId', 'query', 'resolver', 'timeoutMs']);
    assert.match(errors.query ?? '', /line break/);
  });

  test('the first failing field is named in the Result', () => {
    const r = parseMxLookupRequest({ query: 'example.test', resolver: '127.0.0.1:99999' });
    assert.ok(!r.ok);
    assert.equal(r.error.field, 'resolver');
    assert.ok(!parseMxLookupRequest(null).ok);
    assert.ok(!parseMxLookupRequest(['example.test']).ok);
    const t = parseMxLookupRequest({ query: 'example.test', timeoutMs: 1.5 });
    assert.ok(!t.ok && t.error.field === 'timeoutMs');
  });
});
