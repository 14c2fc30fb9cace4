import { describeTlsa } from '../../shared/dane';
import type { MxPolicyView } from '../../shared/policy-model';
import { EscapedText } from '../components/escaped-text';
import { DnssecBadge } from './dnssec-badge';
import { PolicyVerdictView } from './policy-verdict';

/** At most this many TLSA records per host are listed (a hostile zone may hold hundreds). */
const MAX_TLSA_SHOWN = 8;

function TlsaList({ host }: { host: MxPolicyView }) {
  if (host.tlsa.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="policy-tlsa">
      {host.tlsa.slice(0, MAX_TLSA_SHOWN).map((r, i) => (
        <li key={i}>
          <span className="policy-tlsa-kind">{describeTlsa(r)}</span>{' '}
          <code className="policy-tlsa-data" title={r.data.slice(0, 512)}>
            <EscapedText text={r.data.length > 16 ? `${r.data.slice(0, 16)}…` : r.data} />
          </code>
        </li>
      ))}
      {host.tlsa.length > MAX_TLSA_SHOWN ? <li className="muted">and {host.tlsa.length - MAX_TLSA_SHOWN} more</li> : null}
    </ul>
  );
}

/** DANE and MTA-STS per MX host: DNSSEC of its addresses and TLSA, the TLSA records parsed, each verdict. */
export function PolicyHostTable({ hosts, policy }: { hosts: MxPolicyView[]; policy: boolean }) {
  return (
    <table className="grid policy-hosts" aria-label="Policies per MX host">
      <thead>
        <tr>
          <th scope="col">MX host</th>
          <th scope="col">DNSSEC</th>
          <th scope="col">TLSA records</th>
          <th scope="col">DANE</th>
          <th scope="col">MTA-STS</th>
        </tr>
      </thead>
      <tbody>
        {hosts.map((h) => (
          <tr key={h.host} data-host={h.host}>
            <th scope="row" className="policy-host">
              <span className="health-pref">{h.priority}</span> <EscapedText text={h.host} className="mono" />
            </th>
            <td>
              <dl className="policy-dnssec">
                <div>
                  <dt>A</dt>
                  <dd>
                    <DnssecBadge status={h.addressDnssec?.A} what={`A records of ${h.host}`} />
                  </dd>
                </div>
                <div>
                  <dt>AAAA</dt>
                  <dd>
                    <DnssecBadge status={h.addressDnssec?.AAAA} what={`AAAA records of ${h.host}`} />
                  </dd>
                </div>
                <div>
                  <dt>TLSA</dt>
                  <dd>
                    <DnssecBadge status={h.tlsaStatus} what={`TLSA records of ${h.host}`} />
                  </dd>
                </div>
              </dl>
            </td>
            <td>
              <TlsaList host={h} />
            </td>
            <td>
              <PolicyVerdictView v={h.dane} what="dane" />
            </td>
            <td>{h.mtaSts ? <PolicyVerdictView v={h.mtaSts} what="mta-sts" /> : <span className="muted">{policy ? '—' : 'no policy'}</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
