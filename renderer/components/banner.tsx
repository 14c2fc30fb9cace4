import type { ReactNode } from 'react';
import type { BadgeTone } from './badge-tone';

const ICONS: Record<BadgeTone, string> = { ok: '✓', info: 'i', warn: '!', error: '✕', neutral: '–' };

/**
 * A message strip: a tone-coloured icon, a headline and the details under it (styles.css, "Banner"). The icon
 * is decorative; the words carry the meaning. `data` adds data-* attributes for styles and tests.
 */
export function Banner({
  tone,
  icon = ICONS[tone],
  headline,
  className,
  data,
  children,
}: {
  tone: BadgeTone;
  icon?: string;
  headline: ReactNode;
  className?: string;
  data?: Record<`data-${string}`, string>;
  children?: ReactNode;
}) {
  return (
    <div className={`banner banner-${tone}${className ? ` ${className}` : ''}`} {...data}>
      <span className="banner-icon" aria-hidden="true">
        {icon}
      </span>
      <div className="banner-text">
        <p className="banner-headline">{headline}</p>
        {children}
      </div>
    </div>
  );
}
