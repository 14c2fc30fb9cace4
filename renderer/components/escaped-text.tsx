import { splitEscapes } from './escape-segments';

/**
 * Shows text that came from a server or resolver. React escapes markup; this also makes control and bidi
 * characters visible (`\x1b`, `\u202e`) so they cannot recolour or reorder what the user reads.
 */
export function EscapedText({ text, className }: { text: string; className?: string }) {
  const segments = splitEscapes(text);
  const cls = className ? `escaped-text ${className}` : 'escaped-text';
  if (segments.length === 1 && !segments[0].escaped) return <span className={cls}>{segments[0].text}</span>;
  return (
    // dir="ltr" + unicode-bidi isolation (in CSS) keep the surrounding layout stable.
    <span className={cls} dir="ltr">
      {segments.map((s, i) =>
        s.escaped ? (
          <span key={i} className="esc" title={`Control character ${s.codePoint ?? ''}`}>
            {s.text}
          </span>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </span>
  );
}
