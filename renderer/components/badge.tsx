import type { ReactNode } from 'react';
import type { BadgeTone } from './badge-tone';

export type { BadgeTone };

/** A small coloured label. The text itself carries the meaning; colour only reinforces it. */
export function Badge({ tone = 'neutral', title, children }: { tone?: BadgeTone; title?: string; children: ReactNode }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}
