import type { MxReport } from '../../shared/model';
import { EscapedText } from '../components/escaped-text';
import { HostTable } from './host-table';
import { HostName } from './host-name';
import { QueryTable } from './query-table';
import { DnssecNote, MxSetFacts } from './dnssec-badge';
import { formatMs, resolverLabel } from './view-model';

/** Everything below the verdict: the domain, who answered and how fast, the hosts and the queries. */
export function ReportView({ report }: { report: MxReport }) {
  return (
    <div className="report">
      <dl className="facts" aria-label="Lookup facts">
        <div>
          <dt>Domain</dt>
          <dd>
            <HostName ascii={report.domain} unicode={report.domainUnicode} />
          </dd>
        </div>
        <div>
          <dt>Resolver</dt>
          <dd>
            <EscapedText text={resolverLabel(report.resolver)} className="mono" />
          </dd>
        </div>
        <div>
          <dt>Round trips</dt>
          <dd className="num">{report.roundTrips}</dd>
        </div>
        <div>
          <dt>Queries</dt>
          <dd className="num">{report.queries.length}</dd>
        </div>
        <div>
          <dt>Total time</dt>
          <dd className="num">{formatMs(report.elapsedMs)}</dd>
        </div>
        <MxSetFacts report={report} />
      </dl>
      <DnssecNote report={report} />
      {report.hosts.length > 0 ? (
        <section className="pane" aria-labelledby="mx-hosts-heading">
          <h2 id="mx-hosts-heading" className="pane-title">
            {report.verdict === 'implicit_mx' ? 'Implicit MX host' : 'MX hosts by preference'}
          </h2>
          <HostTable hosts={report.hosts} />
        </section>
      ) : null}
      {report.queries.length > 0 ? (
        <section className="pane" aria-labelledby="mx-queries-heading">
          <h2 id="mx-queries-heading" className="pane-title">
            DNS queries
          </h2>
          <QueryTable queries={report.queries} />
        </section>
      ) : null}
    </div>
  );
}
