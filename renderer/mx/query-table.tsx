import type { DnsQueryStat } from '../../shared/model';
import { Badge } from '../components/badge';
import { EscapedText } from '../components/escaped-text';
import { formatMs, formatTtl, resolverLabel, statusLabel, statusTone } from './view-model';
import { DnssecBadge } from './dnssec-badge';

const QUIET_STATUSES = new Set<DnsQueryStat['status']>(['ok', 'nodata', 'nxdomain']);

/** Every DNS query the lookup made, in the order the engine reports them, with its wall time. */
export function QueryTable({ queries }: { queries: DnsQueryStat[] }) {
  const slowest = queries.reduce((m, q) => Math.max(m, q.ms), 0);
  return (
    <table className="grid lined query-table" aria-label="DNS queries">
      <thead>
        <tr>
          <th scope="col" className="num">
            #
          </th>
          <th scope="col">Type</th>
          <th scope="col">Name</th>
          <th scope="col">Result</th>
          <th scope="col" className="num">
            TTL
          </th>
          <th scope="col">DNSSEC</th>
          <th scope="col">Resolver</th>
          <th scope="col" className="num">
            Time
          </th>
          <th scope="col" className="col-bar">
            <span className="visually-hidden">Time bar</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {queries.map((q, i) => (
          <tr key={i}>
            <td className="num muted">{i + 1}</td>
            <td className="mono">{q.type}</td>
            <td>
              <EscapedText text={q.name} className="mono" />
            </td>
            <td>
              <Badge tone={statusTone(q.status)} title={q.detail}>
                {statusLabel(q.status)}
              </Badge>
              {/* NXDOMAIN and "no records" say it all; for failures the resolver's own words help. */}
              {q.detail && !QUIET_STATUSES.has(q.status) ? (
                <span className="query-detail">
                  <EscapedText text={q.detail} />
                </span>
              ) : null}
            </td>
            <td className="num">{q.ttl !== undefined ? formatTtl(q.ttl) : '—'}</td>
            <td>
              <DnssecBadge status={q.dnssec} what={`${q.type} answer`} />
            </td>
            <td>
              <EscapedText text={resolverLabel(q.resolver)} className="mono" />
            </td>
            <td className="num">{formatMs(q.ms)}</td>
            <td className="col-bar" aria-hidden="true">
              <meter className="time-bar" min={0} max={Math.max(slowest, 1)} value={q.ms} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
