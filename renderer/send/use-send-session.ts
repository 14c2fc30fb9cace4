import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { SessionRequest, StepCommand } from '../../shared/model';
import { useApi } from '../api-context';
import { createSessionStore } from '../session/session-store';
import type { SessionStore } from '../session/session-store';
import type { SessionView } from '../session/session-view';

export interface SendSession {
  store: SessionStore;
  sessionId: string | undefined;
  /** True from the click until the host answered startSession. */
  starting: boolean;
  error: string;
  start(req: SessionRequest): Promise<boolean>;
  step(cmd: StepCommand): Promise<void>;
  stepError: string;
  cancel(): Promise<void>;
}

/**
 * One value derived from the current session's view. A component re-renders only when that value changes,
 * so a flood of events re-renders the log, not the whole sending window.
 */
export function useSessionValue<T>(session: Pick<SendSession, 'store' | 'sessionId'>, select: (v: SessionView | undefined) => T): T {
  const { store, sessionId } = session;
  return useSyncExternalStore(
    store.subscribe,
    () => select(store.get(sessionId)),
    () => select(undefined),
  );
}

/** The current session of the sending window: start, step, cancel; its view is read with useSessionValue. */
export function useSendSession(): SendSession {
  const api = useApi();
  const store = useMemo(() => createSessionStore(api), [api]);
  // Subscribed in an effect (not at creation), so StrictMode's unmount/remount rehearsal re-subscribes.
  useEffect(() => store.connect(), [store]);
  const [sessionId, setSessionId] = useState<string | undefined>();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState('');
  const [stepError, setStepError] = useState('');

  const start = useCallback(
    async (req: SessionRequest) => {
      setStarting(true);
      setError('');
      setStepError('');
      try {
        const r = await api.startSession(req);
        if (!r.ok) {
          setError(r.error.field ? `${r.error.field}: ${r.error.message}` : r.error.message);
          return false;
        }
        store.claim(r.value.sessionId);
        setSessionId(r.value.sessionId);
        return true;
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
        return false;
      } finally {
        setStarting(false);
      }
    },
    [api, store],
  );

  const step = useCallback(
    async (command: StepCommand) => {
      if (!sessionId) return;
      const r = await api.stepSession({ sessionId, command }).catch((e: unknown) => ({ ok: false as const, error: { code: 'transport', message: String(e) } }));
      setStepError(r.ok ? '' : r.error.message);
    },
    [api, sessionId],
  );

  const cancel = useCallback(async () => {
    if (!sessionId) return;
    await api.cancelSession({ sessionId }).catch(() => undefined);
  }, [api, sessionId]);

  return { store, sessionId, starting, error, start, step, stepError, cancel };
}
