/**
 * Debounced saving of one value, without React or the DOM so it can be tested with a fake clock. A change
 * is saved `delayMs` after the last one (the draft rule: within about a second of the last edit); saves
 * never overlap, and a change made while one is in flight is saved right after it. `flush()` is for the
 * moments there is no time left (window closing, page hidden): it sends the latest value at once.
 */
export interface AutosaveTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export type AutosaveEvent<T> = { kind: 'pending' } | { kind: 'saving' } | { kind: 'saved'; value: T; at: string } | { kind: 'error'; message: string };

export interface AutosaverOptions<T> {
  delayMs: number;
  /** Resolves with the time the store gives for the save; rejects with the reason it failed. */
  save(value: T): Promise<string>;
  onEvent?(e: AutosaveEvent<T>): void;
  timers?: AutosaveTimers;
}

export interface Autosaver<T> {
  /** The value was edited. Saving the very object last saved (or loaded) is skipped. */
  change(value: T): void;
  /** Save the latest unsaved value now, even if a save is in flight (nothing else may run after this). */
  flush(): void;
  /** The value as it is stored already (just loaded): no save needed until it changes. */
  baseline(value: T): void;
  /** True while there is a change not yet handed to `save`. */
  readonly dirty: boolean;
  dispose(): void;
}

const realTimers: AutosaveTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function createAutosaver<T>(opts: AutosaverOptions<T>): Autosaver<T> {
  const timers = opts.timers ?? realTimers;
  let stored: T | undefined;
  let hasStored = false;
  let pending: T | undefined;
  let hasPending = false;
  let timer: unknown;
  let inFlight = false;
  let disposed = false;

  function clearTimer() {
    if (timer !== undefined) timers.clear(timer);
    timer = undefined;
  }

  function schedule() {
    clearTimer();
    timer = timers.set(() => {
      timer = undefined;
      start(false);
    }, opts.delayMs);
  }

  function start(force: boolean) {
    if (!hasPending || disposed) return;
    if (inFlight && !force) return; // picked up when the running save ends
    clearTimer();
    const value = pending as T;
    pending = undefined;
    hasPending = false;
    inFlight = true;
    opts.onEvent?.({ kind: 'saving' });
    opts.save(value).then(
      (at) => {
        inFlight = false;
        stored = value;
        hasStored = true;
        if (!disposed) opts.onEvent?.({ kind: 'saved', value, at });
        if (hasPending) schedule();
      },
      (err: unknown) => {
        inFlight = false;
        // Keep the failed value for the next attempt unless a newer one is already waiting.
        if (!hasPending) {
          pending = value;
          hasPending = true;
        }
        if (!disposed) opts.onEvent?.({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
      },
    );
  }

  return {
    change(value) {
      if (disposed) return;
      if (hasStored && value === stored && !inFlight) {
        pending = undefined;
        hasPending = false;
        clearTimer();
        return;
      }
      pending = value;
      hasPending = true;
      opts.onEvent?.({ kind: 'pending' });
      schedule();
    },
    flush() {
      start(true);
    },
    baseline(value) {
      stored = value;
      hasStored = true;
      if (hasPending && pending === value) {
        pending = undefined;
        hasPending = false;
        clearTimer();
      }
    },
    get dirty() {
      return hasPending;
    },
    dispose() {
      disposed = true;
      clearTimer();
    },
  };
}
