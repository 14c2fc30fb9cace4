import { useState } from 'react';
import type { Profile, SaveProfileRequest } from '../../shared/store-model';
import { Badge } from '../components/badge';
import { Banner } from '../components/banner';
import { EscapedText } from '../components/escaped-text';
import { ProfileForm } from './profile-form';
import { useProfiles } from './profiles-context';
import { secretWords } from './secret-words';

const TLS_SHORT: Record<string, string> = { auto: 'STARTTLS if offered', starttls: 'STARTTLS required', require: 'TLS required', implicit: 'implicit TLS', none: 'no TLS' };

/**
 * Saved targets and relays: host, port, TLS mode and AUTH user. For each, only "password saved: yes/no";
 * where the password would go, and why it may not be kept, is said in plain words above the list.
 */
export function ProfileManager() {
  const { list, error, save, remove } = useProfiles();
  const [editing, setEditing] = useState<Profile | undefined>();
  const [formKey, setFormKey] = useState(0);
  const [confirmId, setConfirmId] = useState<string | undefined>();
  const [message, setMessage] = useState<{ text: string; tone: 'ok' | 'warn' | 'error' }>({ text: '', tone: 'ok' });
  const storage = list?.secretStorage;
  const words = secretWords({ kind: storage?.kind ?? 'none' });

  function resetForm() {
    setEditing(undefined);
    setFormKey((k) => k + 1);
  }

  async function submit(req: SaveProfileRequest): Promise<string | undefined> {
    const r = await save(req);
    if (!r.ok) return r.error.field ? `${r.error.field}: ${r.error.message}` : r.error.message;
    const notice = r.value.passwordNotice;
    setMessage({
      text: `${req.profile.id ? 'Saved' : 'Added'} “${r.value.profile.name}”. Password saved: ${r.value.profile.passwordSaved ? 'yes' : 'no'}.${notice ? ` ${notice}` : ''}`,
      tone: notice ? 'warn' : 'ok',
    });
    resetForm();
    return undefined;
  }

  async function confirmDelete(p: Profile) {
    const r = await remove(p.id);
    setConfirmId(undefined);
    if (editing?.id === p.id) resetForm();
    setMessage(r.ok ? { text: `Deleted “${p.name}” and its saved password.`, tone: 'ok' } : { text: r.error.message, tone: 'error' });
  }

  return (
    <div className="profile-manager">
      {storage ? (
        <Banner tone={words.tone} headline={words.headline} className="secret-note" data={{ 'data-secret-storage': storage.kind }}>
          <p className="banner-detail">{words.detail}</p>
          {/* The host's own words add which keyring it found; in web mode they would only repeat ours. */}
          {storage.kind !== 'none' && storage.reason ? <p className="banner-reference">{storage.reason}</p> : null}
        </Banner>
      ) : null}
      {error ? (
        <p className="profile-error" role="alert">
          The profiles could not be read: {error}
        </p>
      ) : null}
      {list?.recovery ? <p className="banner banner-warn">{list.recovery.message}</p> : null}

      {list && list.profiles.length > 0 ? (
        <table className="grid lined profile-table">
          <caption className="visually-hidden">Saved profiles</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Server</th>
              <th scope="col">TLS</th>
              <th scope="col">AUTH user</th>
              <th scope="col">Password saved</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.profiles.map((p) => (
              <tr key={p.id} className={editing?.id === p.id ? 'is-editing' : undefined}>
                <th scope="row">
                  <EscapedText text={p.name} />
                </th>
                <td className="mono">
                  <EscapedText text={`${p.host}:${p.port}`} />
                </td>
                <td>{TLS_SHORT[p.tls] ?? p.tls}</td>
                <td className="mono">{p.authUser ? <EscapedText text={p.authUser} /> : <span className="muted">no AUTH</span>}</td>
                <td>{p.authUser ? p.passwordSaved ? <Badge tone="ok">yes</Badge> : <Badge>no</Badge> : <span className="muted">—</span>}</td>
                <td className="profile-row-actions">
                  {confirmId === p.id ? (
                    <span role="group" aria-label={`Delete ${p.name}?`}>
                      <button type="button" className="small-button button-danger-solid" onClick={() => void confirmDelete(p)}>
                        Delete
                      </button>{' '}
                      <button type="button" className="small-button" autoFocus onClick={() => setConfirmId(undefined)}>
                        Keep
                      </button>
                    </span>
                  ) : (
                    <>
                      <button type="button" className="small-button" aria-label={`Edit ${p.name}`} onClick={() => setEditing(p)}>
                        Edit
                      </button>{' '}
                      <button type="button" className="small-button button-danger" aria-label={`Delete ${p.name}…`} onClick={() => setConfirmId(p.id)}>
                        Delete…
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : list ? (
        <p className="muted">No saved targets yet. Add the relays you test often; the Send panel can then fill its target from them.</p>
      ) : null}

      {message.text ? (
        <p className={`profile-message tone-${message.tone}`} role="status">
          {message.text}
        </p>
      ) : null}

      <h3 className="profile-form-title">{editing ? `Edit “${editing.name}”` : 'Add a target or relay'}</h3>
      <ProfileForm key={formKey} editing={editing} canKeepPassword={words.canKeep} passwordHint={words.canKeep ? (storage?.kind === 'session' ? 'kept until MX Desk quits' : 'kept by the system keychain') : 'not stored in web mode'} onSubmit={submit} onCancel={resetForm} />
    </div>
  );
}
