import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_POLICY_BYTES, mxInPolicy, mxMatchesPattern, parseStsPolicy, parseStsRecord, parseTlsRptRecord } from '../../shared/mta-sts';

function refused(r: { ok: boolean; error?: { message: string } }, pattern: RegExp): void {
  assert.equal(r.ok, false);
  assert.match(r.error?.message ?? '', pattern);
}

describe('MTA-STS TXT record (RFC 8461 §3.1)', () => {
  test('v=STSv1 with an id parses', () => {
    const r = parseStsRecord(['v=spf1 -all', 'v=STSv1; id=20261207T1']);
    assert.ok(r.ok);
    assert.equal(r.value.id, '20261207T1');
  });
  test('absent, duplicated or without a valid id is refused', () => {
    refused(parseStsRecord(['v=spf1 -all']), /no TXT record/);
    refused(parseStsRecord(['v=STSv1; id=a', 'v=STSv1; id=b']), /more than one/);
    refused(parseStsRecord(['v=STSv1; id=bad-id!']), /id of 1 to 32/);
  });
});

describe('MTA-STS policy (RFC 8461 §3.2)', () => {
  const good = 'version: STSv1\r\nmode: enforce\r\nmx: mx1.example.org\r\nmx: *.example.net\r\nmax_age: 86400\r\n';
  test('enforce, testing and none parse', () => {
    const r = parseStsPolicy(good);
    assert.ok(r.ok);
    assert.deepEqual(r.value, { mode: 'enforce', mx: ['mx1.example.org', '*.example.net'], maxAge: 86400 });
    assert.ok(parseStsPolicy(good.replace('enforce', 'testing')).ok);
    assert.ok(parseStsPolicy('version: STSv1\nmode: none\nmax_age: 0\n').ok);
  });
  test('bad mode, missing version, too long max_age, missing mx are refused', () => {
    refused(parseStsPolicy(good.replace('enforce', 'strict')), /mode must be/);
    refused(parseStsPolicy(good.replace('version: STSv1\r\n', '')), /version: STSv1/);
    refused(parseStsPolicy(good.replace('86400', '31557601')), /max_age/);
    refused(parseStsPolicy('version: STSv1\nmode: enforce\nmax_age: 60\n'), /at least one mx/);
  });
  test('CR/LF tricks and junk are refused', () => {
    refused(parseStsPolicy('version: STSv1\rmode: enforce\nmx: a.example\nmax_age: 60\n'), /bare CR/);
    refused(parseStsPolicy(good + 'mx: evil.example\x00.org\n'), /control characters/);
    refused(parseStsPolicy(good + '<html>oops</html>\n'), /not "key: value"/);
    refused(parseStsPolicy(good + 'mode: none\n'), /mode appears twice/);
    refused(parseStsPolicy(good + 'mx: evil example\n'), /not a host name/);
  });
  test('a policy over the size cap is refused', () => {
    refused(parseStsPolicy(good + `x: ${'a'.repeat(MAX_POLICY_BYTES)}\n`), /larger than/);
  });
});

describe('MTA-STS mx patterns (RFC 8461 §4.1)', () => {
  test('exact names match, case-insensitively, trailing dot ignored', () => {
    assert.equal(mxMatchesPattern('MX1.Example.org.', 'mx1.example.org'), true);
    assert.equal(mxMatchesPattern('mx2.example.org', 'mx1.example.org'), false);
  });
  test('a wildcard matches exactly one leftmost label', () => {
    assert.equal(mxMatchesPattern('a.example.net', '*.example.net'), true);
    assert.equal(mxMatchesPattern('a.b.example.net', '*.example.net'), false);
    assert.equal(mxMatchesPattern('example.net', '*.example.net'), false);
  });
  test('an MX not in the policy is reported as such', () => {
    const r = parseStsPolicy('version: STSv1\nmode: enforce\nmx: mx.example.org\nmax_age: 60\n');
    assert.ok(r.ok);
    assert.equal(mxInPolicy('mx.example.org', r.value), true);
    assert.equal(mxInPolicy('backup.example.org', r.value), false);
  });
});

describe('TLS-RPT record (RFC 8460 §3)', () => {
  test('mailto and https rua parse', () => {
    const r = parseTlsRptRecord(['v=TLSRPTv1; rua=mailto:tls@example.org,https://report.example.org/v1']);
    assert.ok(r.ok);
    assert.deepEqual(r.value.rua, ['mailto:tls@example.org', 'https://report.example.org/v1']);
  });
  test('absent, missing rua or other schemes are refused', () => {
    refused(parseTlsRptRecord([]), /no TXT record/);
    refused(parseTlsRptRecord(['v=TLSRPTv1;']), /no rua/);
    refused(parseTlsRptRecord(['v=TLSRPTv1; rua=http://x.example/']), /neither mailto/);
  });
});
