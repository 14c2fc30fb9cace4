import { useEffect, useState } from 'react';
import { formatSeconds } from './log-rows';
import type { WaitState } from './session-view';

/**
 * "Waiting for the greeting: 3.2 s of 5 min 00 s". The engine says when the wait began and how long it
 * will wait (an absolute deadline per reply, RFC 5321 §4.5.3.2); the page ticks between events.
 */
export function WaitIndicator({ wait, clockBase }: { wait: WaitState; clockBase: number | undefined }) {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(performance.now()), 200);
    return () => window.clearInterval(timer);
  }, []);
  const elapsed = clockBase === undefined ? 0 : Math.max(0, now - (clockBase + wait.since));
  const shown = Math.min(elapsed, wait.deadlineMs);
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
