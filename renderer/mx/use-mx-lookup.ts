import { useCallback, useEffect, useRef, useState } from 'react';
import type { MxReport } from '../../shared/model';
import type { AppError } from '../../shared/result';
import { useApi } from '../api-context';

export type LookupState =
  | { phase: 'idle' }
  | { phase: 'running'; lookupId: string; query: string; startedAt: number }
  | { phase: 'done'; query: string; report: MxReport }
  | { phase: 'failed'; query: string; error: AppError }
  | { phase: 'cancelled'; query: string };

let counter = 0;
function newLookupId(): string {
  counter += 1;
  const random = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : Math.random().toString(36).slice(2);
  return `mx-${counter}-${random}`;
}

/**
 * One lookup at a time. Each lookup carries a lookupId: starting a new one cancels the running one on the
 * host and drops its late answer, and Cancel shows "cancelled" at once instead of waiting for the host.
 */
export function useMxLookup() {
  const api = useApi();
  const [state, setState] = useState<LookupState>({ phase: 'idle' });
  const current = useRef<string | null>(null);

  const cancelRunning = useCallback(() => {
    const id = current.current;
    current.current = null;
    if (id) void api.cancelLookup({ lookupId: id }).catch(() => undefined);
    return id !== null;
  }, [api]);

  const lookup = useCallback(
    async (query: string, resolver: string | undefined) => {
      cancelRunning();
      const lookupId = newLookupId();
      current.current = lookupId;
      setState({ phase: 'running', lookupId, query, startedAt: performance.now() });
      let next: LookupState;
      try {
        const result = await api.lookupMx({ query, resolver, lookupId });
        next = result.ok ? { phase: 'done', query, report: result.value } : { phase: 'failed', query, error: result.error };
      } catch (err) {
        // The transport itself failed (host gone, socket closed): say so rather than spin forever.
        next = { phase: 'failed', query, error: { code: 'host_unreachable', message: err instanceof Error ? err.message : String(err) } };
      }
      if (current.current !== lookupId) return; // superseded or cancelled meanwhile
      current.current = null;
      setState(next);
    },
    [api, cancelRunning],
  );

  const cancel = useCallback(() => {
    setState((s) => (s.phase === 'running' ? { phase: 'cancelled', query: s.query } : s));
    cancelRunning();
  }, [cancelRunning]);

  // Leaving the window (or unmounting) cancels a running lookup on the host.
  useEffect(() => () => void cancelRunning(), [cancelRunning]);

  return { state, lookup, cancel };
}
