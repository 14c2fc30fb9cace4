import { Fragment } from 'react';
import type { ReactNode } from 'react';
import type { AddressRecord, MxHostView } from '../../shared/model';
import { Badge } from '../components/badge';
import { EscapedText } from '../components/escaped-text';
import { HostName } from './host-name';
import { addressFlagDescription, addressFlagLabel, describeTtl, formatTtl, groupByPreference, isWarningFlag, warningView } from './view-model';

/**
 * The MX set: one tbody per preference, so hosts that tie are boxed together and share one preference
 * cell; one row per address, so A and AAAA records line up in columns with their TTLs.
 */
export function HostTable({ hosts }: { hosts: MxHostView[] }) {
  const groups = groupByPreference(hosts);
  return (
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
  );
}

function rowCount(host: MxHostView): number {
  return Math.max(1, host.addresses.length);
}

function HostRows({ host, prefCell }: { host: MxHostView; prefCell: ReactNode }) {
  const rows = rowCount(host);
  const first: AddressRecord | undefined = host.addresses[0];
  const hostCells = (
    <>
      <th scope="row" rowSpan={rows} className="col-host host-cell">
        <HostName ascii={host.exchange} unicode={host.exchangeUnicode} />
        {host.ttl !== undefined ? <span className="host-ttl">MX TTL {formatTtl(host.ttl)}</span> : null}
      </th>
    </>
  );
  const notesCell = (
    <td rowSpan={rows} className="col-notes">
      {host.warnings.length === 0 ? (
        <span className="muted">—</span>
      ) : (
        <ul className="warning-list">
          {host.warnings.map((w) => {
            const view = warningView(w, host);
            return (
              <li key={w}>
                <Badge tone={view.tone} title={view.explanation}>
                  {view.label}
                </Badge>
                <span className="warning-text">{view.explanation}</span>
              </li>
            );
          })}
        </ul>
      )}
    </td>
  );
  return (
    <>
      <tr className="host-first-row" data-host={host.exchange}>
        {prefCell}
        {hostCells}
        <AddressCells record={first} />
        {notesCell}
      </tr>
      {host.addresses.slice(1).map((a, i) => (
        <tr key={`${a.address}-${i}`}>
          <AddressCells record={a} />
        </tr>
      ))}
    </>
  );
}

function AddressCells({ record }: { record: AddressRecord | undefined }) {
  if (!record) {
    return (
      <>
        <td className="col-type muted">—</td>
        <td className="col-addr muted">no address</td>
        <td className="col-ttl muted">—</td>
      </>
    );
  }
  return (
    <>
      <td className="col-type">{record.family === 6 ? 'AAAA' : 'A'}</td>
      <td className="col-addr">
        <EscapedText text={record.address} className="mono" />
        {record.flags.map((f) => (
          <Fragment key={f}>
            {' '}
            <span className={isWarningFlag(f) ? 'addr-flag addr-flag-warn' : 'addr-flag'} title={addressFlagDescription(f)}>
              {addressFlagLabel(f)}
            </span>
          </Fragment>
        ))}
      </td>
      <td className="col-ttl num" title={describeTtl(record.ttl)}>
        {formatTtl(record.ttl)}
      </td>
    </>
  );
}
