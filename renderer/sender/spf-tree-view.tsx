import type { SpfNode } from '../../shared/sender-auth/types';
import { OUTCOME_LABEL } from './sender-view';

/** One record of the SPF evaluation tree; includes and redirects open below their term (collapsible). */
export function SpfTreeView({ node, depth = 0 }: { node: SpfNode; depth?: number }) {
  return (
    <div className="spf-node">
      <div className="spf-record">
        <span className="spf-domain mono">{node.domain}</span> <span className="mono spf-record-text">{node.record ?? '(no SPF record)'}</span>
        {node.loop ? <span className="badge badge-error">loop: evaluated higher up</span> : null}
        {node.problem ? <span className="spf-problem">{node.problem}</span> : null}
      </div>
      <ul className="spf-terms">
        {node.terms.map((t, i) => (
          <li key={i} className={`spf-term spf-${t.outcome}`}>
            <span className={`spf-outcome badge ${t.outcome === 'match' ? 'badge-ok' : t.outcome === 'error' ? 'badge-error' : t.outcome === 'not-reached' ? 'spf-badge-muted' : 'badge-info'}`}>{OUTCOME_LABEL[t.outcome]}</span>{' '}
            <span className="mono">{t.text}</span>
            {t.countsLookup ? <span className="spf-cost"> · 1 lookup</span> : null}
            {t.lookups.filter((l) => l.query.type !== 'TXT').length > 0 ? (
              <span className="spf-lookups mono">
                {' '}
                {t.lookups
                  .filter((l) => l.query.type !== 'TXT')
                  .map((l) => `${l.query.type} ${l.query.name} → ${l.void ? 'void' : l.query.status === 'ok' ? l.values.join(', ') : l.query.status}`)
                  .join('; ')}
              </span>
            ) : null}
            {t.child ? (
              <details className="spf-child" open={depth < 3}>
                <summary>{t.mechanism === 'redirect' ? 'redirected to' : 'included'} {t.child.domain}</summary>
                <SpfTreeView node={t.child} depth={depth + 1} />
              </details>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
