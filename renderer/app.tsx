import { useCallback, useEffect, useRef, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import type { HostInfo } from '../shared/api';
import type { SessionRequest } from '../shared/model';
import { AnalysePanel } from './analyse/analyse-panel';
import { useApi } from './api-context';
import { NavIcon } from './components/nav-icon';
import type { NavIconName } from './components/nav-icon';
import { HistoryPanel } from './history/HistoryPanel';
import type { HandoffNote, SendHandoff } from './history/run-again';
import { MxInspector } from './mx/mx-inspector';
import { ProfilesProvider } from './profiles/profiles-context';
import { SendPanel } from './send/SendPanel';
import { SettingsPanel } from './settings/SettingsPanel';
import { SettingsProvider } from './settings/settings-context';

/** What a panel may need from the frame: whether it is shown, and the History → Send hand-over. */
interface FeatureContext {
  active: boolean;
  handoff: SendHandoff | undefined;
  runAgain: (request: SessionRequest, note: HandoffNote) => void;
}

interface Feature {
  id: NavIconName;
  label: string;
  /** The panel shows its own h1 (Settings); the others get a visually hidden one named like the tab. */
  ownHeading?: boolean;
  render: (ctx: FeatureContext) => ReactNode;
}

// One entry per feature: renderer/mx, renderer/send (compose, target, session), renderer/history, renderer/settings.
const FEATURES: Feature[] = [
  { id: 'mx', label: 'MX inspector', render: () => <MxInspector /> },
  { id: 'send', label: 'Send', render: (c) => <SendPanel handoff={c.handoff} /> },
  { id: 'history', label: 'History', render: (c) => <HistoryPanel visible={c.active} onRunAgain={c.runAgain} /> },
  // The message analyser (renderer/analyse): hops, authentication, DKIM re-verified, bounces.
  { id: 'analyse', label: 'Analyse', render: () => <AnalysePanel /> },
  // Rendered only while shown: nothing in it outlives a visit (a field is saved when left), and its profile
  // form (Server, Port, TLS, Password) then never stands beside the Send form's fields of the same names.
  { id: 'settings', label: 'Settings', ownHeading: true, render: (c) => (c.active ? <SettingsPanel /> : null) },
];

export function App() {
  const [active, setActive] = useState<NavIconName>('mx');
  const [handoff, setHandoff] = useState<SendHandoff | undefined>();
  const tabs = useRef<Array<HTMLButtonElement | null>>([]);
  // History's "Run again": hand the stored request to the Send panel and show it there.
  const runAgain = useCallback((request: SessionRequest, note: HandoffNote) => {
    setHandoff((h) => ({ id: (h?.id ?? 0) + 1, request, note }));
    setActive('send');
    tabs.current[FEATURES.findIndex((f) => f.id === 'send')]?.focus();
  }, []);

  // WAI-ARIA tabs pattern: arrows move between tabs (and select them), Home/End jump to the ends.
  function onTabKey(e: KeyboardEvent, index: number) {
    const last = FEATURES.length - 1;
    let next = -1;
    if (e.key === 'ArrowDown' || e.key === 'ArrowRight') next = index === last ? 0 : index + 1;
    else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') next = index === 0 ? last : index - 1;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = last;
    if (next < 0) return;
    e.preventDefault();
    setActive(FEATURES[next].id);
    tabs.current[next]?.focus();
  }

  return (
    <SettingsProvider>
      <ProfilesProvider>
        <div className="app">
          <nav className="sidebar" aria-label="Features">
            <div className="app-title">
              <span className="app-mark" aria-hidden="true">
                MX
              </span>
              MX Desk
            </div>
            <div role="tablist" aria-orientation="vertical" aria-label="Features" className="tablist">
              {FEATURES.map((f, i) => (
                <button
                  key={f.id}
                  ref={(el) => {
                    tabs.current[i] = el;
                  }}
                  role="tab"
                  id={`tab-${f.id}`}
                  aria-selected={active === f.id}
                  aria-controls={`panel-${f.id}`}
                  tabIndex={active === f.id ? 0 : -1}
                  className="tab"
                  onClick={() => setActive(f.id)}
                  onKeyDown={(e) => onTabKey(e, i)}
                >
                  <NavIcon name={f.id} />
                  <span>{f.label}</span>
                </button>
              ))}
            </div>
          </nav>
          <div className="workspace">
            {/* Panels stay mounted while hidden, so a lookup or a draft survives switching tabs. */}
            <main className="panels">
              {FEATURES.map((f) => (
                <div key={f.id} role="tabpanel" id={`panel-${f.id}`} aria-labelledby={`tab-${f.id}`} hidden={active !== f.id} className="panel">
                  {/* One level-one heading per screen (axe page-has-heading-one; WCAG 2 §2.4.6, §1.3.1). */}
                  {f.ownHeading ? null : <h1 className="visually-hidden">{f.label}</h1>}
                  {f.render({ active: active === f.id, handoff, runAgain })}
                </div>
              ))}
            </main>
            <StatusBar />
          </div>
        </div>
      </ProfilesProvider>
    </SettingsProvider>
  );
}

function StatusBar() {
  const api = useApi();
  const [info, setInfo] = useState<HostInfo | null>(null);
  useEffect(() => {
    let live = true;
    api
      .hostInfo({})
      .then((r) => {
        if (live && r.ok) setInfo(r.value);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api]);
  return (
    <footer className="statusbar">
      <span>{info ? (info.host === 'electron' ? 'Desktop app' : 'Web mode (loopback only)') : 'Connecting…'}</span>
      {info ? <span className="statusbar-right">MX Desk {info.version}</span> : null}
    </footer>
  );
}
