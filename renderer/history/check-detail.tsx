import { DeleteConfirm } from './delete-confirm';
import { useEffect, useMemo, useRef, useState } from 'react';
import { checkCountText, type CheckResult } from '../../shared/probe/check-record';
import type { DomainVerdictKind, MatrixRow } from '../../shared/probe/types';
import type { SessionEvent } from '../../shared/events';
import type { HistoryDetail } from '../../shared/store-model';
import { Badge } from '../components/badge';
import { Banner } from '../components/banner';
import type { BadgeTone } from '../components/badge-tone';
import { EscapedText } from '../components/escaped-text';
import { HealthMatrix } from '../mx/health-matrix';
import { domainHeadline, domainTone, egressHeadline, egressTone } from '../mx/health-view';
import { SessionLog } from '../session/session-log';
import { SessionTabs } from '../session/session-tabs';
import { emptySessionView, foldSessionEvents } from '../session/session-view';
import { WaterfallView } from '../session/waterfall-view';
import { ExportMenu } from './export-menu';
import { pastCheck } from './check-view';
import { EXPORT_CHOICES, formatBytes, formatDuration, formatWhen, statusView } from './history-format';

/** A check has no message: its transcript and its events are what can be exported. */
const CHECK_EXPORTS = EXPORT_CHOICES.filter((c) => c.format === 'text' || c.format === 'json');

const DOMAIN_VERDICTS = new Set<string>(['deliverable', 'degraded', 'undeliverable', 'no_mail', 'dns_failure', 'cancelled']);

function verdictBanner(r: CheckResult): { tone: BadgeTone; headline: string } {
  if (DOMAIN_VERDICTS.has(r.verdict)) return { tone: domainTone(r.verdict as DomainVerdictKind), headline: domainHeadline(r.verdict as DomainVerdictKind) };
  if (r.verdict === 'relay_ok') return { tone: 'ok', headline: 'A way out works' };
  if (r.verdict === 'relay_fail') return { tone: 'error', headline: 'No way out works' };
  return { tone: 'error', headline: 'The check could not run' };
}

/**
 * One past check (MX health of a domain, or the relay probe): the verdict, the egress diagnosis and the
 * matrix exactly as they were, and the log and waterfall of each address, with Export and Delete.
 */
