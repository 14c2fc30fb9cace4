// Bounded concurrency for probes: at most `total` connections at once overall and at most `perKey` to one
// destination (an MX host shared by many domains in a batch gets no more than a few connections at a time).

export interface Limiter {
  run<T>(key: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  readonly active: number;
  readonly waiting: number;
}

interface Waiter {
  key: string;
  start: () => void;
}

export function createLimiter(total: number, perKey: number): Limiter {
  let active = 0;
  const perActive = new Map<string, number>();
  const queue: Waiter[] = [];

  const canStart = (key: string): boolean => active < total && (perActive.get(key) ?? 0) < perKey;
  const take = (key: string): void => {
    active++;
    perActive.set(key, (perActive.get(key) ?? 0) + 1);
  };
  const release = (key: string): void => {
    active--;
    const n = (perActive.get(key) ?? 1) - 1;
    if (n <= 0) perActive.delete(key);
    else perActive.set(key, n);
    for (let i = 0; i < queue.length && active < total; i++) {
      const w = queue[i];
      if (canStart(w.key)) {
        queue.splice(i--, 1);
        w.start();
      }
    }
  };

  return {
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    async run<T>(key: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (!canStart(key)) {
        await new Promise<void>((resolve) => {
          const w: Waiter = {
            key,
            start: () => {
              signal?.removeEventListener('abort', onAbort);
              take(key);
              resolve();
            },
          };
          // A cancelled probe leaves the queue at once and runs its work, which sees the abort and ends.
          const onAbort = (): void => {
            const i = queue.indexOf(w);
            if (i >= 0) queue.splice(i, 1);
            take(key);
            resolve();
          };
          queue.push(w);
          signal?.addEventListener('abort', onAbort, { once: true });
        });
      } else take(key);
      try {
        return await work();
      } finally {
        release(key);
      }
    },
  };
}
