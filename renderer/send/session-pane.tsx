import { useMemo, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import type { Draft } from '../../shared/model';
import { PreviewPane } from '../compose/preview-pane';
import { draftForSend } from './send-request';
import { CertPanel } from '../session/cert-panel';
import { OutcomeBanner } from '../session/outcome-banner';
import { AttemptList, RecipientResults } from '../session/recipient-results';
import { SessionLog } from '../session/session-log';
import { StepControls } from '../session/step-controls';
import { WaterfallView } from '../session/waterfall-view';
import { formatLatency } from '../session/log-rows';
import type { SendSession } from './use-send-session';
import { useSessionValue } from './use-send-session';

type Tab = 'log' | 'waterfall' | 'preview';
const TABS: Array<{ id: Tab; label: string }> = [
  { id: 'log', label: 'Session log' },
  { id: 'waterfall', label: 'Waterfall' },
  { id: 'preview', label: 'Preview' },
];

/** The right-hand side: outcome, step controls, results, then the log / waterfall / preview tabs. */
export function SessionPane({
  session,
  running,
  tab,
  onTab,
  draft,
  htmlOn,
  serverSize,
  vrfyArg,
  onTrustCert,
}: {
  session: SendSession;
  running: boolean;
  tab: Tab;
  onTab: (t: Tab) => void;
  draft: Draft;
  htmlOn: boolean;
  serverSize?: { size: number; server: string };
  vrfyArg: string;
  onTrustCert: () => void;
}) {
  const view = useSessionValue(session, (v) => v);
  const clockBase = session.sessionId ? session.store.clockBase(session.sessionId) : undefined;
  const previewDraft = useMemo(() => draftForSend(draft, htmlOn), [draft, htmlOn]);
  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);
  const connected = view?.attempts.filter((a) => a.state === 'connected') ?? [];
  const tlsFailed = view?.tls?.phase === 'failed' || (view?.tls?.phase === 'done' && view.tls.verified === false && !view.tls.overridden);

  function onTabKey(e: KeyboardEvent, i: number) {
    const n = TABS.length;
    const next = e.key === 'ArrowRight' ? (i + 1) % n : e.key === 'ArrowLeft' ? (i + n - 1) % n : e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    onTab(TABS[next].id);
    tabRefs.current[next]?.focus();
  }

  return (
    <div className="session-column">
      {view ? (
        <div className="session-top">
          <OutcomeBanner view={view} clockBase={clockBase} />
          {tlsFailed && view.tls ? <CertPanel tls={view.tls} onOverride={view.outcome ? onTrustCert : undefined} disabled={running} /> : null}
          {view.prompt && !view.outcome ? <StepControls prompt={view.prompt} vrfyArg={vrfyArg} error={session.stepError} onStep={session.step} /> : null}
          {view.attempts.length > 1 ? (
            <AttemptList attempts={view.attempts} />
          ) : connected.length === 1 ? (
            <p className="connected-line muted">
              Connected to <span className="mono">{connected[0].host}</span> [<span className="mono">{connected[0].address}</span>]:{connected[0].port} in {formatLatency(connected[0].ms)}
              {view.tls?.phase === 'done' ? `, ${view.tls.protocol ?? 'TLS'}` : ', unencrypted'}
            </p>
          ) : null}
          <RecipientResults recipients={view.recipients} />
        </div>
      ) : null}
      <div className="session-tabs" role="tablist" aria-label="Session views">
        {TABS.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`send-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`send-tabpanel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className="session-tab"
            onClick={() => onTab(t.id)}
            onKeyDown={(e) => onTabKey(e, i)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="session-tabpanel" role="tabpanel" id={`send-tabpanel-${tab}`} aria-labelledby={`send-tab-${tab}`}>
        {tab === 'log' ? (
          view ? (
            <SessionLog view={view} />
          ) : (
            <div className="empty-state">
              <p className="empty-title">No session yet</p>
              <p>
                Fill in the message and press <strong>Send</strong> (<kbd>Ctrl</kbd>+<kbd>Enter</kbd>) to run the whole dialog, or <strong>Step</strong> to send
                one command at a time, the telnet way.
              </p>
            </div>
          )
        ) : null}
        {tab === 'waterfall' ? view ? <WaterfallView view={view} /> : <p className="muted empty-state">Run a session to see its waterfall.</p> : null}
        {tab === 'preview' ? <PreviewPane draft={previewDraft} serverSize={serverSize} active={tab === 'preview'} /> : null}
      </div>
    </div>
  );
}
