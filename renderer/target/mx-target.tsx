import { useEffect, useRef } from 'react';
import type { MxHostView } from '../../shared/model';
import { Badge } from '../components/badge';
import { EscapedText } from '../components/escaped-text';
import { ElapsedProgress } from '../components/progress';
import { HostName } from '../mx/host-name';
import { useMxLookup } from '../mx/use-mx-lookup';
import { verdictView } from '../mx/view-model';
import { firstTried } from './target-state';
import type { MxChoice } from './target-state';

/**
 * Direct to MX: the recipient domain's MX set, looked up through the same engine as the inspector, with the
 * host (and address) that will be tried first marked. One click on another host or address tries it first.
 */
export function MxTarget({
  domains,
  resolver,
  choice,
  onChoice,
}: {
  domains: string[];
  resolver: string;
  choice: MxChoice;
  onChoice: (c: MxChoice) => void;
}) {
  const { state, lookup, cancel } = useMxLookup();
  const domain = domains[0];
  const lastKey = useRef('');

  // Look the domain up as soon as it is known (debounced while typing).
  useEffect(() => {
    if (!domain) return;
    const key = `${domain}|${resolver}`;
    if (key === lastKey.current) return;
    const timer = window.setTimeout(() => {
      lastKey.current = key;
      void lookup(domain, resolver.trim() || undefined);
    }, 400);
    return () => window.clearTimeout(timer);
  }, [domain, resolver, lookup]);

  if (!domain) return <p className="muted target-note">Enter a recipient: its domain’s MX hosts appear here.</p>;

  const others = domains.slice(1);
  return (
    <div className="mx-target" aria-live="polite" aria-busy={state.phase === 'running'}>
      <div className="mx-target-head">
        <span>
          MX of <strong className="mono">{domain}</strong>
        </span>
        {state.phase === 'running' ? (
          <>
            <ElapsedProgress label="looking up" startedAt={state.startedAt} />
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" onClick={() => void lookup(domain, resolver.trim() || undefined)}>
            Look up again
          </button>
        )}
      </div>
      {others.length > 0 ? (
        <p className="muted target-note">
          Also {others.join(', ')}: each domain gets its own MX set and its own transaction.
        </p>
      ) : null}
      {state.phase === 'failed' ? (
        <p className="field-error">
          <EscapedText text={state.error.message} />
        </p>
      ) : null}
      {state.phase === 'done' ? <MxHostList hosts={state.report.hosts} headline={verdictView(state.report).headline} choice={choice} onChoice={onChoice} /> : null}
    </div>
  );
}

function MxHostList({ hosts, headline, choice, onChoice }: { hosts: MxHostView[]; headline: string; choice: MxChoice; onChoice: (c: MxChoice) => void }) {
  const first = firstTried(hosts, choice);
  if (hosts.length === 0) return <p className="target-note">{headline}</p>;
  return (
    <>
      <p className="target-note">
        Tried first:{' '}
        <strong className="mono">
          {first.host ? first.host.exchange : '?'}
          {first.address ? ` [${first.address}]` : ''}
        </strong>
        {first.tie ? <span className="muted"> (tied preference: the engine shuffles ties at send time, RFC 5321 §5.1)</span> : null}
        {choice.preferHost ? (
          <>
            {' '}
            <button type="button" className="link-button" onClick={() => onChoice({})}>
              use the normal order
            </button>
          </>
        ) : null}
      </p>
      <ol className="mx-choice-list">
        {hosts.map((h) => {
          const isFirst = first.host?.exchange === h.exchange;
          return (
            <li key={h.exchange} className={isFirst ? 'is-first' : undefined}>
              <div className="mx-choice-host">
                <span className="mx-pref num" title="preference">
                  {h.implicit ? 'implicit' : h.preference}
                </span>
                <HostName ascii={h.exchange} unicode={h.exchangeUnicode} />
                {isFirst ? <Badge tone="info">first</Badge> : null}
                {h.warnings.length > 0 ? <Badge tone="warn">{h.warnings.length} warning{h.warnings.length > 1 ? 's' : ''}</Badge> : null}
                {!isFirst || choice.preferAddress ? (
                  <button type="button" className="small-button" onClick={() => onChoice({ preferHost: h.exchange })} aria-label={`Try first: ${h.exchange}`}>
                    Try first
                  </button>
                ) : null}
              </div>
              {h.addresses.length > 0 ? (
                <ul className="mx-choice-addrs">
                  {h.addresses.map((a) => {
                    const picked = isFirst && first.address === a.address;
                    return (
                      <li key={a.address}>
                        <button
                          type="button"
                          className={`addr-button mono${picked ? ' is-picked' : ''}`}
                          aria-pressed={picked}
                          aria-label={`Try ${h.exchange} at ${a.address} first`}
                          onClick={() => onChoice({ preferHost: h.exchange, preferAddress: a.address })}
                        >
                          {a.address}
                        </button>
                      </li>
                    );
                  })}
                </ul>
              ) : (
                <span className="muted"> no address</span>
              )}
            </li>
          );
        })}
      </ol>
    </>
  );
}
