import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { Settings, Theme, TimeoutPreset } from '../../shared/store-model';
import { QUICK_TIMEOUTS, RFC_TIMEOUTS } from '../../shared/store-model';
import { Field } from '../components/field';
import { FormAnnouncer } from '../components/form-announcer';
import { formatClock } from '../history/history-format';
import { ProfileManager } from '../profiles/ProfileManager';
import { heloSettingError, resolverError } from './settings-checks';
import { TimeoutTable } from './timeout-table';
import { useSettings } from './settings-context';

const THEMES: Array<{ value: Theme; label: string; hint: string }> = [
  { value: 'system', label: 'System', hint: 'follow the desktop’s light or dark setting' },
  { value: 'light', label: 'Light', hint: '' },
  { value: 'dark', label: 'Dark', hint: '' },
];

const FIELD_LABELS = { resolver: 'Default DNS resolver', helo: 'HELO name' };

const PRESETS: Array<{ value: TimeoutPreset; label: string; hint: string }> = [
  { value: 'rfc', label: 'RFC defaults', hint: 'RFC 5321 §4.5.3.2: patient, as a real MTA waits (5 min per command, 10 min after the dot)' },
  { value: 'quick', label: 'Quick diagnose', hint: 'fail fast (15 s per command): for finding what is wrong, not for delivering' },
];

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="settings-section" aria-labelledby={id}>
      <h2 id={id} className="section-title">
        {title}
      </h2>
      {children}
    </section>
  );
}

/**
 * Settings: theme, sending defaults (resolver, HELO name, timeouts preset) and the saved targets and
 * relays. A choice is saved when made; a text field when it is left (or Enter is pressed) and is valid.
 */
export function SettingsPanel() {
  const { settings, loaded, error, recovery, save } = useSettings();
  const [resolver, setResolver] = useState(settings.defaultResolver);
  const [helo, setHelo] = useState(settings.heloName);
  const [status, setStatus] = useState<{ text: string; error: boolean }>({ text: '', error: false });

  // The stored values arrive after the first render.
  useEffect(() => setResolver(settings.defaultResolver), [settings.defaultResolver]);
  useEffect(() => setHelo(settings.heloName), [settings.heloName]);

  const resolverErr = resolverError(resolver);
  const heloErr = heloSettingError(helo);

  async function commit(next: Settings) {
    const r = await save(next);
    setStatus(r.ok ? { text: `Settings saved ${formatClock(new Date().toISOString())}`, error: false } : { text: `Not saved: ${r.error.message}`, error: true });
  }

  function commitText() {
    if (resolverErr || heloErr) return;
    const next = { ...settings, defaultResolver: resolver.trim(), heloName: helo.trim() };
    if (next.defaultResolver === settings.defaultResolver && next.heloName === settings.heloName) return;
    void commit(next);
  }

  return (
    <div className="panel-body settings-panel">
      <div className="settings-head">
        <h1 className="settings-h1">Settings</h1>
        <span className={`settings-status${status.error ? ' is-error' : ''}`} role={status.error ? 'alert' : 'status'}>
          {!loaded ? 'Reading…' : status.text}
        </span>
      </div>
      {error ? (
        <p className="banner banner-warn settings-note" role="alert">
          The settings could not be read ({error}); the defaults are in use.
        </p>
      ) : null}
      {recovery ? <p className="banner banner-warn settings-note">{recovery.message}</p> : null}

      <Section id="settings-h-appearance" title="Appearance">
        <fieldset className="settings-choices">
          <legend className="field-label">Theme</legend>
          {THEMES.map((t) => (
            <label key={t.value} className="settings-choice">
              <input type="radio" name="settings-theme" value={t.value} checked={settings.theme === t.value} onChange={() => void commit({ ...settings, theme: t.value })} />
              <span>
                {t.label}
                {t.hint ? <span className="muted"> — {t.hint}</span> : null}
              </span>
            </label>
          ))}
        </fieldset>
      </Section>

      <Section id="settings-h-sending" title="Sending defaults">
        <form
          className="settings-fields"
          onSubmit={(e) => {
            e.preventDefault();
            commitText();
          }}
        >
          <Field label="Default DNS resolver" hint="host[:port]; empty: the system’s resolver. Used by the MX inspector, and by sends whose form names none." error={resolverErr}>
            {(p) => <input {...p} type="text" className="mono" placeholder="e.g. 127.0.0.1:53" spellCheck={false} value={resolver} onChange={(e) => setResolver(e.target.value)} onBlur={commitText} />}
          </Field>
          <Field label="HELO name" hint="the name MX Desk gives in EHLO (RFC 5321 §4.1.1.1); empty: this machine’s name, or its address literal when it has no FQDN (§4.1.4)" error={heloErr}>
            {(p) => <input {...p} type="text" className="mono" placeholder="e.g. client.example.com" spellCheck={false} value={helo} onChange={(e) => setHelo(e.target.value)} onBlur={commitText} />}
          </Field>
          {/* Enter in a text field saves; the button is there for those who look for one. */}
          <div>
            <button type="submit" disabled={Boolean(resolverErr || heloErr) || (resolver.trim() === settings.defaultResolver && helo.trim() === settings.heloName)}>
              Save
            </button>
          </div>
        </form>
        <fieldset className="settings-choices">
          <legend className="field-label">Timeouts</legend>
          {PRESETS.map((t) => (
            <label key={t.value} className="settings-choice">
              <input type="radio" name="settings-timeouts" value={t.value} checked={settings.timeoutPreset === t.value} onChange={() => void commit({ ...settings, timeoutPreset: t.value })} />
              <span>
                {t.label} <span className="muted">— {t.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <FormAnnouncer errors={{ resolver: resolverErr, helo: heloErr }} labels={FIELD_LABELS} />
        <TimeoutTable rfc={RFC_TIMEOUTS} quick={QUICK_TIMEOUTS} chosen={settings.timeoutPreset} />
      </Section>

      <Section id="settings-h-profiles" title="Saved targets and relays">
        <ProfileManager />
      </Section>
    </div>
  );
}
