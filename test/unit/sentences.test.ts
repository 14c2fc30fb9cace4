import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { asClause, asSentence, joinSentences } from '../../shared/smtp/sentences';

describe('joining the sentences of a reason', () => {
  test('a part that already ends a sentence gets no second full stop', () => {
    assert.equal(joinSentences('The server is not ready to take mail (421 4.3.2 Too busy).', 'Nothing was sent.'), 'The server is not ready to take mail (421 4.3.2 Too busy). Nothing was sent.');
    assert.equal(joinSentences('Quoted: "250 ok."', 'Next.'), 'Quoted: "250 ok." Next.');
  });

  test('a part without a sentence mark gets one before the next sentence', () => {
    assert.equal(joinSentences('no room to write the next block of the message within 800 ms', 'The message was not completely sent.'), 'no room to write the next block of the message within 800 ms. The message was not completely sent.');
    assert.equal(joinSentences('Refused (421 4.3.2 Too busy)', 'Nothing was sent'), 'Refused (421 4.3.2 Too busy). Nothing was sent.');
  });

  test('a doubled full stop is reduced to one, an ellipsis is kept, empty parts are skipped', () => {
    assert.equal(asSentence('Too busy..'), 'Too busy.');
    assert.equal(asSentence('and so on...'), 'and so on...');
    assert.equal(joinSentences('One.', '', '  ', 'Two'), 'One. Two.');
  });

  test('a clause inside a list loses its final full stop', () => {
    assert.equal(asClause('The server is not ready (421 Too busy). '), 'The server is not ready (421 Too busy)');
    assert.equal(asClause('connection refused'), 'connection refused');
  });
});
