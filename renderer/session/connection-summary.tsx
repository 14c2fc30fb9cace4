import { EscapedText } from '../components/escaped-text';
import { formatLatency } from './log-rows';
import { stageWords } from './outcome-banner';
import { AttemptList } from './recipient-results';
import type { SessionView } from './session-view';

/**
 * Where the session went: every server tried when it fell back (RFC 5321 §5.1), else the one connection,
 * how long it took and whether it was encrypted. `showEnd` adds where an undelivered session stopped.
 */
export function ConnectionSummary({ view, showEnd = false }: { view: SessionView; showEnd?: boolean }) {
  if (view.attempts.length > 1) return <AttemptList attempts={view.attempts} />;
  const c = view.attempts.find((a) => a.state === 'connected');
  if (!c) return null;
  const stage = view.outcome?.stage;
  return (
    <p className="connected-line muted">
      Connected to <EscapedText className="mono" text={c.host} /> [<span className="mono">{c.address}</span>]:{c.port} in {formatLatency(c.ms)}
      {view.tls?.phase === 'done' ? `, ${view.tls.protocol ?? 'TLS'}` : ', unencrypted'}
      {showEnd && stage && view.outcome?.outcome !== 'delivered' ? `; ended at ${stageWords(stage)}` : ''}
    </p>
  );
}
