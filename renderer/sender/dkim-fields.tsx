import { useState } from 'react';
import type { RefObject } from 'react';
import { DKIM_CANONICALIZATIONS, DEFAULT_DKIM_HEADERS, type DkimCanonicalization } from '../../shared/sender-auth/dkim-types';
import type { SaveDkimKeyResult } from '../../shared/sender-auth/save-key';
import { useApi } from '../api-context';
import { Field } from '../components/field';
import { savedKeyId, type DkimFormState } from './dkim-state';

/**
 * DKIM signing (RFC 6376, Ed25519 RFC 8463) for the Send panel. The private key is typed, pasted or read
 * from a file into an uncontrolled field (like the AUTH password): it goes with the send, or to main with
 * "Save key", after which the field is emptied and the page keeps only "saved".
 */
export function DkimFields({ state, onChange, keyRef, errors }: { state: DkimFormState; onChange: (s: DkimFormState) => void; keyRef: RefObject<HTMLTextAreaElement | null>; errors: Record<string, string> }) {
  const api = useApi();
  const [saved, setSaved] = useState<SaveDkimKeyResult | undefined>();
  const [note, setNote] = useState<string | undefined>();
  const set = (patch: Partial<DkimFormState>) => onChange({ ...state, ...patch });

  async function readFile(file: File | undefined) {
    if (!file || !keyRef.current) return;
    if (file.size > 16384) {
      setNote('That file is larger than a private key.');
      return;
    }
    keyRef.current.value = await file.text();
    setNote(`Key read from ${file.name}.`);
  }

  async function save() {
    const key = keyRef.current?.value ?? '';
    const r = await api.saveDkimKey({ domain: state.domain.trim(), selector: state.selector.trim(), privateKey: key });
    if (!r.ok) {
      setNote(r.error.message);
      return;
    }
    if (keyRef.current) keyRef.current.value = '';
    setSaved(r.value);
    setNote(r.value.notice);
    onChange({ ...state, savedFor: savedKeyId(state) });
  }

  return (
    <div className="dkim-fields">
      <label className="check">
        <input type="checkbox" checked={state.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> DKIM-sign this message
      </label>
      {state.enabled ? (
        <>
          <div className="dkim-row">
            <Field label="Domain (d=)" error={errors['dkim.domain']}>
              {(p) => <input {...p} type="text" className="mono" value={state.domain} spellCheck={false} onChange={(e) => set({ domain: e.target.value })} />}
            </Field>
            <Field label="Selector (s=)" error={errors['dkim.selector']}>
              {(p) => <input {...p} type="text" className="mono" value={state.selector} spellCheck={false} onChange={(e) => set({ selector: e.target.value })} />}
            </Field>
          </div>
          <div className="dkim-row">
            <Field label="Algorithm">
              {(p) => (
                <select {...p} value={state.algorithm} onChange={(e) => set({ algorithm: e.target.value as DkimFormState['algorithm'] })}>
                  <option value="">From the key</option>
                  <option value="rsa-sha256">rsa-sha256</option>
                  <option value="ed25519-sha256">ed25519-sha256 (RFC 8463)</option>
                </select>
              )}
            </Field>
            <Field label="Canonicalization (c=)">
              {(p) => (
                <select {...p} value={state.canonicalization} onChange={(e) => set({ canonicalization: e.target.value as DkimCanonicalization })}>
                  {DKIM_CANONICALIZATIONS.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <Field label="Signed headers (h=)" hint={`empty: ${DEFAULT_DKIM_HEADERS.join(':')}`}>
            {(p) => <input {...p} type="text" className="mono" value={state.headers} placeholder="From:To:Subject:Date" spellCheck={false} onChange={(e) => set({ headers: e.target.value })} />}
          </Field>
          <Field
            label="Private key (PEM)"
            error={errors['dkim.privateKey']}
            hint={state.savedFor === savedKeyId(state) ? 'A key is saved for this selector; leave empty to use it.' : 'Goes with this send only, unless you save it.'}
          >
            {(p) => <textarea {...p} ref={keyRef} className="mono dkim-key" rows={3} spellCheck={false} autoComplete="off" placeholder="-----BEGIN PRIVATE KEY-----" />}
          </Field>
          <div className="dkim-actions">
            <label className="file-button">
              Choose key file…
              <input type="file" accept=".pem,.key,.txt" className="visually-hidden" onChange={(e) => void readFile(e.target.files?.[0])} />
            </label>
            <button type="button" onClick={() => void save()}>
              Save key
            </button>
            {note ? (
              <span className="dkim-note" role="status">
                {note}
              </span>
            ) : null}
          </div>
          {saved ? (
            <p className="dkim-record">
              Saved. Publish this TXT record at <code>{saved.recordName}</code>: <code className="dkim-record-text">{saved.recordText}</code>
            </p>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
