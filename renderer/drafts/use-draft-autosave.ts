import { useEffect, useRef, useState } from 'react';
import type { Draft } from '../../shared/model';
import { useApi } from '../api-context';
import { createAutosaver } from './autosaver';
import type { Autosaver } from './autosaver';
import type { DraftSaveState } from './draft-status-text';

export type { DraftSaveState } from './draft-status-text';

/** RELIABILITY "Data on disk": autosave within about 1 s of the last edit. */
export const DRAFT_SAVE_DELAY_MS = 700;

/**
 * Keeps the compose form's draft on disk: loads it once at start (handing it to `onLoad`, unless the user
 * already typed), saves it DRAFT_SAVE_DELAY_MS after the last edit, and at once when the window closes,
 * the page is hidden, or the form goes away. The host writes atomically and keeps one previous copy.
 */
export function useDraftAutosave(draft: Draft, onLoad: (d: Draft) => void, delayMs = DRAFT_SAVE_DELAY_MS): DraftSaveState {
  const api = useApi();
  const [state, setState] = useState<DraftSaveState>({ status: 'loading' });
  const [loaded, setLoaded] = useState(false);
  const saverRef = useRef<Autosaver<Draft> | null>(null);
  const initial = useRef(draft);
  const current = useRef(draft);
  current.current = draft;
  const onLoadRef = useRef(onLoad);
  onLoadRef.current = onLoad;
  const unavailable = useRef(false);

  // One saver for the life of the form.
  if (!saverRef.current) {
    saverRef.current = createAutosaver<Draft>({
      delayMs,
      async save(d) {
        const r = await api.saveDraft({ draft: d });
        if (!r.ok) throw new Error(r.error.message);
        return r.value.savedAt;
      },
      onEvent(e) {
        if (e.kind === 'pending') setState((s) => (s.status === 'saving' ? s : { ...s, status: 'unsaved' }));
        else if (e.kind === 'saving') setState((s) => ({ ...s, status: 'saving' }));
        else if (e.kind === 'saved') setState({ status: 'saved', savedAt: e.at });
        else setState((s) => ({ ...s, status: 'error', message: e.message }));
      },
    });
  }

  // Load once. A StrictMode rehearsal may run this twice; the second answer is ignored.
  useEffect(() => {
    let live = true;
    api
      .loadDraft({})
      .then((r) => {
        if (!live) return;
        const saver = saverRef.current;
        if (!r.ok) {
          if (r.error.code === 'not_implemented') {
            unavailable.current = true;
            setState({ status: 'unavailable', message: r.error.message });
          } else setState({ status: 'error', message: r.error.message });
          setLoaded(true);
          return;
        }
        const { draft: stored, savedAt, recovery } = r.value;
        // Typing that began before the answer wins over the stored draft (it is newer).
        if (stored && current.current === initial.current) {
          saver?.baseline(stored);
          onLoadRef.current(stored);
        }
        setState((st) => (st.status === 'loading' ? { status: savedAt ? 'saved' : 'empty', savedAt: savedAt ?? undefined, recovery: recovery ?? undefined } : { ...st, recovery: recovery ?? undefined }));
        setLoaded(true);
      })
      .catch((e: unknown) => {
        if (!live) return;
        setState({ status: 'error', message: e instanceof Error ? e.message : String(e) });
        setLoaded(true);
      });
    return () => {
      live = false;
    };
  }, [api]);

  useEffect(() => {
    if (!loaded || unavailable.current) return;
    // The untouched starting draft is not worth a file (and must not overwrite a stored one).
    if (draft === initial.current) return;
    saverRef.current?.change(draft);
  }, [draft, loaded]);

  // Closing, reloading or hiding the window: no time to wait for the debounce.
  useEffect(() => {
    const flush = () => saverRef.current?.flush();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    window.addEventListener('beforeunload', flush);
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('beforeunload', flush);
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', onVisibility);
      // Unmounting (or StrictMode's rehearsal of it): save what is pending; the saver stays usable.
      flush();
    };
  }, []);

  return state;
}
