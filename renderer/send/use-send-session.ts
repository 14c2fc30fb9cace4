import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { SessionRequest, StepCommand } from '../../shared/model';
import { useApi } from '../api-context';
import { createSessionStore } from '../session/session-store';
import type { SessionView } from '../session/session-view';

export interface SendSession {
  view: SessionView | undefined;
  clockBase: number | undefined;
  /** True from the click until the host answered startSession. */
  starting: boolean;
  running: boolean;
  error: string;
  start(req: SessionRequest): Promise<boolean>;
  step(cmd: StepCommand): Promise<void>;
  stepError: string;
  cancel(): Promise<void>;
}

/** The current session of the sending window: start, step, cancel, and its live folded view. */
export function useSendSession(): SendSession {
  const api = useApi();
  const store = useMemo(() => createSessionStore(api), [api]);
  useEffect(() => () => store.dispose(), [store]);
  const [sessionId, setSessionId] = useState<string | undefined>();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState('');
  const [stepError, setStepError] = useState('');
  const view = useSyncExternalStore(
    store.subscribe,
    () => store.get(sessionId),
    () => undefined,
  );

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

  return {
    view,
    clockBase: sessionId ? store.clockBase(sessionId) : undefined,
    starting,
    running: starting || Boolean(view && !view.outcome),
    error,
    start,
    step,
    stepError,
    cancel,
  };
}
