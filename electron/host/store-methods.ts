import type { RequestApi } from '../../shared/api';
import { parseEventsExport } from '../../shared/export/events-json';
import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';
import type { Profile } from '../../shared/store-model';
import { dataPaths } from '../store/data-dir';
import { createDraftStore } from '../store/drafts';
import { createHistoryStore } from '../store/history';
import type { JournalSink } from '../store/journal';
import { createProfileStore, type StoredProfile } from '../store/profiles';
import type { SecretStore } from '../store/secrets';
import { exportSessionFile, renderMessageWithEngine, type RenderMessage } from '../store/session-export';
import { createSettingsStore } from '../store/settings';

export { createJournalSink } from '../store/journal';
export type { JournalSink } from '../store/journal';

export type StoreMethodName =
  | 'loadDraft'
  | 'saveDraft'
  | 'getSettings'
  | 'saveSettings'
  | 'listProfiles'
  | 'saveProfile'
  | 'deleteProfile'
  | 'listHistory'
  | 'getHistory'
  | 'deleteHistory'
  | 'exportSession'
  | 'importEvents';
export type StoreMethods = Pick<RequestApi, StoreMethodName>;

export interface StoreMethodsDeps {
  /** Electron: `app.getPath('userData')`; web mode: `--data-dir`. */
  dataDir: string;
  secrets: SecretStore;
  /** The sink the session events go through, so a running session is not listed as interrupted. */
  journal?: JournalSink;
  /** Defaults to the engine's message builder (electron/engine/message.ts). */
  renderMessage?: RenderMessage;
  now?: () => Date;
}

/** A disk error (EACCES, ENOSPC, …) becomes a Result the UI can show, never a thrown error. */
async function guard<T>(what: string, job: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await job();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail('storage_error', `Could not ${what}${code ? ` (${code})` : ''}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function withSaved(p: StoredProfile, secrets: SecretStore): Promise<Profile> {
  return { ...p, passwordSaved: await secrets.has(p.id) };
}

export function createStoreMethods(deps: StoreMethodsDeps): StoreMethods {
  const paths = dataPaths(deps.dataDir);
  const drafts = createDraftStore(paths.draft, deps.now);
  const settings = createSettingsStore(paths.settings);
  const profiles = createProfileStore(paths.profiles, deps.now);
  const history = createHistoryStore(deps.dataDir, (id) => deps.journal?.isLive(id) ?? false);
  const secrets = deps.secrets;
  const render = deps.renderMessage ?? renderMessageWithEngine;
  const profileSecret = createProfileSecretLookup({ dataDir: deps.dataDir, secrets });

  return {
    loadDraft: () => guard('read the draft', async () => ok(await drafts.load())),
    saveDraft: ({ draft }) => guard('save the draft', async () => ok(await drafts.save(draft))),
    getSettings: () => guard('read the settings', async () => ok(await settings.load())),
    saveSettings: ({ settings: s }) => guard('save the settings', async () => ok(await settings.save(s))),

    listProfiles: () =>
      guard('read the profiles', async () => {
        const { profiles: list, recovery } = await profiles.list();
        return ok({ profiles: await Promise.all(list.map((p) => withSaved(p, secrets))), secretStorage: secrets.status(), recovery });
      }),
    saveProfile: (req) =>
      guard('save the profile', async () => {
        const saved = await profiles.save(req.profile);
        if (!saved.ok) return saved;
        const id = saved.value.id;
        let passwordNotice: string | undefined;
        if (req.forgetPassword) await secrets.delete(id);
        if (req.password !== undefined) {
          const kept = await secrets.set(id, req.password);
          if (!kept.ok) passwordNotice = kept.error.message;
          else if (kept.value.kind === 'session') passwordNotice = secrets.status().reason;
        }
        return ok({ profile: await withSaved(saved.value, secrets), ...(passwordNotice ? { passwordNotice } : {}) });
      }),
    deleteProfile: ({ id }) =>
      guard('delete the profile', async () => {
        const gone = await profiles.delete(id);
        await secrets.delete(id);
        return gone ? ok(null) : fail('not_found', 'That profile no longer exists.');
      }),

    listHistory: () => guard('read the history', async () => ok(await history.list())),
    getHistory: ({ id }) => guard('read that session', () => history.get(id)),
    deleteHistory: ({ id }) => guard('delete that session', () => history.delete(id)),
    exportSession: ({ id, format }) =>
      guard('export that session', async () => {
        const detail = await history.get(id);
        if (!detail.ok) return detail;
        const profileId = detail.value.request?.auth?.profileId;
        const known = profileId ? await profileSecret(profileId) : undefined;
        return exportSessionFile(detail.value, format, render, known?.ok ? [known.value.password] : []);
      }),
    importEvents: async ({ text }) => parseEventsExport(text),
  };
}

/**
 * Main side only, never exposed over the API: the password saved for a profile, for the session engine
 * when a request's `auth.profileId` is set.
 */
export interface ProfileSecret {
  user: string;
  password: string;
  host: string;
  port: number;
}

export function createProfileSecretLookup(deps: { dataDir: string; secrets: SecretStore }): (profileId: string) => Promise<Result<ProfileSecret>> {
  const profiles = createProfileStore(dataPaths(deps.dataDir).profiles);
  return (profileId) =>
    guard('read the saved password', async () => {
      const p = await profiles.get(profileId);
      if (!p) return fail('not_found', 'That profile no longer exists.', { field: 'auth.profileId' });
      const password = await deps.secrets.get(profileId);
      if (password === undefined) return fail('no_saved_password', `No password is saved for the profile "${p.name}": type it for this send.`, { field: 'auth.password' });
      return ok({ user: p.authUser, password, host: p.host, port: p.port });
    });
}

/** One-off form of the lookup above. */
export function getProfileSecret(deps: { dataDir: string; secrets: SecretStore }, profileId: string): Promise<Result<ProfileSecret>> {
  return createProfileSecretLookup(deps)(profileId);
}

/** Until the lead wires a data directory, every store method answers this instead of throwing. */
export function createUnavailableStoreMethods(): StoreMethods {
  const no = async (): Promise<Result<never>> => fail('not_implemented', 'Saving drafts, profiles and history is not available in this build yet.');
  return {
    loadDraft: no,
    saveDraft: no,
    getSettings: no,
    saveSettings: no,
    listProfiles: no,
    saveProfile: no,
    deleteProfile: no,
    listHistory: no,
    getHistory: no,
    deleteHistory: no,
    exportSession: no,
    importEvents: async ({ text }) => parseEventsExport(text),
  };
}
