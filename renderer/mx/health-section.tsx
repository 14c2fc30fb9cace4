import { useEffect, useId, useRef, useState } from 'react';
import type { MxReport } from '../../shared/model';
import type { ProbeReport, RelayReport } from '../../shared/probe/types';
import { Banner } from '../components/banner';
import { EscapedText } from '../components/escaped-text';
import { ElapsedProgress } from '../components/progress';
import { useApi } from '../api-context';
import { useProfiles } from '../profiles/profiles-context';
import { markDifferences, matrixRow } from '../../shared/probe/cells';
import type { MatrixRow } from '../../shared/probe/types';
import type { SessionEvent } from '../../shared/events';
import { eventsExportText } from '../../shared/export/events-json';
import { transcriptText } from '../../shared/export/transcript';
import { downloadText } from '../history/file-output';
import { SessionLog } from '../session/session-log';
import { WaterfallView } from '../session/waterfall-view';
import { emptySessionView, foldSessionEvents } from '../session/session-view';
import { HealthMatrix } from './health-matrix';
import { useProbeEvents, type ProbeEvents } from './use-probe-events';
import { domainHeadline, domainTone, egressHeadline, egressTone } from './health-view';
import { useAutoCheck, useProbe, type ProbeState } from './use-mx-health';

const USABLE = new Set(['mx', 'implicit_mx']);

/** The resolver the lookup used, to ask the same one for PTRs: its label, unless it was the system's. */
export function probeResolver(label: string): string | undefined {
  return label.startsWith('system') ? undefined : label;
}

/**
 * "Check all hosts": every address of every MX host probed live from this machine (connect, banner, EHLO,
 * STARTTLS and certificate, PTR), shown as a matrix with the verdict on top and the egress diagnosis; and the
 * same probe against the user's relay on 587/465. Sections (policies, DNSSEC) can be added below the matrix.
 */
export function HealthSection({ report, resolver }: { report: MxReport; resolver?: string }) {
  const api = useApi();
  const health = useProbe<ProbeReport>('mx-health');
  const [auto, setAuto] = useAutoCheck();
  const [port, setPort] = useState('25');
  const [deadline, setDeadline] = useState(5000);
  const portId = useId();
  const deadlineId = useId();
  const usable = USABLE.has(report.verdict);
  const portNumber = /^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535 ? Number(port) : undefined;

  const check = (): void => {
    if (!portNumber) return;
    void health.run(report.domain, () => api.probeMx({ probeId: 'mx-health', query: report.domain, resolver, port: portNumber, timeoutMs: deadline }));
  };

  // A new lookup clears the old matrix, and starts the check when the user asked for that.
  const lastReport = useRef<MxReport | null>(null);
  useEffect(() => {
    if (lastReport.current === report) return;
    lastReport.current = report;
    health.reset();
    if (auto && usable) check();
  }, [report]);

  const running = health.state.phase === 'running';
  const live = useProbeEvents('mx-health', health.runs);
  return (
    <section className="pane health" aria-labelledby="mx-health-heading">
      <h2 id="mx-health-heading" className="pane-title">
        Live check from this machine
      </h2>
      <div className="health-toolbar">
        <button type="button" className="button-primary" onClick={check} disabled={!usable || running || !portNumber}>
          Check all hosts
        </button>
        {running ? (
          <button type="button" onClick={health.cancel}>
            Cancel
          </button>
        ) : null}
        <label className="health-port" htmlFor={portId}>
          Port to check
          <input id={portId} inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value.trim())} aria-invalid={!portNumber} size={5} />
        </label>
        <label className="health-port" htmlFor={deadlineId}>
          Wait per step
          <select id={deadlineId} value={deadline} onChange={(e) => setDeadline(Number(e.target.value))}>
            {[1000, 3000, 5000, 15000, 30000].map((ms) => (
              <option key={ms} value={ms}>
                {ms / 1000} s
              </option>
            ))}
          </select>
        </label>
        <label className="health-auto">
          <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} /> Check automatically after each lookup
        </label>
        <span className="muted health-note">Connects to each address, reads the banner, EHLO and STARTTLS, then QUIT. No mail is sent.</span>
      </div>
      <div className="health-body" role="status" aria-live="polite" aria-atomic="false">
        <HealthResult state={health.state} usable={usable} live={live} />
      </div>
      <RelayCheck resolver={resolver} />
    </section>
  );
}

