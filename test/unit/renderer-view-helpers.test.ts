// Pure view helpers of the renderer (no DOM): escaping of server text, MX tie grouping, verdict wording.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MxHostView } from '../../shared/model';
import { escapeText, splitEscapes } from '../../renderer/components/escape-segments';
import { groupByPreference, verdictView, warningView } from '../../renderer/mx/view-model';

function host(exchange: string, preference: number, extra: Partial<MxHostView> = {}): MxHostView {
  return { exchange, exchangeUnicode: exchange, preference, implicit: false, addresses: [], queries: [], warnings: [], ...extra };
}

describe('escaped text', () => {
  test('shows ANSI escapes, bidi overrides and C1 controls as visible tokens', () => {
    assert.equal(escapeText('a\u001b[31mred\u202eb\u0085c\u2066d'), 'a\\x1b[31mred\\u202eb\\x85c\\u2066d');
  });

  test('names CR, LF and TAB the way sysadmins write them', () => {
    assert.equal(escapeText('x\r\ny\tz'), 'x\\r\\ny\\tz');
  });

  test('leaves ordinary text, including non-ASCII letters and emoji, untouched', () => {
    assert.deepEqual(splitEscapes('bücher.test 📫'), [{ text: 'bücher.test 📫', escaped: false }]);
  });

  test('marks each escaped character as its own segment with its code point', () => {
    assert.deepEqual(splitEscapes('a\u202e'), [
      { text: 'a', escaped: false },
      { text: '\\u202e', escaped: true, codePoint: 'U+202E' },
    ]);
  });
});

describe('MX view helpers', () => {
  test('groups hosts of equal preference and marks the group as a tie, keeping the engine order', () => {
    const groups = groupByPreference([host('a', 5), host('c', 20), host('b', 20), host('d', 30)]);
    assert.deepEqual(
      groups.map((g) => [g.preference, g.tie, g.hosts.map((h) => h.exchange)]),
      [
        [5, false, ['a']],
        [20, true, ['c', 'b']],
        [30, false, ['d']],
      ],
    );
  });

  test('an MX set whose hosts all lack an address is not called deliverable', () => {
    const v = verdictView({ verdict: 'mx', hosts: [host('ghost', 10, { warnings: ['no_address'] })] });
    assert.equal(v.tone, 'error');
    assert.match(v.headline, /No reachable mail host/);
  });

  test('null MX, NXDOMAIN and a failed lookup read as plain sentences', () => {
    assert.equal(verdictView({ verdict: 'null_mx', hosts: [] }).headline, 'This domain accepts no mail');
    assert.equal(verdictView({ verdict: 'nxdomain', hosts: [] }).headline, 'Domain does not exist');
    assert.equal(verdictView({ verdict: 'dns_failure', hosts: [] }).headline, 'Lookup failed, try again');
  });

  test('a private-address warning says loopback when the host resolves to loopback', () => {
    const loop = host('mx', 10, { addresses: [{ family: 4, address: '127.0.0.1', flags: ['loopback'] }], warnings: ['private_address'] });
    assert.equal(warningView('private_address', loop).label, 'Loopback address');
    const priv = host('mx', 10, { addresses: [{ family: 4, address: '10.0.0.1', flags: ['private'] }], warnings: ['private_address'] });
    assert.equal(warningView('private_address', priv).label, 'Private address');
  });
});
