import { ElapsedProgress } from '../components/progress';
import { useSettings } from '../settings/settings-context';
import { LookupForm } from './lookup-form';
import type { LookupFormErrors } from './lookup-form';
import { HealthSection, probeResolver } from './health-section';
import { PolicySection } from './policy-section';
import { ReportView } from './report-view';
import { useMxLookup } from './use-mx-lookup';
import type { LookupState } from './use-mx-lookup';
import { MessageBanner, VerdictBanner } from './verdict-banner';

/** Errors the host attributes to a form field are shown beside that field, not in the banner. */
function fieldErrors(state: LookupState): LookupFormErrors {
  if (state.phase !== 'failed') return {};
  const { field, message } = state.error;
  if (field === 'query') return { query: message };
  if (field === 'resolver') return { resolver: message };
  return {};
}

export function MxInspector() {
  const { state, lookup, cancel } = useMxLookup();
  const errors = fieldErrors(state);
  const running = state.phase === 'running';
  // The Settings' default resolver serves here as for sends; empty, the host's own (system or --dns).
  const defaultResolver = useSettings().settings.defaultResolver.trim();
  return (
    <div className="mx-inspector">
      <LookupForm running={running} errors={errors} defaultResolver={defaultResolver} onLookup={(q, r) => void lookup(q, r ?? (defaultResolver || undefined))} onCancel={cancel} />
      {/* Focusable so that keyboard users can scroll a long report (WCAG 2 §2.1.1; axe scrollable-region-focusable). */}
      <div className="panel-body" role="region" aria-label="Lookup result" tabIndex={0} aria-busy={running}>
        {/* The live region is always mounted so that screen readers announce each new verdict. */}
        <div className="verdict-region" role="status" aria-live="polite" aria-atomic="true">
          <Verdict state={state} hasFieldError={Boolean(errors.query || errors.resolver)} />
        </div>
        {/* MX health: the live check of every host, right under the DNS verdict (renderer/mx/health-section.tsx). */}
        {state.phase === 'done' ? <HealthSection report={state.report} resolver={probeResolver(state.report.resolver)} /> : null}
        {/* Policies (DANE, MTA-STS, TLS-RPT) under the health matrix: renderer/mx/policy-section.tsx. */}
        {state.phase === 'done' ? <PolicySection report={state.report} resolver={probeResolver(state.report.resolver)} /> : null}
        {state.phase === 'done' ? <ReportView report={state.report} /> : null}
        {state.phase === 'idle' ? <EmptyState /> : null}
      </div>
    </div>
  );
}

function Verdict({ state, hasFieldError }: { state: LookupState; hasFieldError: boolean }) {
  switch (state.phase) {
    case 'idle':
      return null;
    case 'running':
      return (
        <div className="banner banner-running">
          <ElapsedProgress label={`Looking up ${state.query}…`} startedAt={state.startedAt} />
          <span className="banner-aside" aria-hidden="true">
            <kbd>Esc</kbd> cancels
          </span>
        </div>
      );
    case 'done':
      return <VerdictBanner report={state.report} />;
    case 'cancelled':
      return <MessageBanner tone="neutral" headline="Lookup cancelled" detail={state.query} />;
    case 'failed':
      if (hasFieldError) return null;
      return <MessageBanner tone="warn" headline="Lookup failed, try again" detail={state.error.message} />;
  }
}

function EmptyState() {
  return (
    <div className="empty-state">
      <p className="empty-title">Look up a domain's mail servers</p>
      <p>
        Type a domain or an e-mail address and press <kbd>Enter</kbd>. MX Desk asks the resolver for the MX records, then for every
        host's A and AAAA records in parallel, and explains what a sending server would do.
      </p>
      <p className="muted">
        Press <kbd>Escape</kbd> to cancel a running lookup.
      </p>
    </div>
  );
}
