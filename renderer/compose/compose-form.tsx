import type { Draft } from '../../shared/model';
import { Attachments } from './attachments';
import { CustomHeaders } from './custom-headers';
import { rawTemplate, syncEnvelope } from './draft-state';
import { Field } from '../components/field';

type HeaderKey = 'from' | 'to' | 'cc' | 'bcc' | 'replyTo' | 'subject';

export const FIELD_LABELS: Record<string, string> = {
  from: 'From',
  to: 'To',
  cc: 'Cc',
  bcc: 'Bcc',
  replyTo: 'Reply-To',
  subject: 'Subject',
  text: 'Text body',
  html: 'HTML alternative',
  raw: 'Raw message',
  mailFrom: 'MAIL FROM',
  rcptTo: 'RCPT TO',
  host: 'Server',
  port: 'Port',
  mxPort: 'Port',
  heloName: 'HELO name',
  authUser: 'AUTH user',
};

const HEADER_FIELDS: Array<{ key: HeaderKey; placeholder: string; hint?: string }> = [
  { key: 'from', placeholder: 'Ann Example <ann@example.com>' },
  { key: 'to', placeholder: 'bob@example.net, "Doe, Jo" <jo@example.org>' },
  { key: 'cc', placeholder: '' },
  { key: 'bcc', placeholder: '', hint: 'envelope only: never written into a header' },
  { key: 'replyTo', placeholder: '' },
  { key: 'subject', placeholder: 'Test from MX Desk' },
];

/**
 * The message: headers, text body with an optional HTML alternative, attachments, or raw mode (the exact
 * DATA text). `show(field)` says whether a field's error may be shown yet (after it was touched).
 */
export function ComposeForm({
  draft,
  onChange,
  errors,
  show,
  htmlOn,
  onHtmlOn,
}: {
  draft: Draft;
  onChange: (d: Draft) => void;
  errors: Record<string, string>;
  show: (field: string) => boolean;
  htmlOn: boolean;
  onHtmlOn: (on: boolean) => void;
}) {
  const err = (k: string) => (show(k) ? errors[k] : undefined);
  const setHeader = (k: HeaderKey, v: string) => onChange(syncEnvelope({ ...draft, [k]: v }));

  return (
    <div className="compose-form">
      <label className="check raw-toggle">
        <input
          type="checkbox"
          checked={draft.rawMode}
          onChange={(e) => {
            const on = e.target.checked;
            // Raw text has no form fields to derive the envelope from: it is taken over as it stands.
            onChange({ ...draft, rawMode: on, raw: on && draft.raw === '' ? rawTemplate(draft) : draft.raw, envelopeEdited: on ? true : draft.envelopeEdited });
          }}
        />
        Raw mode: write the exact DATA text
      </label>

      {draft.rawMode ? (
        <Field label="Raw message (headers, blank line, body)" error={err('raw')} hint="Sent as typed: only line endings (CRLF) and dot-stuffing are applied.">
          {(p) => <textarea {...p} className="mono raw-text" rows={16} spellCheck={false} value={draft.raw} onChange={(e) => onChange({ ...draft, raw: e.target.value })} />}
        </Field>
      ) : (
        <>
          <div className="header-grid">
            {HEADER_FIELDS.map((f) => (
              <Field key={f.key} label={FIELD_LABELS[f.key]} error={err(f.key)} hint={f.hint}>
                {(p) => (
                  <input
                    {...p}
                    type="text"
                    name={f.key}
                    value={draft[f.key]}
                    placeholder={f.placeholder}
                    spellCheck={f.key === 'subject'}
                    onChange={(e) => setHeader(f.key, e.target.value)}
                  />
                )}
              </Field>
            ))}
          </div>
          <CustomHeaders
            value={draft.customHeaders}
            onChange={(customHeaders) => onChange({ ...draft, customHeaders })}
            errorFor={(i, part) => err(`customHeaders.${i}.${part}`) ?? (part === 'name' ? err(`customHeaders.${i}`) : undefined)}
          />
          <Field label="Text body" error={err('text')}>
            {(p) => <textarea {...p} className="body-text" rows={8} value={draft.text} onChange={(e) => onChange({ ...draft, text: e.target.value })} />}
          </Field>
          <label className="check">
            <input type="checkbox" checked={htmlOn} onChange={(e) => onHtmlOn(e.target.checked)} />
            Add an HTML alternative
          </label>
          {htmlOn ? (
            <Field label="HTML alternative" error={err('html')}>
              {(p) => <textarea {...p} className="mono" rows={6} spellCheck={false} value={draft.html} onChange={(e) => onChange({ ...draft, html: e.target.value })} />}
            </Field>
          ) : null}
          <Attachments value={draft.attachments} onChange={(attachments) => onChange({ ...draft, attachments })} />
        </>
      )}
    </div>
  );
}
