/**
 * From the three forms (message, target, run) to one SessionRequest, and the combined field errors that
 * gate Send. Pure.
 */
import type { AuthInput, Draft, SessionRequest } from '../../shared/model';
import type { Profile } from '../../shared/store-model';
import { draftErrors, heloError, hostPortError, portError } from '../compose/field-checks';
import { profileAuth } from '../profiles/profile-target';
import type { TargetErrors, TargetState } from '../target/target-state';
import { buildAuth, targetRequestParts } from '../target/target-state';
import { advancedTargetErrors } from '../target/advanced-errors';

/** The draft as it is sent: no HTML alternative unless switched on, no stale raw text outside raw mode. */
export function draftForSend(d: Draft, htmlOn: boolean): Draft {
  return { ...d, html: htmlOn && !d.rawMode ? d.html : '' };
}

export function targetErrors(t: TargetState): TargetErrors {
  const out: TargetErrors = {};
  // Over a UNIX socket an empty server name means `localhost` (target-state.ts buildTarget).
  if (t.kind === 'host') Object.assign(out, hostPortError(t.host.trim() || (t.advanced.socketPath.trim() ? 'localhost' : ''), t.port));
  else {
    const p = portError(t.mxPort);
    if (p) out.mxPort = p;
  }
  const helo = heloError(t.heloName);
  if (helo) out.heloName = helo;
  if (t.authEnabled && t.authUser.trim() === '') out.authUser = 'Enter the AUTH user name, or switch AUTH off.';
  Object.assign(out, advancedTargetErrors(t));
  return out;
}

/** Every error that stops Send, keyed by field. */
export function allErrors(d: Draft, htmlOn: boolean, t: TargetState): Record<string, string> {
  const out: Record<string, string> = { ...draftErrors(draftForSend(d, htmlOn)) };
  for (const [k, v] of Object.entries(targetErrors(t))) if (v) out[k] = v;
  return out;
}

/**
 * AUTH for the request. With a saved target still in force (profiles/profile-target.ts: appliedProfile), a
 * password saved with it is used by `profileId` when none is typed: main looks it up, the page never has it.
 */
export function requestAuth(t: TargetState, password: string, saved?: Profile): AuthInput | undefined {
  if (!t.authEnabled) return undefined;
  return saved ? profileAuth(saved, password) : buildAuth(t, password);
}

export function buildSessionRequest(d: Draft, htmlOn: boolean, t: TargetState, mode: 'auto' | 'step', password: string, overrides: Partial<SessionRequest> = {}, saved?: Profile): SessionRequest {
  const auth = requestAuth(t, password, saved);
  return { draft: draftForSend(d, htmlOn), mode, ...targetRequestParts(t), ...(auth ? { auth } : {}), ...overrides };
}

/** The same AUTH with the password typed now (a re-run): a typed one wins, else the saved one stays in use. */
export function withTypedPassword(auth: AuthInput, typed: string): AuthInput {
  if (typed === '' && auth.profileId) return auth;
  return { user: auth.user, password: typed, mechanism: auth.mechanism };
}
