import { Fragment } from 'react';
import type { ReactNode } from 'react';
import type { AddressRecord, MxHostView } from '../../shared/model';
import { Badge } from '../components/badge';
import { EscapedText } from '../components/escaped-text';
import { HostName } from './host-name';
import { DnssecBadge } from './dnssec-badge';
import { addressFlagDescription, addressFlagLabel, describeTtl, formatTtl, isWarningFlag, warningView } from './view-model';

/** One row per address (at least one row per host); the host and warning cells span them. */
export function rowCount(host: MxHostView): number {
  return Math.max(1, host.addresses.length);
}

export function HostRows({ host, prefCell }: { host: MxHostView; prefCell: ReactNode }) {
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
        <AddressCells record={first} dnssec={host.addressDnssec} />
        {notesCell}
      </tr>
      {host.addresses.slice(1).map((a, i) => (
        <tr key={`${a.address}-${i}`}>
          <AddressCells record={a} dnssec={host.addressDnssec} />
        </tr>
      ))}
    </>
  );
}

function AddressCells({ record, dnssec }: { record: AddressRecord | undefined; dnssec: MxHostView['addressDnssec'] }) {
  if (!record) {
    return (
      <>
        <td className="col-type muted">—</td>
        <td className="col-addr muted">no address</td>
        <td className="col-ttl muted">—</td>
        <td className="col-dnssec muted">—</td>
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
      <td className="col-dnssec">
        <DnssecBadge status={dnssec?.[record.family === 6 ? 'AAAA' : 'A']} what={`${record.family === 6 ? 'AAAA' : 'A'} record set`} />
      </td>
    </>
  );
}
