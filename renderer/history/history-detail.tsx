import { DeleteConfirm } from './delete-confirm';
import { useEffect, useRef, useState } from 'react';
import type { HistoryDetail } from '../../shared/store-model';
import { Badge } from '../components/badge';
import { EscapedText } from '../components/escaped-text';
import { ExportMenu } from './export-menu';
import { formatBytes, formatDuration, formatWhen, senderText, statusView } from './history-format';
import { PastSession } from './past-session';
import { runAgainBlocker } from './run-again';
import { checkCountText } from '../../shared/probe/check-record';

/** One past session: what it was, Run again / Export / Delete, then its outcome, log and waterfall. */
export function HistoryDetailView({
  detail,
  onRunAgain,
  onDelete,
}: {
  detail: HistoryDetail;
  onRunAgain: (detail: HistoryDetail) => void;
  onDelete: (id: string) => Promise<string | undefined>;
}) {
  const { entry } = detail;
  const when = formatWhen(entry.startedAt);
  const s = statusView(entry);
  const [status, setStatus] = useState<{ text: string; error: boolean }>({ text: '', error: false });
  const [confirming, setConfirming] = useState(false);
  const keepRef = useRef<HTMLButtonElement>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);
  const blocker = runAgainBlocker(entry.canRunAgain && detail.request !== null, false);

  // A different session starts with a clean slate.
  useEffect(() => {
    setStatus({ text: '', error: false });
    setConfirming(false);
  }, [entry.id]);

  useEffect(() => {
    if (confirming) keepRef.current?.focus();
  }, [confirming]);

  async function confirmDelete() {
    const error = await onDelete(entry.id);
    if (error) {
      setConfirming(false);
      setStatus({ text: error, error: true });
    }
  }

  return (
    <article className="history-detail" aria-labelledby={`history-h-${entry.id}`}>
      <header className="history-detail-head">
        <div className="history-detail-title">
          <h2 id={`history-h-${entry.id}`} className="mono">
            <EscapedText text={entry.target} />
          </h2>
          <Badge tone={s.tone}>{s.label}</Badge>
        </div>
        <dl className="history-facts">
          <div>
            <dt>Started</dt>
            <dd>
              {when.date} {when.time}
            </dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd className="num">{formatDuration(entry.durationMs)}</dd>
          </div>
          <div>
            <dt>Mode</dt>
            <dd>{entry.mode === 'step' ? 'step by step' : 'automatic'}</dd>
          </div>
          <div>
            <dt>Events</dt>
            <dd className="num">
              {entry.eventCount} <span className="muted">({formatBytes(entry.sizeBytes)})</span>
            </dd>
          </div>
        </dl>
        {entry.check ? (
          // A check (MX health or relay probe) has no envelope and nothing to run again from the Send panel.
          <p className="history-envelope-line">
            <EscapedText text={entry.check.summary ?? checkCountText({ ...entry.check, cancelled: entry.status === 'cancelled' })} />
          </p>
        ) : (
          <p className="history-envelope-line mono">
            <span className="muted">MAIL FROM:</span>
            <EscapedText text={senderText(entry.mailFrom)} /> <span className="muted">RCPT TO:</span>
            <EscapedText text={entry.rcptTo.join(', ') || '(none)'} />
          </p>
        )}
        <div className="history-actions" role="toolbar" aria-label="Session actions">
          {entry.check ? null : (
            <button type="button" className="button-primary" disabled={Boolean(blocker)} title={blocker ?? 'Fill the Send panel with this session’s message and target'} onClick={() => onRunAgain(detail)}>
              Run again…
            </button>
          )}
          <ExportMenu sessionId={entry.id} onStatus={(text, error = false) => setStatus({ text, error })} />
          <button ref={deleteRef} type="button" className="button-danger" disabled={entry.status === 'running' || confirming} onClick={() => setConfirming(true)}>
            Delete…
          </button>
          <span className={`history-action-status${status.error ? ' is-error' : ''}`} role={status.error ? 'alert' : 'status'}>
            {status.text}
          </span>
        </div>
        {blocker && !entry.check ? <p className="field-hint">{blocker}</p> : null}
        {confirming ? (
          <DeleteConfirm id={entry.id} question="Delete this session and its transcript from the history? This cannot be undone." keepRef={keepRef} deleteRef={deleteRef} onConfirm={() => void confirmDelete()} onClose={() => setConfirming(false)} />
        ) : null}
      </header>
      <PastSession
        sessionId={entry.id}
        events={detail.events}
        status={entry.status}
        dotSent={entry.dotSent}
        notice={
          detail.truncatedAfterSeq !== null || entry.truncated ? (
            <p className="history-truncated">
              <Badge tone="warn">truncated</Badge> The transcript reached its size cap
              {detail.truncatedAfterSeq !== null ? ` after event ${detail.truncatedAfterSeq}` : ''}; later events were not kept, the final one always is.
            </p>
          ) : null
        }
      />
    </article>
  );
}
