import type { BounceReport } from '../../shared/analyse/types';
import { Badge } from '../components/badge';
import { EscapedText } from '../components/escaped-text';
import { STAGE_LABELS } from './analyse-view';

const FORMAT_WORDS: Record<BounceReport['format'], string> = {
  rfc3464: 'RFC 3464 delivery status',
  postfix: 'Postfix',
  exim: 'Exim',
  qmail: 'qmail',
  sendmail: 'Sendmail',
  exchange: 'Microsoft 365 / Exchange',
  gmail: 'Gmail',
  text: 'plain text',
};

/** A bounce read out: who refused, at which stage, the code explained, the server's words, what to do. */
export function BounceSection({ bounce }: { bounce: BounceReport }) {
  return (
    <section className="pane analyse-bounce" aria-labelledby="analyse-bounce-heading">
      <h2 id="analyse-bounce-heading" className="pane-title">
        Bounce: {FORMAT_WORDS[bounce.format]}
        {bounce.reportingMta ? (
          <>
            , reported by <EscapedText text={bounce.reportingMta} />
          </>
        ) : null}
      </h2>
      <div className="bounce-body">
        {bounce.recipients.length === 0 ? <p className="muted">No failed recipient could be read from this bounce.</p> : null}
        {bounce.recipients.map((r, i) => {
          const failed = r.action !== 'delivered' && r.action !== 'relayed' && r.action !== 'expanded';
          const temporary = r.action === 'delayed' || r.status?.startsWith('4.');
          return (
            <article key={i} className="bounce-recipient" data-recipient={r.recipient} aria-label={`Recipient ${r.recipient}`}>
              <div className="bounce-head">
                <span className="mono bounce-address">
                  <EscapedText text={r.recipient} />
                </span>
                <Badge tone={!failed ? 'ok' : temporary ? 'warn' : 'error'}>{r.action ?? (temporary ? 'delayed' : 'failed')}</Badge>
                {r.status ? <Badge tone={temporary ? 'warn' : 'error'}>{r.status}</Badge> : null}
              </div>
              <dl className="bounce-facts">
                <div>
                  <dt>Refused by</dt>
                  <dd className="mono">
                    <EscapedText text={r.remoteMta ?? bounce.reportingMta ?? 'not named'} />
                  </dd>
                </div>
                <div>
                  <dt>Stage</dt>
                  <dd data-stage={r.stage}>{STAGE_LABELS[r.stage]}</dd>
                </div>
                {r.statusExplanation ? (
                  <div>
                    <dt>Status</dt>
                    <dd>
                      <EscapedText text={r.statusExplanation} />
                    </dd>
                  </div>
                ) : null}
                {r.diagnostic ? (
                  <div>
                    <dt>Server said</dt>
                    <dd className="mono bounce-diagnostic">
                      <EscapedText text={r.diagnostic} />
                    </dd>
                  </div>
                ) : null}
                {r.willRetryUntil ? (
                  <div>
                    <dt>Retried until</dt>
                    <dd>
                      <EscapedText text={r.willRetryUntil} />
                    </dd>
                  </div>
                ) : null}
              </dl>
              <p className="bounce-todo">
                <strong>What to do:</strong> <EscapedText text={r.whatToDo} />
              </p>
            </article>
          );
        })}
        {bounce.originalHeaders && bounce.originalHeaders.length > 0 ? (
          <details className="bounce-original">
            <summary>Headers of the returned message ({bounce.originalHeaders.length})</summary>
            <dl className="bounce-facts">
              {bounce.originalHeaders.map((h, i) => (
                <div key={i}>
                  <dt className="mono">
                    <EscapedText text={h.name} />
                  </dt>
                  <dd className="mono">
                    <EscapedText text={h.value} />
                  </dd>
                </div>
              ))}
            </dl>
          </details>
        ) : null}
      </div>
    </section>
  );
}
