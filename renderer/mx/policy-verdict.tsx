import type { PolicyVerdict } from '../../shared/policy-model';
import { Badge } from '../components/badge';
import { EscapedText } from '../components/escaped-text';
import { toneView } from './policy-view';

/** One verdict: a badge with its word, the sentence, and the RFC section behind it. */
export function PolicyVerdictView({ v, what }: { v: PolicyVerdict; what: string }) {
  const view = toneView(v.tone);
  return (
    <div className="policy-verdict" data-tone={v.tone ?? 'info'} data-what={what}>
      <Badge tone={view.badge}>{view.word}</Badge> <EscapedText text={v.verdict} /> <span className="policy-rfc">{v.rfc}</span>
    </div>
  );
}
