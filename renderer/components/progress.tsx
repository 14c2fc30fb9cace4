import { useEffect, useState } from 'react';

/** A decorative spinner; the words next to it say what is happening. */
export function Spinner() {
  return <span className="spinner" aria-hidden="true" />;
}

export function formatElapsed(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 60_000) return `${Math.floor(ms / 1000)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${m} min ${String(s).padStart(2, '0')} s`;
}

/**
 * Spinner + label + time since `startedAt` (performance.now() clock), ticking ten times a second. The ticking
 * figure is hidden from assistive technology so a live region around it announces the label once.
 */
export function ElapsedProgress({ label, startedAt }: { label: string; startedAt: number }) {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(performance.now()), 100);
    return () => window.clearInterval(timer);
  }, []);
  return (
    <span className="progress">
      <Spinner />
      <span className="progress-label">{label}</span>
      <span className="progress-time" aria-hidden="true">
        {formatElapsed(Math.max(0, now - startedAt))}
      </span>
    </span>
  );
}
