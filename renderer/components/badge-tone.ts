/** Colour families for badges and banners; kept apart from badge.tsx so pure (non-JSX) helpers can use it. */
export type BadgeTone = 'neutral' | 'info' | 'ok' | 'warn' | 'error';
