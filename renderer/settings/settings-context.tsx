import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { Result } from '../../shared/result';
import { fail } from '../../shared/result';
import type { Settings, StoreRecovery } from '../../shared/store-model';
import { DEFAULT_SETTINGS } from '../../shared/store-model';
import { useApi } from '../api-context';
import { applyTheme } from './theme';

export interface SettingsValue {
  settings: Settings;
  /** False until the host answered (the defaults are in effect meanwhile). */
  loaded: boolean;
  /** Why the settings could not be read, if they could not. */
  error: string;
  recovery: StoreRecovery | null;
  save(next: Settings): Promise<Result<Settings>>;
}

const FALLBACK: SettingsValue = {
  settings: DEFAULT_SETTINGS,
  loaded: false,
  error: '',
  recovery: null,
  save: async () => fail('not_available', 'Settings are not available here.'),
};

const SettingsContext = createContext<SettingsValue>(FALLBACK);

/** Reads the settings once, applies the theme, and lets any panel read or save them. */
export function SettingsProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState('');
  const [recovery, setRecovery] = useState<StoreRecovery | null>(null);

  useEffect(() => {
    let live = true;
    api
      .getSettings({})
      .then((r) => {
        if (!live) return;
        if (r.ok) {
          setSettings(r.value.settings);
          setRecovery(r.value.recovery);
        } else setError(r.error.message);
        setLoaded(true);
      })
      .catch((e: unknown) => {
        if (!live) return;
        setError(e instanceof Error ? e.message : String(e));
        setLoaded(true);
      });
    return () => {
      live = false;
    };
  }, [api]);

  useEffect(() => applyTheme(settings.theme), [settings.theme]);

  const save = useCallback(
    async (next: Settings): Promise<Result<Settings>> => {
      // In effect at once (a theme change shows without waiting for the disk) and for this run even when
      // it cannot be stored; the panel says so.
      setSettings(next);
      try {
        const r = await api.saveSettings({ settings: next });
        if (r.ok) setSettings(r.value);
        return r;
      } catch (e) {
        return fail('transport', e instanceof Error ? e.message : String(e));
      }
    },
    [api],
  );

  const value = useMemo(() => ({ settings, loaded, error, recovery, save }), [settings, loaded, error, recovery, save]);
  return <SettingsContext.Provider value={value}>{children}</SettingsContext.Provider>;
}

/** The current settings; outside a provider, the defaults. */
export function useSettings(): SettingsValue {
  return useContext(SettingsContext);
}
