import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionEvent } from '../../shared/events';
import { emptySessionView, foldSessionEvents } from '../../renderer/session/session-view';
import { defaultFilter, formatRowForCopy, isFilterActive, updateFiltered } from '../../renderer/session/log-filter';

function rows() {
  const events: SessionEvent[] = [
    { sessionId: 's', seq: 1, at: 0, kind: 'command', stage: 'ehlo', text: 'EHLO me.test', pipelined: false, bytes: 14 },
    { sessionId: 's', seq: 2, at: 1.5, kind: 'reply', stage: 'ehlo', code: 250, lines: ['mx.test', 'SIZE 100'], explanation: 'fine', timing: { sentAt: 0, firstByteAt: 1, completeAt: 1.5 } },
    { sessionId: 's', seq: 3, at: 2, kind: 'reply', stage: 'rcpt', code: 550, enhanced: '5.1.1', lines: ['5.1.1 \u001b[31mno\u202e'], explanation: 'unknown user', timing: { sentAt: 1.6, firstByteAt: 1.9, completeAt: 2 } },
    { sessionId: 's', seq: 4, at: 3, kind: 'info', level: 'info', text: 'note' },
  ];
  return foldSessionEvents(emptySessionView('s'), events).rows;
}

describe('session log search and filter', () => {
  test('an untouched filter is inactive and keeps every row', () => {
    const f = defaultFilter();
    assert.equal(isFilterActive(f), false);
    assert.deepEqual(updateFiltered(undefined, rows(), 4, f).indices, [0, 1, 2, 3]);
  });

  test('search matches the code, the enhanced code and the text, case-insensitively', () => {
    const r = rows();
    assert.deepEqual(updateFiltered(undefined, r, 4, { ...defaultFilter(), text: 'size' }).indices, [1]);
    assert.deepEqual(updateFiltered(undefined, r, 4, { ...defaultFilter(), text: '5.1.1' }).indices, [2]);
    assert.deepEqual(updateFiltered(undefined, r, 4, { ...defaultFilter(), text: '550' }).indices, [2]);
  });

  test('search finds escaped control characters as they are shown', () => {
    assert.deepEqual(updateFiltered(undefined, rows(), 4, { ...defaultFilter(), text: '\\x1b[31m' }).indices, [2]);
  });

  test('direction and problems-only filters combine', () => {
    const f = defaultFilter();
    const serverOnly = { ...f, directions: { ...f.directions, client: false, info: false } };
    assert.deepEqual(updateFiltered(undefined, rows(), 4, serverOnly).indices, [1, 2]);
    assert.deepEqual(updateFiltered(undefined, rows(), 4, { ...f, problemsOnly: true }).indices, [2]);
  });

  test('new rows extend the filtered list without rescanning', () => {
    const r = rows();
    const f = { ...defaultFilter(), text: 'e' };
    const first = updateFiltered(undefined, r, 2, f);
    assert.equal(first.scanned, 2);
    const more = updateFiltered(first, r, 4, f);
    assert.deepEqual(more.indices, updateFiltered(undefined, r, 4, f).indices);
  });

  test('copied rows read like a transcript, with control characters escaped', () => {
    const r = rows();
    assert.equal(formatRowForCopy(r[0]), '+0.000 > EHLO me.test');
    assert.equal(formatRowForCopy(r[1]), '+0.002 < 250-mx.test\n+0.002 < 250 SIZE 100  (1.5 ms)\n           = fine');
    assert.match(formatRowForCopy(r[2]), /550 5\.1\.1 \\x1b\[31mno\\u202e/);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(formatRowForCopy(r[2]), /[\u001b\u202e]/);
  });
});
