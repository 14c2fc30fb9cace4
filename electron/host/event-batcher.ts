import type { SessionEvent } from '../../shared/events';

/**
 * Coalesces engine events into batches so a chatty session costs the page at most one message per
 * interval (~16 ms, one animation frame) instead of one per SMTP line.
 */
export interface EventBatcher {
  push(event: SessionEvent): void;
  /** Send whatever is queued now (used before a session's outcome must be seen promptly, and on close). */
  flush(): void;
  /** Flush and stop; later pushes are dropped. */
  close(): void;
  /** Stop without sending what is queued (the receiver is gone). */
  discard(): void;
}

export interface BatcherOptions {
  intervalMs?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export const DEFAULT_BATCH_INTERVAL_MS = 16;

export function createEventBatcher(send: (events: SessionEvent[]) => void, opts: BatcherOptions = {}): EventBatcher {
  const interval = opts.intervalMs ?? DEFAULT_BATCH_INTERVAL_MS;
  const now = opts.now ?? (() => performance.now());
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  let queue: SessionEvent[] = [];
  let timer: unknown = undefined;
  let lastSent = -Infinity;
  let closed = false;

  function flush(): void {
    if (timer !== undefined) clearTimer(timer);
    timer = undefined;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    lastSent = now();
    send(batch);
  }

  return {
    push(event) {
      if (closed) return;
      queue.push(event);
      if (timer !== undefined) return;
      // Leading edge after a quiet period (the first event of a burst is not delayed a full frame), then
      // at most one send per interval. A zero delay still waits a turn, so one synchronous burst batches.
      const wait = Math.max(0, interval - (now() - lastSent));
      timer = setTimer(flush, wait);
    },
    flush,
    close() {
      flush();
      closed = true;
    },
    discard() {
      queue = [];
      flush();
      closed = true;
    },
  };
}
