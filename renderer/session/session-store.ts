/**
 * Keeps the folded view of every session this window started, fed by the host's event push. Events are
 * folded as they arrive (the host already batches them, ≤ 1 message per frame) and React is told at most
 * once per animation frame, so a flood of events costs one render per frame, not one per event.
 *
 * Events can arrive before startSession() resolves with the new id, so sessions not yet claimed are kept
 * too, a few at most.
 */
import type { MxDeskApi } from '../../shared/api';
import type { SessionEvent } from '../../shared/events';
import { emptySessionView, foldSessionEvents } from './session-view';
import type { SessionView } from './session-view';

export interface SessionStore {
  get(sessionId: string | undefined): SessionView | undefined;
  /** Marks a session as ours (keeps it); returns its view so far. */
  claim(sessionId: string): SessionView;
  /** performance.now() at the session's offset 0, to tick elapsed times between events. */
  clockBase(sessionId: string): number | undefined;
  subscribe(listener: () => void): () => void;
  /** Starts listening to the host's event push; returns the function that stops it (an effect's cleanup). */
  connect(): () => void;
}

const MAX_UNCLAIMED = 4;
const MAX_KEPT = 8;

export function createSessionStore(api: Pick<MxDeskApi, 'onSessionEvents'>, schedule: (fn: () => void) => void = requestFrame): SessionStore {
  const views = new Map<string, SessionView>();
  const clocks = new Map<string, number>();
  const claimed: string[] = [];
  const listeners = new Set<() => void>();
  let scheduled = false;

  function notify() {
    if (scheduled) return;
    scheduled = true;
    schedule(() => {
      scheduled = false;
      for (const l of listeners) l();
    });
  }

  function forget(id: string) {
    views.delete(id);
    clocks.delete(id);
  }

  function onEvents(events: SessionEvent[]) {
    const bySession = new Map<string, SessionEvent[]>();
    for (const e of events) {
      let list = bySession.get(e.sessionId);
      if (!list) bySession.set(e.sessionId, (list = []));
      list.push(e);
    }
    const now = performance.now();
    for (const [id, list] of bySession) {
      let view = views.get(id);
      if (!view) {
        const unclaimed = [...views.keys()].filter((k) => !claimed.includes(k));
        if (unclaimed.length >= MAX_UNCLAIMED) forget(unclaimed[0]);
        view = emptySessionView(id);
      }
      if (!clocks.has(id)) clocks.set(id, now - list[0].at);
      views.set(id, foldSessionEvents(view, list));
    }
    notify();
  }

  return {
    get: (id) => (id === undefined ? undefined : views.get(id)),
    claim(id) {
      if (!claimed.includes(id)) claimed.push(id);
      while (claimed.length > MAX_KEPT) forget(claimed.shift() as string);
      let view = views.get(id);
      if (!view) views.set(id, (view = emptySessionView(id)));
      return view;
    },
    clockBase: (id) => clocks.get(id),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    connect() {
      return api.onSessionEvents(onEvents);
    },
  };
}

function requestFrame(fn: () => void): void {
  // A hidden tab gets no animation frames; a timer keeps the fold visible when it comes back.
  if (typeof document !== 'undefined' && document.visibilityState === 'hidden') setTimeout(fn, 100);
  else requestAnimationFrame(() => fn());
}
