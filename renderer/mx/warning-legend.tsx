import type { MxHostView } from '../../shared/model';
import { Badge } from '../components/badge';
import type { WarningView } from './view-model';
import { warningView } from './view-model';

/** Each kind of warning in the table, explained once in plain words (the rows carry only the badge). */
export function WarningLegend({ hosts }: { hosts: MxHostView[] }) {
  const seen = new Map<string, WarningView>();
  for (const host of hosts) {
    for (const w of host.warnings) {
      const view = warningView(w, host);
      if (!seen.has(view.label)) seen.set(view.label, view);
    }
  }
  if (seen.size === 0) return null;
  return (
    <ul className="warning-legend" aria-label="What the warnings mean">
      {[...seen.values()].map((v) => (
        <li key={v.label}>
          <Badge tone={v.tone}>{v.label}</Badge>
          <span>{v.explanation}</span>
        </li>
      ))}
    </ul>
  );
}
