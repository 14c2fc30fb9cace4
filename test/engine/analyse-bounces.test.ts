import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyseMessage } from '../../electron/engine/analyse/analyse-message';

/**
 * The bounce corpus: real-world-shaped bounces written for this project (modelled on what Postfix, Exim,
 * Microsoft 365, Gmail, qmail and Sendmail send), each with its expected parse beside it as JSON.
 */
const DIR = join(__dirname, '..', 'fixtures', 'bounces');
const NOW = Date.parse('2026-12-07T14:00:00Z');

interface Expected {
  kind: string;
  format: string;
  reportingMta: string | null;
  summary: string;
  recipients: Record<string, string | number | null>[];
  originalHeaders: Record<string, string> | null;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.eml')).sort();

test('the corpus has a bounce from each family of mail servers', () => {
  for (const family of ['postfix', 'exim', 'exchange', 'gmail', 'qmail', 'sendmail']) {
    assert.ok(files.some((f) => f.startsWith(family)), `no ${family} bounce in the corpus`);
  }
});

for (const file of files) {
  test(`bounce ${file} parses as its .json says`, async () => {
    const expected = JSON.parse(readFileSync(join(DIR, file.replace(/\.eml$/, '.json')), 'utf8')) as Expected;
    const result = await analyseMessage({ text: readFileSync(join(DIR, file), 'utf8') }, { now: () => NOW });
    assert.equal(result.kind, expected.kind);
    const bounce = result.bounce;
    assert.ok(bounce, 'recognised as a bounce');
    assert.equal(bounce.format, expected.format);
    assert.equal(bounce.reportingMta ?? null, expected.reportingMta);
    assert.equal(bounce.summary, expected.summary);
    assert.equal(bounce.recipients.length, expected.recipients.length);
    bounce.recipients.forEach((r, i) => {
      const want = expected.recipients[i];
      const got: Record<string, string | number | null> = {};
      for (const key of Object.keys(want)) got[key] = (r as unknown as Record<string, string | number | undefined>)[key] ?? null;
      assert.deepEqual(got, want, `recipient ${i + 1}`);
      if (r.status) assert.match(r.statusExplanation ?? '', new RegExp(`^${r.status.replace(/\./g, '\\.')}: `), 'the status is explained (RFC 3463)');
    });
    const original = bounce.originalHeaders
      ? Object.fromEntries(bounce.originalHeaders.filter((h) => /^(from|subject|message-id)$/i.test(h.name)).map((h) => [h.name.toLowerCase(), h.value]))
      : null;
    assert.deepEqual(original, expected.originalHeaders);
  });
}

test('an ordinary message is not mistaken for a bounce', async () => {
  const text = 'From: a@example.org\r\nTo: b@example.com\r\nSubject: Delivery failed? No, lunch.\r\n\r\nHello.\r\n';
  const result = await analyseMessage({ text }, { now: () => NOW });
  assert.equal(result.kind, 'message');
  assert.equal(result.bounce, undefined);
});
