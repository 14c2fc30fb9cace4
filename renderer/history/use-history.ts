import { useCallback, useEffect, useRef, useState } from 'react';
import type { HistoryDetail, HistoryEntry } from '../../shared/store-model';
import { useApi } from '../api-context';

export interface HistoryList {
  entries: HistoryEntry[];
  /** True until the first answer. */
  loading: boolean;
  error: string;
  refresh(): Promise<void>;
}

const REFRESH_AFTER_EVENT_MS = 250;

/**
 * The list of past sessions. Read on mount, when `visible` turns true, and shortly after a session starts or
 * ends anywhere in the app (the host journals the terminal event before it pushes it, so the list read
 * after an `outcome` already has it).
 */
export function useHistoryList(visible: boolean): HistoryList {
  const api = useApi();
  const [entries, setEntries] = useState<HistoryEntry[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  const live = useRef(true);

  const refresh = useCallback(async () => {
    try {
      const r = await api.listHistory({});
      if (!live.current) return;
      if (r.ok) {
        setEntries(r.value);
        setError('');
      } else setError(r.error.message);
    } catch (e) {
      if (live.current) setError(e instanceof Error ? e.message : String(e));
    } finally {
      if (live.current) setLoading(false);
    }
  }, [api]);

  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  useEffect(() => {
    if (visible) void refresh();
  }, [visible, refresh]);

  useEffect(() => {
    let timer: number | undefined;
    const stop = api.onSessionEvents((events) => {
      if (!events.some((e) => e.kind === 'session_start' || e.kind === 'outcome' || e.kind === 'check_start' || e.kind === 'check_end')) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void refresh(), REFRESH_AFTER_EVENT_MS);
    });
    return () => {
      window.clearTimeout(timer);
      stop();
    };
  }, [api, refresh]);

  return { entries, loading, error, refresh };
}

export type DetailState = { status: 'idle' } | { status: 'loading'; id: string } | { status: 'error'; id: string; message: string } | { status: 'ready'; detail: HistoryDetail };

/** One past session, read when `id` changes; `reload` re-reads it (e.g. after it finished running). */
export function useHistoryDetail(id: string | undefined, version: string): DetailState {
  const api = useApi();
  const [state, setState] = useState<DetailState>({ status: 'idle' });
  useEffect(() => {
    if (!id) {
      setState({ status: 'idle' });
      return;
    }
    let current = true;
    setState((s) => (s.status === 'ready' && s.detail.entry.id === id ? s : { status: 'loading', id }));
    api
      .getHistory({ id })
      .then((r) => {
        if (!current) return;
        setState(r.ok ? { status: 'ready', detail: r.value } : { status: 'error', id, message: r.error.message });
      })
      .catch((e: unknown) => {
        if (current) setState({ status: 'error', id, message: e instanceof Error ? e.message : String(e) });
      });
    return () => {
      current = false;
    };
  }, [api, id, version]);
  return state;
}
