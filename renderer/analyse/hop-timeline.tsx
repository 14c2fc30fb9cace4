import type { HopTimeline } from '../../shared/analyse/types';
import { formatDuration } from '../../shared/analyse/mail-date';
import { Badge } from '../components/badge';
import { EscapedText } from '../components/escaped-text';
import { delayText, timeText, tlsLabel } from './analyse-view';

const FLAG_WORDS: Record<string, string> = {
  'negative-delay': 'clock skew',
  future: 'in the future',
  'bad-date': 'bad date',
  'no-date': 'no date',
};

/** The Received: chain, oldest hop first: who handed the message to whom, with what, how fast, and TLS. */
export function HopTimelineView({ timeline }: { timeline: HopTimeline }) {
  const longest = Math.max(1, ...timeline.hops.map((h) => Math.abs(h.delayMs ?? 0)));
  const transit = timeline.transitMs === undefined ? '' : `, ${formatDuration(timeline.transitMs)} in transit`;
  return (
    <section className="pane analyse-hops" aria-labelledby="analyse-hops-heading">
      <h2 id="analyse-hops-heading" className="pane-title">
        Hops: {timeline.totalReceived} Received header{timeline.totalReceived === 1 ? '' : 's'}
        {transit}
      </h2>
      {timeline.hops.length === 0 ? (
        <p className="analyse-empty">No Received: headers: the message did not pass through a server, or they were removed.</p>
      ) : (
        <ol className="hop-list">
          {timeline.hops.map((h) => {
            const tls = tlsLabel(h.tls);
            const skew = h.flags.includes('negative-delay') || h.flags.includes('future');
            const width = `${Math.max(2, Math.round((Math.abs(h.delayMs ?? 0) / longest) * 100))}%`;
            return (
              <li key={h.index} className="hop" data-hop={h.index} data-tls={h.tls.state} data-skew={skew ? 'yes' : 'no'}>
                <span className="hop-index" aria-label={`Hop ${h.index}`}>
                  {h.index}
                </span>
                <div className="hop-main">
                  <div className="hop-route">
                    <span className="hop-by mono">
                      <EscapedText text={h.by ?? '(no by)'} />
                    </span>
                    <span className="hop-arrow" aria-hidden="true">
                      ←
                    </span>
                    <span className="hop-from mono">
                      <EscapedText text={h.from ?? '(no from)'} />
                    </span>
                  </div>
                  <div className="hop-meta">
                    <Badge tone={tls.tone} title={h.tls.evidence}>
                      {tls.text}
                    </Badge>
                    {h.tls.cipher ? <span className="mono muted">{h.tls.cipher}</span> : null}
                    {h.with ? (
                      <span className="muted">
                        with <EscapedText text={h.with} />
                      </span>
                    ) : null}
                    {h.id ? (
                      <span className="muted">
                        id <EscapedText text={h.id} className="mono" />
                      </span>
                    ) : null}
                    {h.for ? (
                      <span className="muted">
                        for <EscapedText text={h.for} className="mono" />
                      </span>
                    ) : null}
                    {h.flags.map((f) => (
                      <Badge key={f} tone="warn">
                        {FLAG_WORDS[f] ?? f}
                      </Badge>
                    ))}
                  </div>
                </div>
                <div className="hop-time">
                  <span className={`hop-delay${skew ? ' hop-delay-skew' : ''}`}>{delayText(h.delayMs)}</span>
                  <span className="hop-bar" aria-hidden="true">
                    <span style={{ width }} className={skew ? 'hop-bar-skew' : undefined} />
                  </span>
                  <span className="muted hop-date">
                    <EscapedText text={timeText(h.time, h.dateText)} />
                  </span>
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {timeline.notes.length > 0 ? (
        <ul className="analyse-notes">
          {timeline.notes.map((n, i) => (
            <li key={i}>
              <EscapedText text={n} />
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
