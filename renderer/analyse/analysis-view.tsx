import type { MessageAnalysis } from '../../shared/analyse/types';
import { Banner } from '../components/banner';
import { EscapedText } from '../components/escaped-text';
import { AuthSection } from './auth-section';
import { BounceSection } from './bounce-section';
import { HopTimelineView } from './hop-timeline';

function headline(a: MessageAnalysis): { tone: 'ok' | 'warn' | 'error' | 'info'; text: string } {
  if (a.bounce) {
    const temporary = a.bounce.recipients.length > 0 && a.bounce.recipients.every((r) => r.action === 'delayed' || r.status?.startsWith('4.'));
    return { tone: temporary ? 'warn' : 'error', text: a.bounce.summary };
  }
  const badDkim = a.dkim.checks.filter((c) => c.result !== 'pass').length;
  const what = a.kind === 'headers' ? 'Headers' : 'Message';
  const hops = `${a.timeline.totalReceived} hop${a.timeline.totalReceived === 1 ? '' : 's'}`;
  const problems: string[] = [];
  if (badDkim > 0) problems.push(`${badDkim} DKIM signature${badDkim === 1 ? '' : 's'} do${badDkim === 1 ? 'es' : ''} not verify now`);
  if (a.arc.verified && a.arc.verified.result !== 'pass') problems.push('the ARC chain does not verify now');
  if (problems.length > 0) return { tone: 'warn', text: `${what} with ${hops}; ${problems.join(', and ')}.` };
  return { tone: 'info', text: `${what} with ${hops}, analysed in ${a.elapsedMs} ms.` };
}

/** The whole answer: the headline, the bounce (when it is one), hops, authentication, and what was cut. */
export function AnalysisView({ analysis }: { analysis: MessageAnalysis }) {
  const h = headline(analysis);
  const s = analysis.summary;
  return (
    <div className="analysis" data-kind={analysis.kind}>
      <Banner tone={h.tone} headline={<EscapedText text={h.text} />} data={{ 'data-analysis': analysis.kind }}>
        <p className="banner-detail">
          {s.from ? (
            <>
              From <EscapedText text={s.from} />
              {'  ·  '}
            </>
          ) : null}
          {s.subject ? (
            <>
              Subject <EscapedText text={s.subject} />
              {'  ·  '}
            </>
          ) : null}
          {s.date ? <EscapedText text={s.date} /> : null}
        </p>
      </Banner>
      {analysis.cut.length + analysis.warnings.length > 0 ? (
        <Banner tone="warn" headline="Read with limits, or suspicious">
          <ul className="analyse-notes">
            {analysis.cut.map((c, i) => (
              <li key={`c${i}`}>
                <EscapedText text={c} />
              </li>
            ))}
            {analysis.warnings.map((w, i) => (
              <li key={`w${i}`}>
                <EscapedText text={w} />
              </li>
            ))}
          </ul>
        </Banner>
      ) : null}
      {analysis.bounce ? <BounceSection bounce={analysis.bounce} /> : null}
      <HopTimelineView timeline={analysis.timeline} />
      <AuthSection authResults={analysis.authResults} arc={analysis.arc} dkim={analysis.dkim} />
    </div>
  );
}