export function CheckDetailView({ detail, onDelete }: { detail: HistoryDetail; onDelete: (id: string) => Promise<string | undefined> }) {
  const { entry } = detail;
  const when = formatWhen(entry.startedAt);
  const s = statusView(entry);
  const past = useMemo(() => pastCheck(detail.events), [detail.events]);
  const [row, setRow] = useState<number | undefined>(undefined);
  const [status, setStatus] = useState<{ text: string; error: boolean }>({ text: '', error: false });
  const [confirming, setConfirming] = useState(false);
  const keepRef = useRef<HTMLButtonElement>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);
  const r = past.result;
  const check = entry.check;

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

  const banner = r ? verdictBanner(r) : undefined;
  return (
    <article className="history-detail check-detail" aria-labelledby={`history-h-${entry.id}`}>
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
            <dt>Hosts</dt>
            <dd>{check ? checkCountText({ ...check, cancelled: entry.status === 'cancelled' }) : '—'}</dd>
          </div>
          <div>
            <dt>Events</dt>
            <dd className="num">
              {entry.eventCount} <span className="muted">({formatBytes(entry.sizeBytes)})</span>
            </dd>
          </div>
        </dl>
        <p className="history-envelope-line muted">A check connects, reads the banner, EHLO and STARTTLS, then QUIT: no mail was sent.</p>
        <div className="history-actions" role="toolbar" aria-label="Check actions">
          <ExportMenu sessionId={entry.id} choices={CHECK_EXPORTS} onStatus={(text, error = false) => setStatus({ text, error })} />
          <button ref={deleteRef} type="button" className="button-danger" disabled={entry.status === 'running' || confirming} onClick={() => setConfirming(true)}>
            Delete…
          </button>
          <span className={`history-action-status${status.error ? ' is-error' : ''}`} role={status.error ? 'alert' : 'status'}>
            {status.text}
          </span>
        </div>
        {confirming ? (
          <DeleteConfirm id={entry.id} question="Delete this check and its transcripts from the history? This cannot be undone." keepRef={keepRef} deleteRef={deleteRef} onConfirm={() => void confirmDelete()} onClose={() => setConfirming(false)} />
        ) : null}
      </header>
      <div className="check-detail-body">
        {r && banner ? (
          <Banner tone={banner.tone} headline={banner.headline} data={{ 'data-check-verdict': r.verdict }}>
            <p className="banner-detail health-summary">
              <EscapedText text={r.summary} />
            </p>
          </Banner>
        ) : (
          <Banner tone={entry.status === 'running' ? 'info' : 'warn'} headline={s.label} data={{ 'data-check-verdict': entry.status }}>
            <p className="banner-detail">{s.detail}</p>
            {past.rows.length > 0 ? <p className="banner-reference">The addresses that finished before it stopped are shown below.</p> : null}
          </Banner>
        )}
        {r?.egress && r.rows.length > 0 ? (
          <Banner tone={egressTone(r.egress.kind)} headline={egressHeadline(r.egress.kind, r.rows[0]?.port ?? 25)} className="health-egress" data={{ 'data-egress': r.egress.kind }}>
            <p className="banner-detail">
              <EscapedText text={r.egress.message} />
            </p>
            {r.egress.advice ? <p className="banner-reference">{r.egress.advice}</p> : null}
          </Banner>
        ) : null}
        {past.rows.length > 0 ? (
          <>
            <HealthMatrix rows={past.rows} label={`${entry.target} (from History)`} onOpenLog={setRow} />
            <AddressPicker rows={past.rows} current={row} onPick={setRow} />
          </>
        ) : null}
        {r?.skipped && r.skipped.length > 0 ? (
          <ul className="health-skipped muted">
            {r.skipped.map((x) => (
              <li key={x}>
                <EscapedText text={x} />
              </li>
            ))}
          </ul>
        ) : null}
        {row !== undefined && past.rows[row] ? <PastProbeLog key={row} row={past.rows[row]} events={past.streams[row] ?? []} idBase={`check-${entry.id}-${row}`} /> : null}
      </div>
    </article>
  );
}

function rowName(r: MatrixRow): string {
  return `${r.host} (${r.family === 6 ? `[${r.address}]` : r.address}:${r.port})`;
}

/** Which address's log to show (the matrix also opens one with Enter or a double click). */
function AddressPicker({ rows, current, onPick }: { rows: MatrixRow[]; current: number | undefined; onPick: (row: number | undefined) => void }) {
  return (
    <p className="check-address-picker">
      <label>
        Log of{' '}
        <select value={current === undefined ? '' : String(current)} onChange={(e) => onPick(e.target.value === '' ? undefined : Number(e.target.value))}>
          <option value="">choose an address…</option>
          {rows.map((r, i) => (
            <option key={`${r.host}-${r.address}-${r.port}`} value={String(i)}>
              {rowName(r)}
            </option>
          ))}
        </select>
      </label>
    </p>
  );
}

type Tab = 'log' | 'waterfall';
const TABS: Array<{ id: Tab; label: string }> = [
  { id: 'log', label: 'Probe log' },
  { id: 'waterfall', label: 'Waterfall' },
];

/** One address's probe, folded exactly as a send (renderer/session/), read-only. */
function PastProbeLog({ row, events, idBase }: { row: MatrixRow; events: SessionEvent[]; idBase: string }) {
  const view = useMemo(() => foldSessionEvents(emptySessionView(events[0]?.sessionId ?? 'probe'), events), [events]);
  const [tab, setTab] = useState<Tab>('log');
  return (
    <section className="check-probe-log" aria-label={`Probe of ${rowName(row)}`}>
      <h3 className="check-probe-title mono">
        <EscapedText text={rowName(row)} />
      </h3>
      {events.length === 0 ? (
        <p className="muted">No events were kept for this address.</p>
      ) : (
        <SessionTabs tabs={TABS} current={tab} onChange={setTab} idBase={idBase} label="Probe views">
          {tab === 'log' ? <SessionLog view={view} follow={false} /> : <WaterfallView view={view} />}
        </SessionTabs>
      )}
    </section>
  );
}
