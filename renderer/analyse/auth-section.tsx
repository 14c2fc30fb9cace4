import type { ArcChain, AuthResultsHeader, DkimReport } from '../../shared/analyse/types';
import { Badge } from '../components/badge';
import { EscapedText } from '../components/escaped-text';
import { resultTone } from './analyse-view';

function ResultRows({ header }: { header: AuthResultsHeader }) {
  return (
    <>
      {header.results.map((r, i) => (
        <tr key={i} data-method={r.method} data-result={r.result}>
          <th scope="row" className="mono">
            <EscapedText text={r.method} />
          </th>
          <td>
            <Badge tone={resultTone(r.result)}>
              <EscapedText text={r.result} />
            </Badge>
          </td>
          <td>
            <EscapedText text={r.explanation} />
            {r.comment ? (
              <span className="analyse-comment muted">
                {' '}
                (<EscapedText text={r.comment} />)
              </span>
            ) : null}
          </td>
        </tr>
      ))}
    </>
  );
}

/** Authentication-Results (RFC 8601), ARC (RFC 8617) and DKIM verified again now. */
export function AuthSection({ authResults, arc, dkim }: { authResults: AuthResultsHeader[]; arc: ArcChain; dkim: DkimReport }) {
  return (
    <section className="pane analyse-auth" aria-labelledby="analyse-auth-heading">
      <h2 id="analyse-auth-heading" className="pane-title">
        Authentication: SPF, DKIM, DMARC, ARC
      </h2>
      <div className="analyse-auth-body">
        <h3 className="section-title">DKIM verified again now</h3>
        {dkim.checks.length > 0 ? (
          <table className="grid analyse-table analyse-dkim">
            <thead>
              <tr>
                <th scope="col">Signature</th>
                <th scope="col">Result</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {dkim.checks.map((c, i) => (
                <tr key={i} data-dkim={c.domain} data-result={c.result}>
                  <th scope="row" className="mono">
                    <EscapedText text={`d=${c.domain} s=${c.selector}`} />
                  </th>
                  <td>
                    <Badge tone={resultTone(c.result)}>{c.reason ? `${c.result}: ${c.reason}` : c.result}</Badge>
                  </td>
                  <td>
                    <EscapedText text={c.explanation} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <p className="muted analyse-dkim-note">
          {dkim.note ? <EscapedText text={dkim.note} /> : null} Keys asked through <EscapedText text={dkim.resolver} className="mono" />.
        </p>
        {authResults.map((h, i) => (
          <div key={i} className="analyse-authres">
            <h3 className="section-title">
              Authentication-Results by <EscapedText text={h.authservId || '(no authserv-id)'} />
            </h3>
            {h.problem ? (
              <p className="field-error">
                <EscapedText text={h.problem} />
              </p>
            ) : null}
            {h.results.length > 0 ? (
              <table className="grid analyse-table">
                <thead>
                  <tr>
                    <th scope="col">Method</th>
                    <th scope="col">Result</th>
                    <th scope="col">What it means</th>
                  </tr>
                </thead>
                <tbody>
                  <ResultRows header={h} />
                </tbody>
              </table>
            ) : (
              <p className="muted">No checks were recorded (none).</p>
            )}
          </div>
        ))}
        {authResults.length === 0 ? <p className="muted">No Authentication-Results header: no receiving server recorded its checks.</p> : null}
        <h3 className="section-title">ARC chain</h3>
        <p data-arc={arc.claimed}>
          <Badge tone={arc.claimed === 'pass' ? 'ok' : arc.claimed === 'fail' ? 'error' : 'neutral'}>{arc.claimed === 'none' ? 'no ARC' : `as written: ${arc.claimed}`}</Badge>{' '}
          <EscapedText text={arc.explanation} />
        </p>
        {arc.verified ? (
          <p data-arc-verified={arc.verified.result}>
            <Badge tone={resultTone(arc.verified.result)}>verified now: {arc.verified.result}</Badge> <EscapedText text={arc.verified.explanation} />
          </p>
        ) : null}
        {arc.sets.map((s) => (
          <p key={s.instance} className="analyse-arc-set muted">
            i={s.instance}: sealed by <EscapedText text={s.sealDomain ?? '?'} className="mono" />, cv=<EscapedText text={s.chainValidation ?? '?'} />
            {s.authResults ? (
              <>
                ; saw {s.authResults.results.map((r) => `${r.method}=${r.result}`).join(', ') || 'nothing'}
              </>
            ) : null}
            {s.problems.length > 0 ? (
              <span className="field-error">
                {' '}
                <EscapedText text={s.problems.join(' ')} />
              </span>
            ) : null}
          </p>
        ))}
      </div>
    </section>
  );
}
