import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readArcChain } from '../../shared/analyse/arc';
import { parseAuthResults } from '../../shared/analyse/auth-results';
import { readHeaderBlock } from '../../shared/analyse/header-block';

test('reads an RFC 8601 Authentication-Results header into methods, results and properties', () => {
  const h = parseAuthResults(
    'mx.google.com; dkim=pass header.i=@sender.example header.s=s1 header.b=abc; ' +
      'spf=pass (google.com: domain of alice@sender.example designates 192.0.2.1 as permitted sender) smtp.mailfrom=alice@sender.example; ' +
      'dmarc=fail (p=REJECT sp=REJECT dis=NONE) header.from=sender.example',
  );
  assert.equal(h.authservId, 'mx.google.com');
  assert.deepEqual(h.results.map((r) => [r.method, r.result]), [['dkim', 'pass'], ['spf', 'pass'], ['dmarc', 'fail']]);
  assert.deepEqual(h.results[1].properties, [{ name: 'smtp.mailfrom', value: 'alice@sender.example' }]);
  assert.match(h.results[1].comment ?? '', /designates 192\.0\.2\.1/);
  assert.match(h.results[1].explanation, /^SPF passed for alice@sender\.example: the sending server's address is allowed/);
  assert.match(h.results[2].explanation, /^DMARC failed for From: sender\.example: neither SPF nor DKIM passed/);
});

test('a semicolon inside a comment or a quoted string does not split results (RFC 8601 §2.2)', () => {
  const h = parseAuthResults('mx.example; spf=fail (sender ip; not allowed) smtp.mailfrom=a@b.example; dkim=none reason="no; signature"');
  assert.equal(h.results.length, 2);
  assert.equal(h.results[1].reason, 'no; signature');
});

test('`authserv-id; none` means no checks were run; an empty header has no authserv-id', () => {
  assert.deepEqual(parseAuthResults('mx.example 1; none').results, []);
  assert.match(parseAuthResults('').problem ?? '', /no authserv-id/);
});

test('control and bidi characters in results are escaped', () => {
  const h = parseAuthResults('mx.example; spf=pass smtp.mailfrom=a@\u202eexample');
  assert.equal(h.results[0].properties[0].value, 'a@\\u202eexample');
});

function fields(text: string) {
  return readHeaderBlock(text).fields;
}

test('reads a complete two-instance ARC chain and explains it (RFC 8617)', () => {
  const chain = readArcChain(
    fields(
      [
        'ARC-Seal: i=2; a=rsa-sha256; t=1765100000; cv=pass; d=lists.example; s=arc; b=AAAA',
        'ARC-Message-Signature: i=2; a=rsa-sha256; c=relaxed/relaxed; d=lists.example; s=arc; h=from:to; bh=x; b=y',
        'ARC-Authentication-Results: i=2; lists.example; spf=fail smtp.mailfrom=sender.example; arc=pass',
        'ARC-Seal: i=1; a=rsa-sha256; t=1765099990; cv=none; d=sender.example; s=arc; b=BBBB',
        'ARC-Message-Signature: i=1; a=rsa-sha256; d=sender.example; s=arc; h=from; bh=x; b=y',
        'ARC-Authentication-Results: i=1; mx.sender.example; dkim=pass header.d=sender.example',
      ].join('\r\n'),
    ),
    150,
  );
  assert.equal(chain.claimed, 'pass');
  assert.deepEqual(chain.sets.map((s) => [s.instance, s.chainValidation, s.sealDomain]), [[1, 'none', 'sender.example'], [2, 'pass', 'lists.example']]);
  assert.equal(chain.sets[1].authResults?.results[0].method, 'spf');
  assert.match(chain.explanation, /^2 ARC sets \(sender\.example → lists\.example\)/);
});

test('an ARC chain with a missing instance or a wrong cv= is broken', () => {
  const chain = readArcChain(
    fields(
      [
        'ARC-Seal: i=2; cv=none; d=lists.example; s=arc; b=A',
        'ARC-Message-Signature: i=2; d=lists.example; s=arc; b=B',
        'ARC-Authentication-Results: i=2; lists.example; spf=pass',
      ].join('\n'),
    ),
    150,
  );
  assert.equal(chain.claimed, 'fail');
  assert.match(chain.sets[0].problems.join(' '), /Instance 1 is missing before 2/);
  assert.match(chain.sets[0].problems.join(' '), /cv=none; a valid chain has cv=pass/);
  assert.equal(readArcChain([], 150).claimed, 'none');
});
