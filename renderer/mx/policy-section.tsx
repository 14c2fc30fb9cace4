import { useEffect, useId, useRef, useState } from 'react';
import type { MxReport } from '../../shared/model';
import type { PolicyReport } from '../../shared/policy-model';
import { useApi } from '../api-context';
import { Banner } from '../components/banner';
import { EscapedText } from '../components/escaped-text';
import { ElapsedProgress } from '../components/progress';
import { DnssecBadge } from './dnssec-badge';
import { PolicyHostTable } from './policy-host-table';
import { PolicyVerdictView } from './policy-verdict';
import { formatMaxAge } from './policy-view';
import { useProbe, type ProbeState } from './use-mx-health';

// A failed lookup is worth a policy check too: it says when the MX set is bogus (RFC 7672 §2.2.1).
const USABLE = new Set(['mx', 'implicit_mx', 'dns_failure']);
/** A policy may list thousands of mx lines; the first ones are shown. */
const MAX_PATTERNS_SHOWN = 20;

/**
 * "Policies": what a DANE- and MTA-STS-aware MTA would enforce for each MX host. DNSSEC of the MX set, TLSA per
 * host matched against the certificate it presents, the MTA-STS policy and whether each host matches it, and
 * where TLS-RPT reports go. The check connects to each MX (STARTTLS, then QUIT) to see its certificate.
 */
export function PolicySection({ report, resolver }: { report: MxReport; resolver?: string }) {
  const api = useApi();
  const policy = useProbe<PolicyReport>('mx-policy');
  const [port, setPort] = useState('25');
  const portId = useId();
  const usable = USABLE.has(report.verdict);
  const portNumber = /^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535 ? Number(port) : undefined;
  const lastReport = useRef<MxReport | null>(null);
  useEffect(() => {
    if (lastReport.current === report) return;
    lastReport.current = report;
    policy.reset();
  }, [report]);

  const check = (): void => {
    if (!portNumber) return;
    void policy.run(report.domain, () => api.checkPolicy({ probeId: 'mx-policy', query: report.domain, resolver, port: portNumber, timeoutMs: 5000 }));
  };
  const running = policy.state.phase === 'running';
  return (
    <section className="pane policies" aria-labelledby="mx-policies-heading">
      <h2 id="mx-policies-heading" className="pane-title">
        Policies: DNSSEC, DANE, MTA-STS, TLS-RPT
      </h2>
      <div className="health-toolbar">
        <button type="button" onClick={check} disabled={!usable || running || !portNumber}>
          Check policies
        </button>
        <label className="health-port" htmlFor={portId}>
          Port for the certificate
          <input id={portId} inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value.trim())} aria-invalid={!portNumber} size={5} />
        </label>
        <span className="muted health-note">
          Asks for TLSA, MTA-STS and TLS-RPT records, fetches the MTA-STS policy over HTTPS, and connects to each MX (STARTTLS, then QUIT) to match its certificate. No mail is sent.
        </span>
      </div>
      <div className="policy-body" role="status" aria-live="polite" aria-atomic="false">
        <PolicyResult state={policy.state} />
      </div>
    </section>
  );
}

function PolicyResult({ state }: { state: ProbeState<PolicyReport> }) {
  switch (state.phase) {
    case 'idle':
      return null;
    case 'running':
      return (
        <div className="banner banner-running">
          <ElapsedProgress label={`Checking the policies of ${state.label}…`} startedAt={state.startedAt} />
        </div>
      );
    case 'cancelled':
      return <Banner tone="neutral" headline="Check cancelled" />;
    case 'failed':
      return (
        <Banner tone="error" headline="The policies could not be checked">
          <p>
            <EscapedText text={state.error.message} />
          </p>
        </Banner>
      );
    case 'done':
      return <PolicyReportView r={state.value} />;
  }
}

export function PolicyReportView({ r }: { r: PolicyReport }) {
  const p = r.mtaSts.policy;
  return (
    <div className="policy-report" data-domain={r.domain}>
      <dl className="policy-domain">
        <div>
          <dt>MX set DNSSEC</dt>
          <dd className="policy-inline">
            <DnssecBadge status={r.mxStatus} what="MX set" />
            {r.mx ? <PolicyVerdictView v={r.mx} what="mx" /> : null}
          </dd>
        </div>
        <div>
          <dt>MTA-STS</dt>
          <dd>
            <PolicyVerdictView v={r.mtaSts} what="mta-sts-policy" />
            {p ? (
              <dl className="policy-sts">
                <div>
                  <dt>mode</dt>
                  <dd data-sts="mode">{p.mode}</dd>
                </div>
                <div>
                  <dt>mx patterns</dt>
                  <dd data-sts="mx">
                    {p.mx.length > 0 ? p.mx.slice(0, MAX_PATTERNS_SHOWN).map((m, i) => <EscapedText key={i} text={m} className="mono policy-pattern" />) : 'none'}
                    {p.mx.length > MAX_PATTERNS_SHOWN ? <span className="muted">and {p.mx.length - MAX_PATTERNS_SHOWN} more</span> : null}
                  </dd>
                </div>
                <div>
                  <dt>max_age</dt>
                  <dd data-sts="max_age">{formatMaxAge(p.maxAge)}</dd>
                </div>
                <div>
                  <dt>id</dt>
                  <dd data-sts="id">
                    <EscapedText text={r.mtaSts.id ?? '—'} className="mono" />
                  </dd>
                </div>
              </dl>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>TLS-RPT</dt>
          <dd>
            <PolicyVerdictView v={r.tlsRpt} what="tls-rpt" />
          </dd>
        </div>
      </dl>
      {r.hosts.length > 0 ? <PolicyHostTable hosts={r.hosts} policy={Boolean(p)} /> : <p className="muted">No MX host to check.</p>}
      <p className="muted policy-footnote">
        Checked through <EscapedText text={r.resolver ?? 'the resolver'} />
        {r.probedPort !== undefined ? `; certificates seen on port ${r.probedPort}${r.certificatesFrom === 'health-check' ? ' by the last live check (no new connection)' : ''}` : ''}
        {r.elapsedMs !== undefined ? ` in ${(r.elapsedMs / 1000).toFixed(2)} s` : ''}.
      </p>
    </div>
  );
}
