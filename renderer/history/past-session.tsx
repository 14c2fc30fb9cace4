import { useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import type { SessionEvent } from '../../shared/events';
import type { HistoryStatus } from '../../shared/store-model';
import { EscapedText } from '../components/escaped-text';
import { formatLatency, formatOffset } from '../session/log-rows';
import { OutcomeBanner, stageWords } from '../session/outcome-banner';
import { AttemptList, RecipientResults } from '../session/recipient-results';
import { SessionLog } from '../session/session-log';
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

function PlainBanner({ tone, icon, headline, children }: { tone: 'warn' | 'info'; icon: string; headline: string; children?: ReactNode }) {
  return (
    <div className={`banner banner-${tone} outcome-banner`} data-tone={tone}>
      <span className="banner-icon" aria-hidden="true">
        {icon}
      </span>
      <div className="banner-text">
        <p className="banner-headline">{headline}</p>
        {children}
      </div>
    </div>
  );
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
        <PlainBanner tone="info" icon="…" headline="Still running">
          <p className="banner-detail">{statusView({ status: 'running', dotSent }).detail}</p>
        </PlainBanner>
      </div>
    );
  }
  const interrupted = status === 'interrupted';
  const last = view.rowCount > 0 ? view.rows[view.rowCount - 1] : undefined;
  return (
    <div className="outcome-region" role="status">
      <PlainBanner tone="warn" icon="!" headline={interrupted ? 'Interrupted — outcome unknown' : 'No final event — outcome unknown'}>
        <p className="banner-detail">{interrupted ? statusView({ status: 'interrupted', dotSent }).detail : 'These events end before the session did: its outcome is not known.'}</p>
        <p className="banner-reference">
          {interrupted ? '' : dotSent ? 'The final dot had been sent. ' : 'The final dot had not been sent. '}
          {last ? `The last event kept is at ${formatOffset(last.at)} s.` : ''}
        </p>
      </PlainBanner>
    </div>
  );
}

/**
 * A past session, read-only: the outcome, the servers tried, the recipients, then the same virtualised log
 * and waterfall as the sending window (imported from renderer/session/, not copied).
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
  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);
  const baseId = `past-${sessionId}`;
  const connected = view.attempts.filter((a) => a.state === 'connected');
  const stage = view.outcome?.stage;

  function onTabKey(e: KeyboardEvent, i: number) {
    const n = TABS.length;
    const next = e.key === 'ArrowRight' ? (i + 1) % n : e.key === 'ArrowLeft' ? (i + n - 1) % n : e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    setTab(TABS[next].id);
    tabRefs.current[next]?.focus();
  }

  return (
    <div className="past-session">
      <div className="session-top past-session-top">
        <PastBanner view={view} status={status} dotSent={view.outcome?.dotSent ?? dotSent} />
        {notice}
        {view.attempts.length > 1 ? (
          <AttemptList attempts={view.attempts} />
        ) : connected.length === 1 ? (
          <p className="connected-line muted">
            Connected to <span className="mono">{connected[0].host}</span> [<span className="mono">{connected[0].address}</span>]:{connected[0].port} in{' '}
            {formatLatency(connected[0].ms)}
            {view.tls?.phase === 'done' ? `, ${view.tls.protocol ?? 'TLS'}` : ', unencrypted'}
            {stage && view.outcome?.outcome !== 'delivered' ? `; ended at ${stageWords(stage)}` : ''}
          </p>
        ) : null}
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
      <div className="session-tabs" role="tablist" aria-label="Past session views">
        {TABS.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${baseId}-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`${baseId}-panel`}
            tabIndex={tab === t.id ? 0 : -1}
            className="session-tab"
            onClick={() => setTab(t.id)}
            onKeyDown={(e) => onTabKey(e, i)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="session-tabpanel" role="tabpanel" id={`${baseId}-panel`} aria-labelledby={`${baseId}-tab-${tab}`}>
        {tab === 'log' ? <SessionLog view={view} /> : <WaterfallView view={view} />}
      </div>
    </div>
  );
}
