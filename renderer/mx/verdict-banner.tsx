import type { MxReport } from '../../shared/model';
import { Banner } from '../components/banner';
import { EscapedText } from '../components/escaped-text';
import { verdictView } from './view-model';

/** The verdict in plain words, first thing on screen. The live region around it announces it. */
export function VerdictBanner({ report }: { report: MxReport }) {
  const view = verdictView(report);
  return (
    <Banner tone={view.tone} headline={view.headline} data={{ 'data-verdict': report.verdict }}>
      {report.summary ? (
        <p className="banner-detail">
          <EscapedText text={report.summary} />
        </p>
      ) : null}
      {view.reference ? <p className="banner-reference">{view.reference}</p> : null}
    </Banner>
  );
}

export function MessageBanner({ tone, headline, detail }: { tone: 'warn' | 'error' | 'neutral'; headline: string; detail?: string }) {
  return (
    <Banner tone={tone} headline={headline}>
      {detail ? (
        <p className="banner-detail">
          <EscapedText text={detail} />
        </p>
      ) : null}
    </Banner>
  );
}
