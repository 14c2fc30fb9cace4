import type { MxReport } from '../../shared/model';
import { EscapedText } from '../components/escaped-text';
import { verdictView } from './view-model';

const ICONS = { ok: '✓', info: 'i', warn: '!', error: '✕', neutral: '–' } as const;

/** The verdict in plain words, first thing on screen. The live region around it announces it. */
export function VerdictBanner({ report }: { report: MxReport }) {
  const view = verdictView(report);
  return (
    <div className={`banner banner-${view.tone}`} data-verdict={report.verdict}>
      <span className="banner-icon" aria-hidden="true">
        {ICONS[view.tone]}
      </span>
      <div className="banner-text">
        <p className="banner-headline">{view.headline}</p>
        {report.summary ? (
          <p className="banner-detail">
            <EscapedText text={report.summary} />
          </p>
        ) : null}
        {view.reference ? <p className="banner-reference">{view.reference}</p> : null}
      </div>
    </div>
  );
}

export function MessageBanner({ tone, headline, detail }: { tone: 'warn' | 'error' | 'neutral'; headline: string; detail?: string }) {
  return (
    <div className={`banner banner-${tone}`}>
      <span className="banner-icon" aria-hidden="true">
        {ICONS[tone]}
      </span>
      <div className="banner-text">
        <p className="banner-headline">{headline}</p>
        {detail ? (
          <p className="banner-detail">
            <EscapedText text={detail} />
          </p>
        ) : null}
      </div>
    </div>
  );
}
