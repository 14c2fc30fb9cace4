import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANALYSE_LIMITS } from '../../shared/analyse/types';
import { cutForAnalysis, delayText, resultTone, sizeText, timeText, tlsLabel } from '../../renderer/analyse/analyse-view';

test('the Analyse panel cuts a paste to the analyser limit and remembers how long it was', () => {
  assert.deepEqual(cutForAnalysis('short'), { text: 'short' });
  const big = 'x'.repeat(ANALYSE_LIMITS.maxInputChars + 10);
  const cut = cutForAnalysis(big);
  assert.equal(cut.text.length, ANALYSE_LIMITS.maxInputChars);
  assert.equal(cut.originalChars, big.length);
  assert.equal(sizeText(20 * 1024 * 1024), '20 MiB');
  // Control characters grow sixfold in JSON; the cut keeps the encoded request under the wire limit.
  const hostile = cutForAnalysis('\u0000'.repeat(100_000), 60_000);
  assert.ok(JSON.stringify(hostile.text).length <= 60_000);
  assert.equal(hostile.originalChars, 100_000);
});

test('labels: TLS versions, delays, times and result tones', () => {
  assert.deepEqual(tlsLabel({ state: 'tls', version: 'TLSv1.3' }), { tone: 'ok', text: 'TLS 1.3' });
  assert.deepEqual(tlsLabel({ state: 'tls', version: 'TLS1_2' }), { tone: 'ok', text: 'TLS 1.2' });
  assert.equal(tlsLabel({ state: 'plain' }).tone, 'warn');
  assert.equal(delayText(4000), '+4.0 s');
  assert.equal(delayText(-2000), '−2.0 s');
  assert.equal(delayText(undefined), '—');
  assert.equal(timeText('2026-12-07T10:00:11.000Z', undefined), '2026-12-07 10:00:11 UTC');
  assert.deepEqual(['pass', 'fail', 'softfail', 'none'].map(resultTone), ['ok', 'error', 'warn', 'neutral']);
});
