import { useId } from 'react';
import type { XclientAttribute } from '../../shared/model';
import { XCLIENT_ATTRIBUTES } from '../../shared/smtp/xclient';
import { ChoiceSelect } from '../components/choice-select';
import type { Choice } from '../components/choice-select';
import { Field } from '../components/field';
import type { AdvancedState } from './advanced-state';
import { NOTIFY_VALUES, toggleNotify } from './advanced-state';

const PROTOCOLS: Array<Choice<'smtp' | 'lmtp'>> = [
  { value: 'smtp', label: 'SMTP (EHLO)' },
  { value: 'lmtp', label: 'LMTP (LHLO, RFC 2033)' },
];

const RETS: Array<Choice<AdvancedState['ret']>> = [
  { value: '', label: 'server’s choice' },
  { value: 'FULL', label: 'FULL (whole message)' },
  { value: 'HDRS', label: 'HDRS (headers only)' },
];

/** The protocol options: SMTP or LMTP, REQUIRETLS, DSN (RFC 3461) and Postfix XCLIENT attribute rows. */
export function AdvancedProtocol({ value, onChange, err }: { value: AdvancedState; onChange: (a: AdvancedState) => void; err: (field: string) => string | undefined }) {
  const dsnErrorId = useId();
  const xclientErrorId = useId();
  const set = <K extends keyof AdvancedState>(key: K, v: AdvancedState[K]) => onChange({ ...value, [key]: v });
  const setRow = (i: number, row: { name: XclientAttribute; value: string }) => set('xclient', value.xclient.map((r, j) => (j === i ? row : r)));
  // A new row takes the first attribute not yet used (each may be given once).
  const nextName = XCLIENT_ATTRIBUTES.find((n) => !value.xclient.some((r) => r.name === n));
  const dsnError = err('dsn');
  const xclientError = err('xclient');
  return (
    <fieldset className="advanced-group">
      <legend className="section-title">Protocol</legend>
      <div className="field-row advanced-row">
        <Field label="Protocol" error={err('lmtp')} className="field-family">
          {(p) => <ChoiceSelect control={p} value={value.lmtp ? 'lmtp' : 'smtp'} choices={PROTOCOLS} onChange={(v) => set('lmtp', v === 'lmtp')} />}
        </Field>
        <label className="check advanced-inline-check">
          <input type="checkbox" checked={value.requireTls} onChange={(e) => set('requireTls', e.target.checked)} />
          REQUIRETLS <span className="muted">(RFC 8689)</span>
        </label>
      </div>
      <fieldset className="advanced-subgroup" aria-describedby={dsnError ? dsnErrorId : undefined}>
        <legend className="field-label">DSN (RFC 3461), sent only when the server offers it</legend>
        <div className="check-row" role="group" aria-label="NOTIFY">
          <span className="field-label">NOTIFY</span>
          {NOTIFY_VALUES.map((n) => (
            <label key={n} className="check">
              <input type="checkbox" aria-invalid={Boolean(dsnError)} checked={value.notify.includes(n)} onChange={(e) => set('notify', toggleNotify(value.notify, n, e.target.checked))} />
              {n}
            </label>
          ))}
        </div>
        <div className="field-row advanced-row">
          <Field label="RET" className="field-family">
            {(p) => <ChoiceSelect control={p} value={value.ret} choices={RETS} onChange={(v) => set('ret', v)} />}
          </Field>
          <Field label="ENVID" className="field-grow" hint="envelope id, xtext-encoded on the wire">
            {(p) => <input {...p} type="text" className="mono" spellCheck={false} autoComplete="off" value={value.envid} onChange={(e) => set('envid', e.target.value)} />}
          </Field>
        </div>
        <label className="check">
          <input type="checkbox" checked={value.orcpt} onChange={(e) => set('orcpt', e.target.checked)} />
          ORCPT (the original recipient on every RCPT)
        </label>
        {dsnError ? (
          <span id={dsnErrorId} className="field-error">
            {dsnError}
          </span>
        ) : null}
      </fieldset>
      <fieldset className="advanced-subgroup" aria-describedby={xclientError ? xclientErrorId : undefined}>
        <legend className="field-label">XCLIENT (Postfix), sent after EHLO when offered</legend>
        {value.xclient.map((row, i) => {
          const rowError = err(`xclient.${i}`);
          const rowErrorId = `${xclientErrorId}-${i}-error`;
          return (
            <div key={i} className="xclient-row">
              <select aria-label={`XCLIENT attribute ${i + 1}`} value={row.name} onChange={(e) => setRow(i, { ...row, name: e.target.value as XclientAttribute })}>
                {XCLIENT_ATTRIBUTES.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
              <input
                type="text"
                className="mono"
                spellCheck={false}
                autoComplete="off"
                aria-label={`XCLIENT ${row.name} value`}
                aria-invalid={Boolean(rowError)}
                aria-describedby={rowError ? rowErrorId : undefined}
                value={row.value}
                onChange={(e) => setRow(i, { ...row, value: e.target.value })}
              />
              <button type="button" className="small-button" aria-label={`Remove XCLIENT ${row.name}`} onClick={() => set('xclient', value.xclient.filter((_, j) => j !== i))}>
                Remove
              </button>
              {rowError ? (
                <span id={rowErrorId} className="field-error xclient-error">
                  {rowError}
                </span>
              ) : null}
            </div>
          );
        })}
        <div>
          <button type="button" className="small-button" disabled={!nextName} onClick={() => nextName && set('xclient', [...value.xclient, { name: nextName, value: '' }])}>
            Add XCLIENT attribute
          </button>
        </div>
        {xclientError ? (
          <span id={xclientErrorId} className="field-error">
            {xclientError}
          </span>
        ) : null}
      </fieldset>
    </fieldset>
  );
}
