import { useRef } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';

export interface SessionTab<T extends string> {
  id: T;
  label: string;
}

/**
 * The tabs over a session's views (log, waterfall, preview) and the one panel they control, in the Send
 * panel and in History alike. WAI-ARIA tabs: one tab stop; the arrows, Home and End move and select.
 */
export function SessionTabs<T extends string>({
  tabs,
  current,
  onChange,
  idBase,
  label,
  children,
}: {
  tabs: ReadonlyArray<SessionTab<T>>;
  current: T;
  onChange: (tab: T) => void;
  /** Prefix of the tab and panel ids, unique in the page. */
  idBase: string;
  label: string;
  children: ReactNode;
}) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const panelId = `${idBase}-tabpanel`;

  function onKey(e: KeyboardEvent, i: number) {
    const n = tabs.length;
    const next = e.key === 'ArrowRight' ? (i + 1) % n : e.key === 'ArrowLeft' ? (i + n - 1) % n : e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    onChange(tabs[next].id);
    refs.current[next]?.focus();
  }

  return (
    <>
      <div className="session-tabs" role="tablist" aria-label={label}>
        {tabs.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${idBase}-tab-${t.id}`}
            aria-selected={current === t.id}
            aria-controls={panelId}
            tabIndex={current === t.id ? 0 : -1}
            className="session-tab"
            onClick={() => onChange(t.id)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="session-tabpanel" role="tabpanel" id={panelId} aria-labelledby={`${idBase}-tab-${current}`}>
        {children}
      </div>
    </>
  );
}
