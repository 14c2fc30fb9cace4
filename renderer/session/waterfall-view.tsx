import { useMemo } from 'react';
import { EscapedText } from '../components/escaped-text';
import { formatLatency } from './log-rows';
import type { SessionView } from './session-view';
import { buildWaterfall, PHASE_LABEL } from './waterfall-model';
import type { SegmentKind, WaterfallBar } from './waterfall-model';

const SEGMENT_LABEL: Record<SegmentKind, string> = {
  dns: 'DNS',
  connect: 'TCP connect',
  network: 'network',
  server: 'server think time',
  transfer: 'reply transfer',
  tls: 'TLS handshake',
  failed: 'failed',
};

function ticks(span: number): number[] {
  if (span <= 0) return [0];
  const raw = span / 6;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = 0; t <= span + 1e-9; t += step) out.push(t);
  return out;
}

function pct(v: number, start: number, span: number): string {
  return `${(((v - start) / span) * 100).toFixed(3)}%`;
}

function barTitle(b: WaterfallBar): string {
  const parts = [`${PHASE_LABEL[b.phase]}: ${b.label}`, `${formatLatency(b.end - b.start)} total`];
  if (b.networkMs !== undefined) parts.push(`network ${formatLatency(b.networkMs)}`);
  if (b.thinkMs !== undefined) parts.push(`server ${formatLatency(b.thinkMs)}`);
  if (b.note) parts.push(b.note);
  return parts.join(' · ');
}

/**
 * The session on one time axis. Each exchange is split into network round trip (light) and server think
 * time (dark); a long server time before the banner is labelled a greet delay, after a command a tarpit.
 */
export function WaterfallView({ view }: { view: SessionView }) {
  const w = useMemo(() => buildWaterfall(view.rows, view.rowCount), [view.rows, view.rowCount]);
  if (w.bars.length === 0) return <p className="muted waterfall-empty">The waterfall appears once the session has timings.</p>;
  const span = Math.max(1, w.end - w.start);
  const axis = ticks(span);
  return (
    <section className="waterfall" aria-label="Waterfall">
      <div className="waterfall-summary">
        <p>
          {w.rttMs !== undefined ? (
            <>
              Network round trip ≈ <strong className="num">{formatLatency(w.rttMs)}</strong> <span className="muted">({w.rttSource})</span>.{' '}
            </>
          ) : null}
          Whole session <strong className="num">{formatLatency(span)}</strong>.
        </p>
        {w.notes.map((n, i) => (
          <p key={i} className="waterfall-note">
            {n.kind === 'delay' ? <span className="badge badge-warn">server delay</span> : <span className="badge badge-info">round trip</span>} <EscapedText text={n.text} />
          </p>
        ))}
        <ul className="waterfall-legend" aria-label="Legend">
          {(['dns', 'connect', 'network', 'server', 'transfer', 'tls', 'failed'] as SegmentKind[]).map((k) => (
            <li key={k}>
              <span className={`wf-swatch wf-${k}`} aria-hidden="true" />
              {SEGMENT_LABEL[k]}
            </li>
          ))}
        </ul>
      </div>
      <table className="waterfall-table">
        <thead>
          <tr>
            <th scope="col">Phase</th>
            <th scope="col">Step</th>
            <th scope="col" className="num">
              Network
            </th>
            <th scope="col" className="num">
              Server
            </th>
            <th scope="col" className="wf-axis-head">
              <span className="visually-hidden">Time line</span>
              <div className="wf-axis" aria-hidden="true">
                {axis.map((t) => (
                  <span key={t} className="wf-tick" style={{ left: pct(w.start + t, w.start, span) }}>
                    {formatLatency(t)}
                  </span>
                ))}
              </div>
            </th>
          </tr>
        </thead>
        <tbody>
          {w.bars.map((b) => (
            <tr key={b.id} className={`wf-row wf-phase-${b.phase}${b.flag ? ` wf-flag-${b.flag}` : ''}`}>
              <th scope="row" className="wf-phase">
                {PHASE_LABEL[b.phase]}
              </th>
              <td className="wf-label mono">
                <EscapedText text={b.label} />
                {b.code !== undefined ? <span className="muted"> → {b.code}</span> : null}
                {b.flag === 'greet-delay' ? <span className="badge badge-warn">greet delay</span> : null}
                {b.flag === 'tarpit' ? <span className="badge badge-warn">tarpit?</span> : null}
                {b.flag === 'failed' && b.note ? (
                  <span className="wf-note">
                    {' '}
                    <EscapedText text={b.note} />
                  </span>
                ) : null}
              </td>
              <td className="num">{b.networkMs !== undefined ? formatLatency(b.networkMs) : formatLatency(b.end - b.start)}</td>
              <td className="num">{b.thinkMs !== undefined ? formatLatency(b.thinkMs) : ''}</td>
              <td className="wf-track" title={barTitle(b)}>
                <div className="wf-lane" aria-hidden="true">
                  {b.segments.map((s, i) => (
                    <span key={i} className={`wf-seg wf-${s.kind}`} style={{ left: pct(s.start, w.start, span), width: pct(w.start + Math.max(s.end - s.start, span / 800), w.start, span) }} />
                  ))}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {w.omitted > 0 ? <p className="muted">{w.omitted} more exchanges are not drawn.</p> : null}
    </section>
  );
}
