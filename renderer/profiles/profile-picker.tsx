import { useId } from 'react';
import type { Profile } from '../../shared/store-model';
import { useProfiles } from './profiles-context';

/**
 * A "Saved target" drop-down for the Send panel's target form. Picking a profile calls `onPick` with it
 * (see profile-target.ts: profileToTarget for the form, profileAuth for the request); "none" calls it with
 * undefined. Shows whether a password is saved, never a password. Needs <ProfilesProvider> above it.
 */
export function ProfilePicker({ selectedId, onPick, label = 'Saved target' }: { selectedId?: string; onPick: (profile: Profile | undefined) => void; label?: string }) {
  const { list } = useProfiles();
  const id = useId();
  const profiles = list?.profiles ?? [];
  return (
    <div className="field profile-picker">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <select id={id} value={selectedId ?? ''} disabled={profiles.length === 0} onChange={(e) => onPick(profiles.find((p) => p.id === e.target.value))}>
        <option value="">{profiles.length === 0 ? 'none saved (Settings → Saved targets)' : '— none —'}</option>
        {profiles.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} — {p.host}:{p.port}
            {p.authUser ? ` (${p.authUser}, password ${p.passwordSaved ? 'saved' : 'not saved'})` : ''}
          </option>
        ))}
      </select>
    </div>
  );
}
