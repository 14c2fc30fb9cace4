import { useMemo } from 'react';
import type { DkimRequest } from '../../shared/sender-auth/dkim-types';
import type { Draft } from '../../shared/model';
import { PreviewPane } from '../compose/preview-pane';
import { draftForSend } from './send-request';
import { CertPanel } from '../session/cert-panel';
import { ConnectionSummary } from '../session/connection-summary';
import { OutcomeBanner } from '../session/outcome-banner';
import { RecipientResults } from '../session/recipient-results';
import { SessionLog } from '../session/session-log';
import { SessionTabs } from '../session/session-tabs';
import { StepControls } from '../session/step-controls';
import { WaterfallView } from '../session/waterfall-view';
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
  dkim,
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
  /** DKIM signing, for a preview of the signed message (renderer/sender). */
  dkim?: DkimRequest;
}) {
  const view = useSessionValue(session, (v) => v);
  const clockBase = session.sessionId ? session.store.clockBase(session.sessionId) : undefined;
  const previewDraft = useMemo(() => draftForSend(draft, htmlOn), [draft, htmlOn]);
  const tlsFailed = view?.tls?.phase === 'failed' || (view?.tls?.phase === 'done' && view.tls.verified === false && !view.tls.overridden);

  return (
    <div className="session-column">
      {view ? (
        <div className="session-top">
          <OutcomeBanner view={view} clockBase={clockBase} />
          {tlsFailed && view.tls ? <CertPanel tls={view.tls} onOverride={view.outcome ? onTrustCert : undefined} disabled={running} /> : null}
          {view.prompt && !view.outcome ? <StepControls prompt={view.prompt} vrfyArg={vrfyArg} error={session.stepError} onStep={session.step} /> : null}
          <ConnectionSummary view={view} />
          <RecipientResults recipients={view.recipients} />
        </div>
      ) : null}
      <SessionTabs tabs={TABS} current={tab} onChange={onTab} idBase="send" label="Session views">
        {tab === 'log' ? (
          view ? (
            <SessionLog view={view} clockBase={clockBase} />
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
        {tab === 'preview' ? <PreviewPane draft={previewDraft} serverSize={serverSize} active={tab === 'preview'} dkim={dkim} /> : null}
      </SessionTabs>
    </div>
  );
}
