/**
 * Between a saved profile and the Send panel's target form. Pure. A profile is always "a specific server";
 * its password (if saved) stays in the host and is used through `auth.profileId`, never sent here.
 */
import type { AuthInput } from '../../shared/model';
import type { Profile, ProfileFields } from '../../shared/store-model';
import type { TargetState } from '../target/target-state';

export function profileToTarget(t: TargetState, p: Profile): TargetState {
  return {
    ...t,
    kind: 'host',
    preset: undefined,
    profileId: p.id,
    host: p.host,
    port: String(p.port),
    tls: p.tls,
    authEnabled: p.authUser !== '',
    authUser: p.authUser,
    authMechanism: p.authMechanism,
  };
}

/** Where a profile sends (its saved password belongs to exactly these), and how it logs in when AUTH is on. */
const SERVER_KEYS = ['kind', 'host', 'port', 'tls'] as const;
const AUTH_KEYS = ['authUser', 'authMechanism'] as const;

/**
 * The profile the form was filled from, while the form still matches it. Once the server, port, TLS mode
 * or AUTH user is edited (here or in Settings), the saved password no longer applies: it must never be
 * sent to another server, or in another way, than the one it was saved for. AUTH switched off keeps the
 * profile (nothing is sent then).
 */
export function appliedProfile(t: TargetState, profiles: readonly Profile[]): Profile | undefined {
  if (!t.profileId) return undefined;
  // A UNIX socket (target form, Advanced) replaces the profile's host and port: its password never goes there.
  if (t.advanced.socketPath.trim() !== '') return undefined;
  const p = profiles.find((x) => x.id === t.profileId);
  if (!p) return undefined;
  const filled = profileToTarget(t, p);
  const keys = t.authEnabled ? [...SERVER_KEYS, 'authEnabled' as const, ...AUTH_KEYS] : SERVER_KEYS;
  return keys.every((k) => filled[k] === t[k]) ? p : undefined;
}

/** Under the password field: whether the profile's saved password will be used, or one must be typed. */
export function profilePasswordHint(p: Profile): string {
  return p.passwordSaved ? `Leave empty to use the one saved with “${p.name}”.` : `None is saved with “${p.name}”: type it.`;
}

/**
 * The AUTH part of a request when a profile is picked: the typed password wins; with none typed and one
 * saved, the host looks it up by profile id.
 */
export function profileAuth(p: Profile, typedPassword: string): AuthInput | undefined {
  if (p.authUser === '') return undefined;
  if (typedPassword !== '') return { user: p.authUser, password: typedPassword, mechanism: p.authMechanism };
  if (p.passwordSaved) return { user: p.authUser, profileId: p.id, mechanism: p.authMechanism };
  return { user: p.authUser, password: '', mechanism: p.authMechanism };
}

export interface ProfileDraft {
  name: string;
  host: string;
  port: string;
  tls: ProfileFields['tls'];
  authUser: string;
  authMechanism: ProfileFields['authMechanism'];
}

export function emptyProfileDraft(): ProfileDraft {
  return { name: '', host: '', port: '587', tls: 'starttls', authUser: '', authMechanism: 'auto' };
}

export function profileDraftOf(p: Profile): ProfileDraft {
  return { name: p.name, host: p.host, port: String(p.port), tls: p.tls, authUser: p.authUser, authMechanism: p.authMechanism };
}

/** Field → message for the profile form, with the same rules the host applies (shared/validate/store-requests.ts). */
export function profileDraftErrors(d: ProfileDraft): Partial<Record<keyof ProfileDraft, string>> {
  const out: Partial<Record<keyof ProfileDraft, string>> = {};
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u001f\u007f]/;
  if (d.name.trim() === '' || control.test(d.name)) out.name = 'Give the profile a name (one line).';
  else if (d.name.length > 100) out.name = 'The name is too long (at most 100 characters).';
  if (d.host.trim() === '' || /\s/.test(d.host.trim()) || control.test(d.host)) out.host = 'The server is a host name or an address, without spaces.';
  const port = Number(d.port.trim());
  if (!/^\d+$/.test(d.port.trim()) || port < 1 || port > 65535) out.port = 'The port is a number from 1 to 65535.';
  if (control.test(d.authUser)) out.authUser = 'The AUTH user cannot contain control characters.';
  return out;
}

export function profileFieldsOf(d: ProfileDraft): ProfileFields {
  return { name: d.name.trim(), host: d.host.trim(), port: Number(d.port.trim()), tls: d.tls, authUser: d.authUser, authMechanism: d.authMechanism };
}
