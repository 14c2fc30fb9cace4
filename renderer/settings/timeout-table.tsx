import type { Timeouts } from '../../shared/model';
import type { TimeoutPreset } from '../../shared/store-model';
import { formatDuration } from '../history/history-format';

const ROWS: Array<{ key: keyof Timeouts; label: string }> = [
  { key: 'dnsMs', label: 'DNS query' },
  { key: 'connectMs', label: 'TCP connect' },
  { key: 'greetingMs', label: '220 greeting' },
  { key: 'commandMs', label: 'EHLO and other commands' },
  { key: 'mailMs', label: 'MAIL FROM' },
  { key: 'rcptMs', label: 'RCPT TO' },
  { key: 'dataStartMs', label: 'DATA (354)' },
  { key: 'dataBlockMs', label: 'each data block' },
  { key: 'dataEndMs', label: 'after the final dot' },
  { key: 'tlsMs', label: 'TLS handshake' },
  { key: 'quitMs', label: 'QUIT' },
];

/** The two presets side by side, the chosen one marked, so "quick" is not a mystery. */
export function TimeoutTable({ rfc, quick, chosen }: { rfc: Timeouts; quick: Timeouts; chosen: TimeoutPreset }) {
  return (
    <table className="grid lined timeout-table">
      <caption className="visually-hidden">Deadlines of the two timeout presets</caption>
      <thead>
        <tr>
          <th scope="col">Wait for</th>
          <th scope="col" className={`num${chosen === 'rfc' ? ' is-chosen' : ''}`}>
            RFC defaults
          </th>
          <th scope="col" className={`num${chosen === 'quick' ? ' is-chosen' : ''}`}>
            Quick diagnose
          </th>
        </tr>
      </thead>
      <tbody>
        {ROWS.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <td className={`num${chosen === 'rfc' ? ' is-chosen' : ''}`}>{formatDuration(rfc[r.key])}</td>
            <td className={`num${chosen === 'quick' ? ' is-chosen' : ''}`}>{formatDuration(quick[r.key])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
