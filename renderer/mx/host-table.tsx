import type { MxHostView } from '../../shared/model';
import { HostRows, rowCount } from './host-rows';
import { groupByPreference } from './view-model';
import { WarningLegend } from './warning-legend';

/**
 * The MX set: one tbody per preference, so hosts that tie are boxed together and share one preference
 * cell; one row per address, so A and AAAA records line up in columns with their TTLs.
 */
export function HostTable({ hosts }: { hosts: MxHostView[] }) {
  const groups = groupByPreference(hosts);
  return (
    <>
      <table className="grid host-table" aria-label="MX hosts">
        <thead>
          <tr>
            <th scope="col" className="col-pref">
              Preference
            </th>
            <th scope="col" className="col-host">
              MX host
            </th>
            <th scope="col" className="col-type">
              Type
            </th>
            <th scope="col" className="col-addr">
              Address
            </th>
            <th scope="col" className="col-ttl">
              TTL
            </th>
            <th scope="col" className="col-dnssec">
              DNSSEC
            </th>
            <th scope="col" className="col-notes">
              Warnings
            </th>
          </tr>
        </thead>
        {groups.map((group, gi) => {
          const groupRows = group.hosts.reduce((n, h) => n + rowCount(h), 0);
          return (
            <tbody key={gi} className={group.tie ? 'pref-group tie' : 'pref-group'}>
              {group.hosts.map((host, hi) => (
                <HostRows
                  key={`${host.exchange}-${hi}`}
                  host={host}
                  prefCell={
                    hi === 0 ? (
                      <th scope="rowgroup" rowSpan={groupRows} className="col-pref pref-cell">
                        <span className="pref-value">{group.implicit ? 'implicit' : group.preference}</span>
                        {group.tie ? <span className="tie-hint">tie: tried in random order</span> : null}
                      </th>
                    ) : null
                  }
                />
              ))}
            </tbody>
          );
        })}
      </table>
      <WarningLegend hosts={hosts} />
    </>
  );
}
