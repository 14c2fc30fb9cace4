import { useState } from 'react';
import type { SenderCheckReport } from '../../shared/sender-auth/types';
import { useApi } from '../api-context';
import { Field } from '../components/field';
import { dmarcTone, gaugeTone, spfTone } from './sender-view';
import { SpfTreeView } from './spf-tree-view';

export interface SenderCheckInput {
  mailFrom: string;
  from: string;
  /** Where the mail goes (relay host or the recipients' domain): the outgoing address is found from it. */
  target: string;
  helo: string;
  dkimDomain?: string;
  dkimSelector?: string;
  resolver: string;
}

/**
 * "Will it pass?": SPF of the MAIL FROM domain for this machine's outgoing address (or one typed here), the
 * lookup gauge, DMARC of the From domain with its alignment table, and the verdict on top.
 */
export function SenderCheckPanel({ input }: { input: SenderCheckInput }) {
  const api = useApi();
  const [ip, setIp] = useState('');
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<SenderCheckReport | undefined>();
  const [error, setError] = useState<string | undefined>();

  async function check() {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api.checkSender({
        mailFrom: input.mailFrom,
        from: input.from,
        ...(ip.trim() ? { ip: ip.trim() } : { target: input.target }),
        ...(input.helo ? { helo: input.helo } : {}),
        ...(input.dkimDomain ? { dkimDomain: input.dkimDomain } : {}),
        ...(input.dkimDomain && input.dkimSelector ? { dkimSelector: input.dkimSelector } : {}),
        ...(input.resolver ? { resolver: input.resolver } : {}),
      });
      if (r.ok) setReport(r.value);
      else {
        setReport(undefined);
        setError(r.error.message);
      }
    } finally {
      setBusy(false);
    }
  }

  const spf = report?.spf;
  const dmarc = report?.dmarc;
  return (
    <div className="sender-check">
      <div className="sender-check-bar">
        <Field label="Outgoing address" hint={input.target ? `empty: this machine's address towards ${input.target}` : 'the address receivers will see'}>
          {(p) => <input {...p} type="text" className="mono" value={ip} placeholder="auto" spellCheck={false} onChange={(e) => setIp(e.target.value)} />}
        </Field>
        <button type="button" onClick={() => void check()} disabled={busy || !input.mailFrom}>
          {busy ? 'Checking…' : 'Check sender'}
        </button>
      </div>
      {error ? (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      ) : null}
      {report && spf && dmarc ? (
        <div className="sender-report" aria-live="polite">
          <p className={`banner ${report.passes ? 'banner-ok' : 'banner-error'} sender-verdict`}>{report.verdict}</p>
          <h3 className="sender-h">
            SPF <span className={`badge badge-${spfTone(spf.result)}`}>{spf.result}</span> <span className="mono">{spf.domain}</span> for <span className="mono">{spf.ip}</span>
            <span className="muted"> ({spf.ipSource === 'route' ? 'found from the route' : 'as typed'})</span>
          </h3>
          <p className="sender-explain">{spf.explanation}</p>
          <div className="gauge-row">
            <label className="gauge">
              DNS lookups {spf.lookupCount} of {spf.lookupLimit}
              <meter className={`gauge-${gaugeTone(spf.lookupCount, spf.lookupLimit)}`} min={0} max={spf.lookupLimit + 1} low={spf.lookupLimit - 2} high={spf.lookupLimit} optimum={0} value={Math.min(spf.lookupCount, spf.lookupLimit + 1)} />
            </label>
            <label className="gauge">
              Void lookups {spf.voidCount} of {spf.voidLimit}
              <meter min={0} max={spf.voidLimit + 1} low={spf.voidLimit} high={spf.voidLimit + 1} optimum={0} value={Math.min(spf.voidCount, spf.voidLimit + 1)} />
            </label>
          </div>
          {spf.tree ? (
            <details className="spf-tree" open>
              <summary>Evaluation tree</summary>
              <SpfTreeView node={spf.tree} />
            </details>
          ) : null}
          <h3 className="sender-h">
            DMARC <span className={`badge badge-${dmarcTone(dmarc.result)}`}>{dmarc.result}</span> <span className="mono">{dmarc.fromDomain}</span>
            <span className="muted"> (organizational domain {dmarc.organizationalDomain})</span>
          </h3>
          <p className="sender-explain">{dmarc.explanation}</p>
          {dmarc.record ? (
            <p className="mono dmarc-record">
              {dmarc.record.foundAt}: {dmarc.record.raw}
            </p>
          ) : null}
          {dmarc.alignment.length > 0 ? (
            <table className="dmarc-table">
              <caption className="visually-hidden">Identifier alignment</caption>
              <thead>
                <tr>
                  <th scope="col">Identifier</th>
                  <th scope="col">Domain</th>
                  <th scope="col">Mode</th>
                  <th scope="col">Aligned</th>
                  <th scope="col">Counts</th>
                </tr>
              </thead>
              <tbody>
                {dmarc.alignment.map((a) => (
                  <tr key={a.mechanism} title={a.explanation}>
                    <th scope="row">{a.mechanism === 'spf' ? 'SPF (MAIL FROM)' : 'DKIM (d=)'}</th>
                    <td className="mono">{a.domain ?? '—'}</td>
                    <td>{a.mode}</td>
                    <td>{a.aligned ? 'yes' : 'no'}</td>
                    <td>
                      <span className={`badge ${a.aligned && a.authenticated ? 'badge-ok' : 'badge-error'}`}>{a.aligned && a.authenticated ? 'pass' : 'no'}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {report.dkimKey ? (
            <p className="sender-explain dkim-key-check">
              <span className={`badge ${report.dkimKey.found ? 'badge-ok' : 'badge-error'}`}>{report.dkimKey.found ? 'key published' : 'no key'}</span> {report.dkimKey.explanation}
            </p>
          ) : null}
          <p className="sender-disposition">{dmarc.disposition}</p>
          <details className="sender-queries">
            <summary>
              {spf.queries.length + dmarc.queries.length} DNS questions via {report.resolver}, {report.elapsedMs} ms
            </summary>
            <ol className="mono">
              {[...spf.queries, ...dmarc.queries].map((q, i) => (
                <li key={i}>
                  {q.type} {q.name} → {q.status}
                  {q.ttl !== undefined ? `, TTL ${q.ttl}` : ''}, {q.ms} ms
                </li>
              ))}
            </ol>
          </details>
        </div>
      ) : null}
    </div>
  );
}
