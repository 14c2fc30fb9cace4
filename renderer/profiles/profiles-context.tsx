import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { Result } from '../../shared/result';
import { fail } from '../../shared/result';
import type { ProfileList, SaveProfileRequest, SaveProfileResult } from '../../shared/store-model';
import { useApi } from '../api-context';

export interface ProfilesValue {
  /** Null until the host answered. */
  list: ProfileList | null;
  error: string;
  refresh(): Promise<void>;
  save(req: SaveProfileRequest): Promise<Result<SaveProfileResult>>;
  remove(id: string): Promise<Result<null>>;
}

const ProfilesContext = createContext<ProfilesValue | null>(null);

function transportFail<T>(e: unknown): Result<T> {
  return fail('transport', e instanceof Error ? e.message : String(e));
}

/**
 * The saved targets and relays, shared by the manager (Settings) and every ProfilePicker, so a profile
 * saved in one place shows in the other at once. Holds no password: the host answers "saved: yes/no".
 */
export function ProfilesProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [list, setList] = useState<ProfileList | null>(null);
  const [error, setError] = useState('');

  const refresh = useCallback(async () => {
    try {
      const r = await api.listProfiles({});
      if (r.ok) {
        setList(r.value);
        setError('');
      } else setError(r.error.message);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [api]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const save = useCallback(
    async (req: SaveProfileRequest) => {
      const r = await api.saveProfile(req).catch((e: unknown) => transportFail<SaveProfileResult>(e));
      if (r.ok) await refresh();
      return r;
    },
    [api, refresh],
  );

  const remove = useCallback(
    async (id: string) => {
      const r = await api.deleteProfile({ id }).catch((e: unknown) => transportFail<null>(e));
      await refresh();
      return r;
    },
    [api, refresh],
  );

  const value = useMemo(() => ({ list, error, refresh, save, remove }), [list, error, refresh, save, remove]);
  return <ProfilesContext.Provider value={value}>{children}</ProfilesContext.Provider>;
}

export function useProfiles(): ProfilesValue {
  const v = useContext(ProfilesContext);
  if (!v) throw new Error('useProfiles() used outside <ProfilesProvider>');
  return v;
}
