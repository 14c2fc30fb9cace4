import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { SessionEvent } from '../../shared/events';
import type { HistoryStatus } from '../../shared/store-model';
import { EscapedText } from '../components/escaped-text';
import { ConnectionSummary } from '../session/connection-summary';
import { formatOffset } from '../session/log-rows';
import { OutcomeBanner, SessionBanner } from '../session/outcome-banner';
import { RecipientResults } from '../session/recipient-results';
import { SessionLog } from '../session/session-log';
import { SessionTabs } from '../session/session-tabs';
import { emptySessionView, foldSessionEvents } from '../session/session-view';
import type { SessionView } from '../session/session-view';
import { WaterfallView } from '../session/waterfall-view';
import { statusView } from './history-format';

type Tab = 'log' | 'waterfall';
const TABS: Array<{ id: Tab; label: string }> = [
  { id: 'log', label: 'Session log' },
  { id: 'waterfall', label: 'Waterfall' },
];

/** The journaled events folded exactly as the live window folds them (renderer/session/session-view.ts). */
export function foldPast(sessionId: string, events: readonly SessionEvent[]): SessionView {
  // The fold keeps only events of its own session: take the id the events carry.
  return foldSessionEvents(emptySessionView(events[0]?.sessionId ?? sessionId), events);
}

/**
 * The final word on a past session. A journal without an end (a crash) is not "Sending…": it is
 * interrupted, outcome unknown, and whether the dot had gone out decides whether the mail may have arrived.
 */
function PastBanner({ view, status, dotSent }: { view: SessionView; status: HistoryStatus | undefined; dotSent: boolean }) {
  if (view.outcome) return <OutcomeBanner view={view} clockBase={undefined} />;
  if (status === 'running') {
    return (
      <div className="outcome-region" role="status">
        <SessionBanner tone="info" icon="…" headline="Still running">
          <p className="banner-detail">{statusView({ status: 'running', dotSent }).detail}</p>
        </SessionBanner>
      </div>
    );
  }
  const interrupted = status === 'interrupted';
  const last = view.rowCount > 0 ? view.rows[view.rowCount - 1] : undefined;
  return (
    <div className="outcome-region" role="status">
      <SessionBanner tone="warn" icon="!" headline={interrupted ? 'Interrupted — outcome unknown' : 'No final event — outcome unknown'}>
        <p className="banner-detail">{interrupted ? statusView({ status: 'interrupted', dotSent }).detail : 'These events end before the session did: its outcome is not known.'}</p>
        <p className="banner-reference">
          {interrupted ? '' : dotSent ? 'The final dot had been sent. ' : 'The final dot had not been sent. '}
          {last ? `The last event kept is at ${formatOffset(last.at)} s.` : ''}
        </p>
      </SessionBanner>
    </div>
  );
}

/**
 * A past session, read-only: the outcome, the servers tried, the recipients, then the same virtualised log
 * and waterfall as the sending window (renderer/session/, shared, not copied). The log opens at its top.
 */
export function PastSession({
  sessionId,
  events,
  status,
  dotSent,
  notice,
}: {
  sessionId: string;
  events: readonly SessionEvent[];
  /** From the history entry; undefined for an opened export (judged from its events). */
  status?: HistoryStatus;
  dotSent: boolean;
  notice?: ReactNode;
}) {
  const view = useMemo(() => foldPast(sessionId, events), [sessionId, events]);
  const [tab, setTab] = useState<Tab>('log');

  return (
    <div className="past-session">
      <div className="session-top past-session-top">
        <PastBanner view={view} status={status} dotSent={view.outcome?.dotSent ?? dotSent} />
        {notice}
        <ConnectionSummary view={view} showEnd />
        {view.tls?.phase === 'failed' && view.tls.verifyError ? (
          <p className="connected-line">
            TLS failed: <EscapedText text={view.tls.verifyError} />
            {view.tls.cert ? (
              <>
                {' '}
                (SHA-256 <span className="mono">{view.tls.cert.fingerprint256}</span>)
              </>
            ) : null}
          </p>
        ) : null}
        <RecipientResults recipients={view.recipients} />
      </div>
      <SessionTabs tabs={TABS} current={tab} onChange={setTab} idBase={`past-${sessionId}`} label="Past session views">
        {tab === 'log' ? <SessionLog view={view} follow={false} /> : <WaterfallView view={view} />}
      </SessionTabs>
    </div>
  );
}
