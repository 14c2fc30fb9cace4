import { useEffect, useState } from 'react';
import { formatSeconds } from './log-rows';
import type { WaitState } from './session-view';

/** performance.now(), refreshed every `everyMs` while mounted: for figures that tick between events. */
export function useNow(everyMs: number, active = true): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => setNow(performance.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs, active]);
  return now;
}

/** How long the session has waited so far (capped at the deadline); 0 without a clock (a past session). */
export function waitedMs(wait: WaitState, clockBase: number | undefined, now: number): number {
  if (clockBase === undefined) return 0;
  return Math.min(Math.max(0, now - (clockBase + wait.since)), wait.deadlineMs);
}

/**
 * "Waiting: the greeting 3.2 s of 5 min 00 s". The engine says when the wait began and how long it will
 * wait (an absolute deadline per reply, RFC 5321 §4.5.3.2); the page ticks between events.
 */
export function WaitIndicator({ wait, clockBase }: { wait: WaitState; clockBase: number | undefined }) {
  const shown = waitedMs(wait, clockBase, useNow(200));
  return (
    // aria-live off: the ticking time must not be read out ten times a second from the banner's live region.
    <p className="wait-indicator" aria-live="off">
      <span className="spinner" aria-hidden="true" />
      <span>
        Waiting: <strong>{wait.what}</strong>
      </span>
      <span className="num wait-time">
        {formatSeconds(shown)} of {formatSeconds(wait.deadlineMs)}
      </span>
      <meter className="wait-meter" min={0} max={wait.deadlineMs} value={shown} aria-label="time waited of the deadline" />
    </p>
  );
}
