// The message meter's header rule (RFC 6532 §3: UTF-8 in the header section needs SMTPUTF8, in the body
// only 8BITMIME), on random messages split at random chunk boundaries. Size and line agreement with the
// encoder are checked in smtp-message.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageMeter } from '../../electron/engine/message-meter';
import { seededRandom } from '../support/seeded-random';

/** Reference: the header section is every line before the first empty one (CRLF, CR and LF end lines). */
function headerHas8bit(text: string): boolean {
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') return false;
    if ([...line].some((c) => c.charCodeAt(0) > 0x7f)) return true;
  }
  return false;
}

test('UTF-8 needs SMTPUTF8 only in the header section, whatever the line endings and chunk boundaries', () => {
  const rng = seededRandom();
  const alphabet = ['a', ' ', ':', '\r', '\n', '\r\n', '\r\n', 'é', 'Subject: x', '\r\n\r\n'];
  for (let round = 0; round < 1500; round++) {
    let text = '';
    const len = rng.int(40);
    for (let i = 0; i < len; i++) text += rng.pick(alphabet);
    const bytes = Buffer.from(text, 'utf8');
    const meter = new MessageMeter();
    for (let pos = 0; pos < bytes.length; ) {
      const cut = Math.min(bytes.length, pos + 1 + rng.int(7));
      meter.push(bytes.subarray(pos, cut));
      pos = cut;
    }
    const r = meter.end();
    const why = `seed ${rng.seed}, round ${round}: ${JSON.stringify(text)}`;
    assert.equal(r.needsSmtpUtf8, headerHas8bit(text), why);
    assert.equal(r.needs8bit, [...text].some((c) => c.charCodeAt(0) > 0x7f), why);
  }
});
