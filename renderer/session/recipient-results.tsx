import { Badge } from '../components/badge';
import { EscapedText } from '../components/escaped-text';
import { formatLatency } from './log-rows';
import type { Attempt, RecipientResult } from './session-view';

const MAX_SHOWN = 50;

/** What each RCPT TO got: accepted or refused, with the server's code and words (the first 50; all in the log). */
export function RecipientResults({ recipients }: { recipients: RecipientResult[] }) {
  if (recipients.length === 0) return null;
  const accepted = recipients.filter((r) => r.accepted).length;
  const shown = recipients.length > MAX_SHOWN ? recipients.slice(0, MAX_SHOWN) : recipients;
  return (
    <table className="grid result-table">
      <caption className="pane-caption">
        Recipients: {accepted} accepted{recipients.length > accepted ? `, ${recipients.length - accepted} not` : ''}
        {recipients.length > MAX_SHOWN ? ` (first ${MAX_SHOWN} shown; every one is in the log)` : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">Recipient</th>
          <th scope="col">Result</th>
          <th scope="col">Server said</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((r) => (
          <tr key={r.rcpt}>
            <td className="mono">
              <EscapedText text={r.rcpt} />
            </td>
            <td>{r.accepted ? <Badge tone="ok">accepted</Badge> : <Badge tone={r.code >= 500 ? 'error' : 'warn'}>{r.code >= 500 ? 'refused' : 'deferred'}</Badge>}</td>
            <td className="mono">
              {r.code} <EscapedText text={r.text} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Every host and address tried, in order, and why each was left (RFC 5321 §5.1). */
export function AttemptList({ attempts }: { attempts: Attempt[] }) {
  if (attempts.length === 0) return null;
  return (
    <table className="grid attempt-table">
      <caption className="pane-caption">Servers tried {attempts.length > 1 ? `(${attempts.length}; fell back ${attempts.length - 1}×)` : ''}</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Host</th>
          <th scope="col">Address</th>
          <th scope="col">Result</th>
        </tr>
      </thead>
      <tbody>
        {attempts.map((a, i) => (
          <tr key={`${a.address}-${a.port}-${i}`} className={`attempt-${a.state}`}>
            <td className="num">{i + 1}</td>
            <td className="mono">
              <EscapedText text={a.host} />
            </td>
            <td className="mono">
              {a.family === 6 ? `[${a.address}]` : a.address}:{a.port}
            </td>
            <td>
              {a.state === 'connected' ? (
                <Badge tone="ok">connected {formatLatency(a.ms)}</Badge>
              ) : a.state === 'trying' ? (
                <Badge tone="info">trying…</Badge>
              ) : (
                <>
                  <Badge tone="warn">left</Badge> <EscapedText text={a.error ?? 'failed'} />
                  {a.next ? (
                    <span className="muted">
                      {' '}
                      → next: <EscapedText text={a.next} />
                    </span>
                  ) : null}
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
