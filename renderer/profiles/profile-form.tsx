import { useEffect, useRef, useState } from 'react';
import type { TlsMode } from '../../shared/model';
import type { Profile, SaveProfileRequest } from '../../shared/store-model';
import { ChoiceSelect } from '../components/choice-select';
import { Field } from '../components/field';
import { FormAnnouncer } from '../components/form-announcer';
import { AUTH_MECHANISMS } from '../target/target-state';
import type { ProfileDraft } from './profile-target';
import { emptyProfileDraft, profileDraftErrors, profileDraftOf, profileFieldsOf } from './profile-target';

const TLS_MODES: Array<{ value: TlsMode; label: string }> = [
  { value: 'starttls', label: 'STARTTLS required (587)' },
  { value: 'implicit', label: 'Implicit TLS (465)' },
  { value: 'auto', label: 'STARTTLS when offered' },
  { value: 'require', label: 'TLS required (either way)' },
  { value: 'none', label: 'No TLS' },
];
const FIELD_LABELS: Record<keyof ProfileDraft, string> = { name: 'Name', host: 'Server', port: 'Port', tls: 'TLS', authUser: 'AUTH user', authMechanism: 'Mechanism' };

/**
 * Add or edit a profile. The password input is uncontrolled: its value never enters React state or a DOM
 * attribute, is read once on submit, handed to the host, and the field is emptied at once.
 */
export function ProfileForm({
  editing,
  canKeepPassword,
  passwordHint,
  onSubmit,
  onCancel,
}: {
  editing: Profile | undefined;
  canKeepPassword: boolean;
  passwordHint: string;
  onSubmit: (req: SaveProfileRequest) => Promise<string | undefined>;
  onCancel: () => void;
}) {
  const [d, setD] = useState<ProfileDraft>(() => (editing ? profileDraftOf(editing) : emptyProfileDraft()));
  const [tried, setTried] = useState(false);
  const [forget, setForget] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const password = useRef<HTMLInputElement>(null);
  const errors = profileDraftErrors(d);
  const shown = (k: keyof ProfileDraft) => (tried ? errors[k] : undefined);

  useEffect(() => {
    setD(editing ? profileDraftOf(editing) : emptyProfileDraft());
    setTried(false);
    setForget(false);
    setError('');
    if (password.current) password.current.value = '';
  }, [editing]);

  async function submit() {
    setTried(true);
    if (Object.keys(errors).length > 0) return;
    const typed = password.current?.value ?? '';
    if (password.current) password.current.value = '';
    const req: SaveProfileRequest = { profile: { ...profileFieldsOf(d), ...(editing ? { id: editing.id } : {}) } };
    if (typed !== '' && canKeepPassword) req.password = typed;
    if (forget && typed === '') req.forgetPassword = true;
    setBusy(true);
    const problem = await onSubmit(req);
    setBusy(false);
    setError(problem ?? '');
  }

  const set = <K extends keyof ProfileDraft>(k: K, v: ProfileDraft[K]) => setD((x) => ({ ...x, [k]: v }));
  return (
    <form
      className="profile-form"
      aria-label={editing ? `Edit profile ${editing.name}` : 'New profile'}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="profile-grid">
        <Field label="Name" error={shown('name')} className="pf-name">
          {(p) => <input {...p} type="text" placeholder="e.g. Office relay" value={d.name} onChange={(e) => set('name', e.target.value)} />}
        </Field>
        <Field label="Server" error={shown('host')} className="pf-host">
          {(p) => <input {...p} type="text" className="mono" placeholder="smtp.example.com" spellCheck={false} value={d.host} onChange={(e) => set('host', e.target.value)} />}
        </Field>
        <Field label="Port" error={shown('port')} className="pf-port">
          {(p) => <input {...p} type="text" inputMode="numeric" className="mono" value={d.port} onChange={(e) => set('port', e.target.value)} />}
        </Field>
        <Field label="TLS" className="pf-tls">
          {(p) => <ChoiceSelect control={p} value={d.tls} choices={TLS_MODES} onChange={(v) => set('tls', v)} />}
        </Field>
        <Field label="AUTH user" hint="empty: no AUTH" error={shown('authUser')} className="pf-user">
          {(p) => <input {...p} type="text" autoComplete="off" spellCheck={false} value={d.authUser} onChange={(e) => set('authUser', e.target.value)} />}
        </Field>
        <Field label="Mechanism" className="pf-mech">
          {(p) => <ChoiceSelect control={p} value={d.authMechanism} choices={AUTH_MECHANISMS} onChange={(v) => set('authMechanism', v)} />}
        </Field>
        <Field
          label="Password"
          hint={canKeepPassword ? (editing?.passwordSaved ? 'a password is saved; type a new one to replace it' : passwordHint) : passwordHint}
          className="pf-pass"
        >
          {(p) => <input {...p} ref={password} type="password" autoComplete="new-password" disabled={!canKeepPassword || d.authUser === '' || forget} />}
        </Field>
      </div>
      <FormAnnouncer errors={tried ? errors : {}} labels={FIELD_LABELS} />
      {editing?.passwordSaved ? (
        <label className="check profile-forget">
          <input type="checkbox" checked={forget} onChange={(e) => setForget(e.target.checked)} />
          Forget the saved password
        </label>
      ) : null}
      <div className="profile-form-actions">
        <button type="submit" className="button-primary" disabled={busy}>
          {editing ? 'Save changes' : 'Add profile'}
        </button>
        <button type="button" onClick={onCancel}>
          {editing ? 'Cancel' : 'Clear'}
        </button>
        {error ? (
          <span className="profile-error" role="alert">
            {error}
          </span>
        ) : null}
      </div>
    </form>
  );
}