function HealthResult({ state, usable, live }: { state: ProbeState<ProbeReport>; usable: boolean; live: ProbeEvents }) {
  switch (state.phase) {
    case 'idle':
      return usable ? null : <p className="muted">Nothing to check: this domain has no MX host to connect to.</p>;
    case 'running':
      return (
        <>
          <div className="banner banner-running">
            <ElapsedProgress label={`Checking every MX host of ${state.label}… ${live.results.length} address(es) done`} startedAt={state.startedAt} />
          </div>
          {live.results.length > 0 ? <HealthMatrix rows={markDifferences(live.results.map((p) => matrixRow(p)))} label={`MX health of ${state.label} (in progress)`} /> : null}
        </>
      );
    case 'cancelled':
      return <Banner tone="neutral" headline="Check cancelled" />;
    case 'failed':
      return (
        <Banner tone="error" headline="The check could not run">
          <p className="banner-detail">
            <EscapedText text={state.error.message} />
          </p>
        </Banner>
      );
    case 'done':
      return <HealthReport report={state.value} live={live} />;
  }
}

function HealthReport({ report, live }: { report: ProbeReport; live: ProbeEvents }) {
  const e = report.egress;
  const [logRow, setLogRow] = useState<number | undefined>();
  return (
    <div className="health-report">
      <Banner tone={domainTone(report.verdict)} headline={domainHeadline(report.verdict)} data={{ 'data-health-verdict': report.verdict }}>
        <p className="banner-detail health-summary">
          <EscapedText text={report.summary} />
        </p>
      </Banner>
      {report.probes.length > 0 ? (
        <Banner tone={egressTone(e.kind)} headline={egressHeadline(e.kind, report.port)} data={{ 'data-egress': e.kind }} className="health-egress">
          <p className="banner-detail">
            <EscapedText text={e.message} />
          </p>
          {e.advice ? <p className="banner-reference">{e.advice}</p> : null}
        </Banner>
      ) : null}
      {report.rows.length > 0 ? <HealthMatrix rows={report.rows} label={`MX health of ${report.domain}`} onOpenLog={(i) => setLogRow(i)} /> : null}
      {logRow !== undefined && report.rows[logRow] ? <ProbeLog row={report.rows[logRow]} events={live.streams.get(logRow) ?? []} onClose={() => setLogRow(undefined)} /> : null}
      {report.skipped.length > 0 ? (
        <ul className="health-skipped muted">
          {report.skipped.map((s) => (
            <li key={s}>
              <EscapedText text={s} />
            </li>
          ))}
        </ul>
      ) : null}
      <p className="muted health-timing">
        {report.probes.length} address(es) checked in {(report.elapsedMs / 1000).toFixed(2)} s on port {report.port}.{' '}
        <button type="button" className="link-button" onClick={() => downloadText(`mxdesk-health-${report.domain.replace(/[^A-Za-z0-9.-]+/g, '_')}.json`, 'application/json', `${JSON.stringify(report, null, 2)}\n`)}>
          Save the report as JSON
        </button>
      </p>
    </div>
  );
}

function fileStem(row: MatrixRow): string {
  return `mxdesk-probe-${row.host}-${row.address}-${row.port}`.replace(/[^A-Za-z0-9.-]+/g, '_');
}

