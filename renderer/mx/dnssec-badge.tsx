import type { DnssecStatus } from '../../shared/dns-types';
import type { MxReport } from '../../shared/model';
import { Badge } from '../components/badge';
import { EscapedText } from '../components/escaped-text';
import { dnssecView } from './dnssec-view';
import { formatTtl } from './view-model';

/** A small DNSSEC badge for one RRset; the tooltip and the hidden text say what the status means. */
export function DnssecBadge({ status, what }: { status: DnssecStatus | undefined; what: string }) {
  if (!status) return <span className="muted">—</span>;
  const view = dnssecView(status, what);
  return (
    <span className="dnssec-badge" data-dnssec={status}>
      <Badge tone={view.tone} title={view.sentence}>
        {view.label}
      </Badge>
      <span className="visually-hidden"> {view.sentence}</span>
    </span>
  );
}

/** The facts about the MX RRset itself: its TTL and its DNSSEC status. */
export function MxSetFacts({ report }: { report: MxReport }) {
  if (report.mxTtl === undefined && !report.dnssec) return null;
  return (
    <>
      {report.mxTtl !== undefined ? (
        <div>
          <dt>MX TTL</dt>
          <dd className="num">{formatTtl(report.mxTtl)}</dd>
        </div>
      ) : null}
      {report.dnssec ? (
        <div>
          <dt>MX DNSSEC</dt>
          <dd>
            <DnssecBadge status={report.dnssec.mx} what="MX set" />
          </dd>
        </div>
      ) : null}
    </>
  );
}

/** The report's DNSSEC sentence, said plainly when the resolver cannot judge DANE. */
export function DnssecNote({ report }: { report: MxReport }) {
  if (!report.dnssec) return null;
  const tone = report.dnssec.mx === 'bogus' ? 'error' : report.dnssec.validating ? 'ok' : 'warn';
  return (
    <p className={`dnssec-note dnssec-note-${tone}`} data-dnssec-note={report.dnssec.validating ? 'validating' : 'not-validating'}>
      <EscapedText text={report.dnssec.note} />
    </p>
  );
}
