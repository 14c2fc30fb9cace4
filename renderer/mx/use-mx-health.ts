import { useCallback, useEffect, useRef, useState } from 'react';
import type { Result } from '../../shared/result';
import type { AppError } from '../../shared/result';
import { useApi } from '../api-context';

export type ProbeState<T> =
  | { phase: 'idle' }
  | { phase: 'running'; label: string; startedAt: number }
  | { phase: 'done'; value: T }
  | { phase: 'failed'; error: AppError }
  | { phase: 'cancelled'; label: string };

/**
 * One probe at a time under a fixed id: a new run supersedes the running one on the host (which reports it
 * cancelled), and Cancel shows "cancelled" at once. Leaving the inspector cancels a running probe.
 */
export function useProbe<T>(probeId: string) {
  const api = useApi();
  const [state, setState] = useState<ProbeState<T>>({ phase: 'idle' });
  const [runs, setRuns] = useState(0);
  const generation = useRef(0);
  const running = useRef(false);

  const run = useCallback(
    async (label: string, call: () => Promise<Result<T>>) => {
      const mine = ++generation.current;
      running.current = true;
      setRuns((n) => n + 1);
      setState({ phase: 'running', label, startedAt: performance.now() });
      let next: ProbeState<T>;
      try {
        const r = await call();
        next = r.ok ? { phase: 'done', value: r.value } : { phase: 'failed', error: r.error };
      } catch (err) {
        next = { phase: 'failed', error: { code: 'host_unreachable', message: err instanceof Error ? err.message : String(err) } };
      }
      if (generation.current !== mine) return; // superseded or cancelled meanwhile
      running.current = false;
      setState(next);
    },
    [],
  );

  const cancel = useCallback(() => {
    if (!running.current) return;
    generation.current++;
    running.current = false;
    setState((s) => (s.phase === 'running' ? { phase: 'cancelled', label: s.label } : s));
    void api.cancelProbe({ probeId }).catch(() => undefined);
  }, [api, probeId]);

  const reset = useCallback(() => {
    if (running.current) void api.cancelProbe({ probeId }).catch(() => undefined);
    generation.current++;
    running.current = false;
    setState({ phase: 'idle' });
  }, [api, probeId]);

  useEffect(
    () => () => {
      if (running.current) void api.cancelProbe({ probeId }).catch(() => undefined);
    },
    [api, probeId],
  );

  /** Counts runs started, so event buffers can start afresh with each. */
  return { state, run, cancel, reset, runs };
}

const AUTO_KEY = 'mxdesk.health.auto';

/** "Check all hosts automatically after each lookup": a per-machine preference, kept in localStorage. */
export function useAutoCheck(): [boolean, (on: boolean) => void] {
  const [auto, setAuto] = useState<boolean>(() => {
    try {
      return globalThis.localStorage?.getItem(AUTO_KEY) === '1';
    } catch {
      return false;
    }
  });
  const set = useCallback((on: boolean) => {
    setAuto(on);
    try {
      globalThis.localStorage?.setItem(AUTO_KEY, on ? '1' : '0');
    } catch {
      // Storage may be unavailable (private mode); the choice then lasts for this window only.
    }
  }, []);
  return [auto, set];
}