/** The conversation of one address probe, as a session log (the same fold and view as a send). */
function ProbeLog({ row, events, onClose }: { row: MatrixRow; events: SessionEvent[]; onClose: () => void }) {
  const view = foldSessionEvents(emptySessionView(events[0]?.sessionId ?? 'probe'), events);
  const [tab, setTab] = useState<'log' | 'waterfall'>('log');
  return (
    <section className="pane health-log" aria-label={`Probe log of ${row.host} (${row.address})`}>
      <div className="health-toolbar">
        <strong>
          Log of {row.host} ({row.address}:{row.port})
        </strong>
        <span className="health-tabs" role="group" aria-label="Show">
          <button type="button" aria-pressed={tab === 'log'} onClick={() => setTab('log')}>
            Log
          </button>
          <button type="button" aria-pressed={tab === 'waterfall'} onClick={() => setTab('waterfall')}>
            Waterfall
          </button>
        </span>
        <button type="button" onClick={() => downloadText(`${fileStem(row)}.txt`, 'text/plain', transcriptText(events, { title: `MX Desk probe of ${row.host} (${row.address}:${row.port})` }))} disabled={events.length === 0}>
          Save transcript
        </button>
        <button type="button" onClick={() => downloadText(`${fileStem(row)}.events.json`, 'application/json', eventsExportText(events[0]?.sessionId ?? 'probe', events))} disabled={events.length === 0}>
          Save events JSON
        </button>
        <button type="button" onClick={onClose}>
          Close log
        </button>
      </div>
      {events.length === 0 ? <p className="muted health-note">No events were received for this address.</p> : tab === 'log' ? <SessionLog view={view} follow={false} /> : <WaterfallView view={view} />}
    </section>
  );
}

/** "Which way out works": the relay the user names (or a saved profile's) on 587 and 465, probed the same way. */
function RelayCheck({ resolver }: { resolver?: string }) {
  const api = useApi();
  const relay = useProbe<RelayReport>('mx-health-relay');
  const profiles = useProfiles().list?.profiles ?? [];
  const [target, setTarget] = useState('');
  const inputId = useId();
  const parsed = /^\[?([^\]\s]+?)\]?(?::(\d{1,5}))?$/.exec(target.trim());
  const host = parsed?.[1];
  const ports = parsed?.[2] ? [Number(parsed[2])] : [587, 465];
  const run = (): void => {
    if (!host) return;
    void relay.run(host, () => api.probeRelay({ probeId: 'mx-health-relay', host, ports, resolver }));
  };
  return (
    <div className="health-relay">
      <form
        className="health-toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        <label htmlFor={inputId}>Relay</label>
        <input id={inputId} className="mono" placeholder="smtp.example.net (587 and 465) or host:port" value={target} onChange={(e) => setTarget(e.target.value)} size={34} />
        {profiles.length > 0 ? (
          <select aria-label="Use the relay of a saved profile" value="" onChange={(e) => e.target.value && setTarget(e.target.value)}>
            <option value="">Saved profile…</option>
            {profiles.map((p) => (
              <option key={p.id} value={`${p.host}:${p.port}`}>
                {p.name} ({p.host}:{p.port})
              </option>
            ))}
          </select>
        ) : null}
        <button type="submit" className="button-primary" disabled={!host || relay.state.phase === 'running'}>
          Check relay
        </button>
      </form>
      <div role="status" aria-live="polite">
        {relay.state.phase === 'running' ? (
          <div className="banner banner-running">
            <ElapsedProgress label={`Checking ${relay.state.label}…`} startedAt={relay.state.startedAt} />
          </div>
        ) : null}
        {relay.state.phase === 'failed' ? <Banner tone="error" headline={relay.state.error.message} /> : null}
        {relay.state.phase === 'done' ? (
          <>
            <Banner tone={relay.state.value.summary.startsWith('A way out works') ? 'ok' : 'error'} headline={relay.state.value.summary.startsWith('A way out works') ? 'A way out works' : 'No way out works'} data={{ 'data-relay': 'done' }}>
              <p className="banner-detail">
                <EscapedText text={relay.state.value.summary} />
              </p>
            </Banner>
            {relay.state.value.rows.length > 0 ? <HealthMatrix rows={relay.state.value.rows} label={`Relay check of ${relay.state.value.host}`} /> : null}
          </>
        ) : null}
      </div>
    </div>
  );
}
