import { useEffect, useState } from 'react';
import type { Draft } from '../../shared/model';
import { envelopeDifferences, envelopeFromHeaders } from './draft-state';
import { Field } from '../components/field';

function rcptText(list: string[]): string {
  return list.join('\n');
}

/**
 * MAIL FROM and RCPT TO. They follow the headers until edited; once edited, "Take from the headers" brings
 * them back in step. Every difference between envelope and headers is listed in words.
 */
export function EnvelopeFields({ draft, onChange, errors }: { draft: Draft; onChange: (d: Draft) => void; errors: { mailFrom?: string; rcptTo?: string } }) {
  const [text, setText] = useState(() => rcptText(draft.rcptTo));
  // Follow the draft when it changes from outside (headers, reset), keeping the user's blank lines otherwise.
  useEffect(() => {
    setText((t) => (sameList(lines(t), draft.rcptTo) ? t : rcptText(draft.rcptTo)));
  }, [draft.rcptTo]);
  const diffs = envelopeDifferences(draft);

  return (
    <div className="envelope">
      <p className="envelope-state">
        {draft.envelopeEdited ? (
          <>
            <span className="badge badge-warn">edited</span> The envelope no longer follows the headers.{' '}
            <button type="button" className="link-button" onClick={() => onChange({ ...draft, envelopeEdited: false, ...envelopeFromHeaders(draft) })} disabled={draft.rawMode}>
              Take it from the headers
            </button>
          </>
        ) : (
          <>
            <span className="badge badge-info">from headers</span> Filled from From, To, Cc and Bcc. Edit to change where the mail really goes.
          </>
        )}
      </p>
      <Field label="MAIL FROM" error={errors.mailFrom} hint="<> (empty) is the null sender, as used for bounces">
        {(p) => (
          <input
            {...p}
            type="text"
            className="mono"
            value={draft.mailFrom}
            placeholder="<>"
            spellCheck={false}
            onChange={(e) => onChange({ ...draft, mailFrom: e.target.value, envelopeEdited: true })}
          />
        )}
      </Field>
      <Field label="RCPT TO" error={errors.rcptTo} hint="one address per line">
        {(p) => (
          <textarea
            {...p}
            className="mono"
            rows={Math.min(6, Math.max(2, draft.rcptTo.length + 1))}
            value={text}
            spellCheck={false}
            onChange={(e) => {
              setText(e.target.value);
              onChange({ ...draft, rcptTo: lines(e.target.value), envelopeEdited: true });
            }}
          />
        )}
      </Field>
      {diffs.length > 0 ? (
        <div className="envelope-diff" role="note" aria-label="Envelope and headers differ">
          <p className="envelope-diff-title">Envelope and headers differ</p>
          <ul>
            {diffs.map((d, i) => (
              <li key={i} className={`diff-${d.kind}`}>
                {d.text}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
