import { useEffect, useRef, useState } from 'react';
import type { Draft, MessagePreview } from '../../shared/model';
import type { DkimRequest } from '../../shared/sender-auth/dkim-types';
import { useApi } from '../api-context';
import { Badge } from '../components/badge';
import { EscapedText } from '../components/escaped-text';

const MAX_LINES = 3000;

function bytes(n: number): string {
  return `${n.toLocaleString('en')} bytes`;
}

/** Splits the wire text at CRLF; a bare CR or LF stays inside a line and shows as an escape. */
export function wireLines(wire: string): string[] {
  const parts = wire.split('\r\n');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * The exact bytes that will follow DATA, as the engine builds them: every line ends in a visible CRLF, and
 * a dot added by dot-stuffing (RFC 5321 §4.5.2) is marked, as is the terminating dot line.
 */
export function PreviewPane({ draft, serverSize, active, dkim }: { draft: Draft; serverSize?: { size: number; server: string }; active: boolean; dkim?: DkimRequest }) {
  // DKIM (renderer/sender): the preview is then of the signed message; compared by value, not identity.
  const dkimJson = dkim ? JSON.stringify(dkim) : '';
  const api = useApi();
  const [preview, setPreview] = useState<MessagePreview | undefined>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const latest = useRef(0);

  useEffect(() => {
    if (!active) return;
    const ticket = ++latest.current;
    const timer = window.setTimeout(() => {
      setBusy(true);
      api
        .previewMessage(dkimJson ? { draft, dkim: JSON.parse(dkimJson) as DkimRequest } : { draft })
        .then((r) => {
          if (ticket !== latest.current) return;
          if (r.ok) {
            setPreview(r.value);
            setError('');
          } else setError(r.error.message);
        })
        .catch((e: unknown) => ticket === latest.current && setError(e instanceof Error ? e.message : String(e)))
        .finally(() => ticket === latest.current && setBusy(false));
    }, 300);
    return () => window.clearTimeout(timer);
  }, [api, draft, active, dkimJson]);

  if (error) return <p className="field-error preview-error">The message can’t be built yet: {error}</p>;
  if (!preview) return <p className="muted preview-empty">{busy ? 'Building the preview…' : 'The preview appears here.'}</p>;
  const all = wireLines(preview.wire);
  // Thousands of base64 lines would only slow the page; the size above counts them all.
  const lines = all.length > MAX_LINES ? all.slice(0, MAX_LINES) : all;
  const fits = serverSize ? serverSize.size === 0 || preview.sizeBytes <= serverSize.size : undefined;
  return (
    <section className="preview" aria-label="Message preview" aria-busy={busy}>
      <div className="preview-facts">
        <span>
          <strong className="num">{bytes(preview.sizeBytes)}</strong> on the wire
        </span>
        {serverSize ? (
          fits ? (
            <Badge tone="ok">fits {serverSize.server}’s SIZE {serverSize.size === 0 ? '(no limit)' : bytes(serverSize.size)}</Badge>
          ) : (
            <Badge tone="error">over {serverSize.server}’s SIZE {bytes(serverSize.size)}</Badge>
          )
        ) : (
          <span className="muted">the server’s SIZE limit is known after a session’s EHLO</span>
        )}
        {preview.needs8bit ? <Badge tone="info">8-bit: BODY=8BITMIME</Badge> : null}
        {preview.needsSmtpUtf8 ? <Badge tone="warn">needs SMTPUTF8</Badge> : null}
        {preview.truncated ? <Badge tone="neutral">preview truncated</Badge> : null}
      </div>
      <div className="preview-wire mono" tabIndex={0} aria-label="Message bytes, each line ending shown as \r\n">
        {lines.map((line, i) => {
          const last = i === all.length - 1 && line === '.';
          const stuffed = !last && line.startsWith('..');
          return (
            <div key={i} className={`wire-line${last ? ' wire-terminator' : ''}`}>
              {stuffed ? (
                <span className="stuffed-dot" title="dot added by dot-stuffing (RFC 5321 §4.5.2)">
                  .
                </span>
              ) : null}
              <EscapedText text={stuffed ? line.slice(1) : line} />
              <span className="crlf" aria-hidden="true">
                \r\n
              </span>
              {last ? <span className="wire-note"> end of data</span> : null}
            </div>
          );
        })}
      </div>
      {all.length > MAX_LINES ? <p className="muted">{(all.length - MAX_LINES).toLocaleString('en')} more lines not shown.</p> : null}
    </section>
  );
}
