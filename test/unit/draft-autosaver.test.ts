// The draft autosave schedule (renderer/drafts/autosaver.ts) on a fake clock: saved within the delay of
// the last edit, never two saves at once, nothing lost when the window closes mid-save.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createAutosaver } from '../../renderer/drafts/autosaver';
import type { AutosaveTimers } from '../../renderer/drafts/autosaver';

function fakeClock() {
  let now = 0;
  let nextId = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: AutosaveTimers = {
    set(fn, ms) {
      const id = nextId++;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clear(h) {
      pending.delete(h as number);
    },
  };
  return {
    timers,
    advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = until;
    },
  };
}

/** A save that stays in flight until the test settles it. */
function manualStore() {
  const calls: Array<{ value: string; resolve: (at: string) => void; reject: (e: Error) => void }> = [];
  return {
    calls,
    save: (value: string) => new Promise<string>((resolve, reject) => calls.push({ value, resolve, reject })),
  };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('draft autosave schedule', () => {
  test('saves once, the delay after the last of several quick edits', () => {
    const clock = fakeClock();
    const store = manualStore();
    const s = createAutosaver<string>({ delayMs: 700, save: store.save, timers: clock.timers });
    s.change('a');
    clock.advance(300);
    s.change('ab');
    clock.advance(300);
    s.change('abc');
    clock.advance(699);
    assert.equal(store.calls.length, 0, 'not before the delay has passed since the last edit');
    clock.advance(1);
    assert.deepEqual(
      store.calls.map((c) => c.value),
      ['abc'],
    );
  });

  test('never runs two saves at once; an edit made during a save is saved right after it', async () => {
    const clock = fakeClock();
    const store = manualStore();
    const s = createAutosaver<string>({ delayMs: 500, save: store.save, timers: clock.timers });
    s.change('one');
    clock.advance(500);
    s.change('two');
    clock.advance(500);
    assert.equal(store.calls.length, 1, 'the second waits for the first');
    store.calls[0].resolve('t1');
    await tick();
    clock.advance(500);
    assert.deepEqual(
      store.calls.map((c) => c.value),
      ['one', 'two'],
    );
  });

  test('flush sends the latest edit at once, even while a save is in flight (the window is closing)', () => {
    const clock = fakeClock();
    const store = manualStore();
    const s = createAutosaver<string>({ delayMs: 500, save: store.save, timers: clock.timers });
    s.change('one');
    clock.advance(500);
    s.change('two');
    s.flush();
    assert.deepEqual(
      store.calls.map((c) => c.value),
      ['one', 'two'],
    );
    assert.equal(s.dirty, false);
  });

  test('a value just loaded (or just saved) is not written again', async () => {
    const clock = fakeClock();
    const store = manualStore();
    const s = createAutosaver<string>({ delayMs: 500, save: store.save, timers: clock.timers });
    const loaded = 'from disk';
    s.baseline(loaded);
    s.change(loaded);
    clock.advance(1000);
    assert.equal(store.calls.length, 0);
    s.change('edited');
    clock.advance(500);
    store.calls[0].resolve('t');
    await tick();
    s.change('edited');
    clock.advance(1000);
    assert.equal(store.calls.length, 1);
  });

  test('a failed save is reported and kept for the next attempt', async () => {
    const clock = fakeClock();
    const store = manualStore();
    const events: string[] = [];
    const s = createAutosaver<string>({ delayMs: 500, save: store.save, timers: clock.timers, onEvent: (e) => events.push(e.kind === 'error' ? `error:${e.message}` : e.kind) });
    s.change('x');
    clock.advance(500);
    store.calls[0].reject(new Error('ENOSPC'));
    await tick();
    assert.deepEqual(events, ['pending', 'saving', 'error:ENOSPC']);
    assert.equal(s.dirty, true);
    s.flush();
    assert.deepEqual(
      store.calls.map((c) => c.value),
      ['x', 'x'],
    );
  });
});
