import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SessionEvent } from '../../shared/events';
import { createEventBatcher } from '../../electron/host/event-batcher';

function ev(seq: number): SessionEvent {
  return { sessionId: 's', seq, at: seq, kind: 'info', level: 'info', text: `e${seq}` };
}

/** A manual clock and timer queue so the interval rule is checked without sleeping. */
function fakeTime() {
  let now = 0;
  const timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimer: (id: unknown) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const t = timers[0];
        if (!t || t.at > end) break;
        timers.shift();
        now = t.at;
        t.fn();
      }
      now = end;
    },
  };
}

describe('event batcher', () => {
  test('a synchronous burst becomes one message', () => {
    const time = fakeTime();
    const sent: SessionEvent[][] = [];
    const b = createEventBatcher((e) => sent.push(e), time);
    for (let i = 0; i < 500; i++) b.push(ev(i));
    assert.equal(sent.length, 0, 'nothing is sent synchronously');
    time.advance(0);
    assert.equal(sent.length, 1);
    assert.equal(sent[0].length, 500);
  });

  test('sends at most one message per 16 ms while events keep coming, in order, losing none', () => {
    const time = fakeTime();
    const sent: { at: number; events: SessionEvent[] }[] = [];
    const b = createEventBatcher((events) => sent.push({ at: time.now(), events }), time);
    for (let i = 0; i < 100; i++) {
      b.push(ev(i));
      time.advance(2);
    }
    time.advance(50);
    for (let i = 1; i < sent.length; i++) assert.ok(sent[i].at - sent[i - 1].at >= 16, `gap ${sent[i].at - sent[i - 1].at} ms`);
    assert.ok(sent.length <= Math.ceil(200 / 16) + 1, `${sent.length} messages for 200 ms`);
    assert.deepEqual(sent.flatMap((s) => s.events.map((e) => e.seq)), [...Array(100).keys()]);
  });

  test('the first event after a quiet period is not held back a whole interval', () => {
    const time = fakeTime();
    const sent: number[] = [];
    const b = createEventBatcher(() => sent.push(time.now()), time);
    time.advance(1000);
    b.push(ev(1));
    time.advance(0);
    assert.deepEqual(sent, [1000]);
  });

  test('close flushes what is queued and drops later events; discard drops the queue', () => {
    const time = fakeTime();
    const sent: SessionEvent[][] = [];
    const b = createEventBatcher((e) => sent.push(e), time);
    b.push(ev(1));
    b.close();
    b.push(ev(2));
    time.advance(100);
    assert.deepEqual(sent.map((s) => s.map((e) => e.seq)), [[1]]);
    const d = createEventBatcher((e) => sent.push(e), time);
    d.push(ev(3));
    d.discard();
    time.advance(100);
    assert.equal(sent.length, 1);
  });
});
