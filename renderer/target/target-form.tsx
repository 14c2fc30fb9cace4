import type { RefObject } from 'react';
import type { CertPolicy, Stage, TlsMode } from '../../shared/model';
import type { Profile } from '../../shared/store-model';
import { ChoiceSelect } from '../components/choice-select';
import type { Choice } from '../components/choice-select';
import { Field } from '../components/field';
import { ProfilePicker } from '../profiles/profile-picker';
import { profilePasswordHint, profileToTarget } from '../profiles/profile-target';
import { MxTarget } from './mx-target';
import type { RelayPreset, TargetErrors, TargetState } from './target-state';
import { applyPreset, AUTH_MECHANISMS, PRESETS, usesBearerToken } from './target-state';
import { AdvancedSection } from './advanced-section';

const CERT_POLICIES: Array<Choice<CertPolicy>> = [
  { value: 'verify', label: 'Verify the host name' },
  { value: 'override-once', label: 'Accept any, this run only' },
];

const TLS_MODES: Array<Choice<TlsMode>> = [
  { value: 'auto', label: 'STARTTLS when offered (opportunistic)' },
  { value: 'starttls', label: 'STARTTLS required' },
  { value: 'require', label: 'TLS required (STARTTLS or implicit)' },
  { value: 'implicit', label: 'Implicit TLS from the first byte (465)' },
  { value: 'none', label: 'No TLS (plain text)' },
];

const TLS_POLICIES: Array<Choice<'as-set' | 'mta'>> = [
  { value: 'as-set', label: 'As set' },
  { value: 'mta', label: 'As a DANE/MTA-STS-aware MTA would' },
];

export const BREAKPOINT_STAGES: Array<{ stage: Stage; label: string }> = [
  { stage: 'ehlo', label: 'EHLO' },
  { stage: 'starttls', label: 'STARTTLS' },
  { stage: 'auth', label: 'AUTH' },
  { stage: 'mail', label: 'MAIL FROM' },
  { stage: 'rcpt', label: 'RCPT TO' },
  { stage: 'data', label: 'DATA' },
  { stage: 'body', label: 'body' },
  { stage: 'quit', label: 'QUIT' },
];

/**
 * A saved target, direct to MX, a specific server, or a relay preset; then HELO, TLS, pipelining/chunking
 * and AUTH. `saved` is the saved target the form still matches (profiles/profile-target.ts: appliedProfile).
 */
export function TargetForm({
  state,
  onChange,
  errors,
  domains,
  defaultHelo,
  defaultResolver,
  passwordRef,
  saved,
}: {
  state: TargetState;
  onChange: (s: TargetState) => void;
  errors: TargetErrors;
  domains: string[];
  defaultHelo: string;
  /** The Settings' resolver, used for the MX set when the form names none. */
  defaultResolver: string;
  passwordRef: RefObject<HTMLInputElement | null>;
  saved: Profile | undefined;
}) {
  const set = <K extends keyof TargetState>(key: K, value: TargetState[K]) => onChange({ ...state, [key]: value, ...(key === 'host' || key === 'port' ? { preset: undefined } : {}) });
  return (
    <div className="target-form">
      <ProfilePicker selectedId={saved?.id} onPick={(p) => onChange(p ? profileToTarget(state, p) : { ...state, profileId: undefined })} />
      <fieldset className="choice-row">
        <legend className="field-label">Connect to</legend>
        <label className="radio">
          <input type="radio" name="target-kind" checked={state.kind === 'mx'} onChange={() => onChange({ ...state, kind: 'mx', preset: undefined })} />
          Direct to MX
        </label>
        <label className="radio">
          <input type="radio" name="target-kind" checked={state.kind === 'host'} onChange={() => onChange({ ...state, kind: 'host' })} />
          A specific server
        </label>
      </fieldset>
      <div className="preset-row" role="group" aria-label="Relay presets">
        {(Object.keys(PRESETS) as RelayPreset[]).map((p) => (
          <button key={p} type="button" className={`preset-button${state.preset === p ? ' is-on' : ''}`} aria-pressed={state.preset === p} title={PRESETS[p].detail} onClick={() => onChange(applyPreset(state, p))}>
            {PRESETS[p].label}
          </button>
        ))}
      </div>

      {state.kind === 'mx' ? (
        <>
          <MxTarget domains={domains} resolver={state.resolver.trim() || defaultResolver} choice={{ preferHost: state.preferHost, preferAddress: state.preferAddress }} onChoice={(c) => onChange({ ...state, ...c })} />
          <div className="field-row">
            <Field label="Port" error={errors.mxPort} className="field-port">
              {(p) => <input {...p} type="text" inputMode="numeric" value={state.mxPort} onChange={(e) => set('mxPort', e.target.value)} />}
            </Field>
            <Field label="DNS resolver" hint={defaultResolver ? `empty: ${defaultResolver} (Settings)` : 'empty: the default'} className="field-grow">
              {(p) => <input {...p} type="text" className="mono" placeholder="host[:port]" value={state.resolver} onChange={(e) => set('resolver', e.target.value)} />}
            </Field>
          </div>
        </>
      ) : (
        <div className="field-row">
          <Field label="Server" error={errors.host} className="field-grow">
            {(p) => <input {...p} type="text" className="mono" placeholder="smtp.example.com" value={state.host} onChange={(e) => set('host', e.target.value)} />}
          </Field>
          <Field label="Port" error={errors.port} className="field-port">
            {(p) => <input {...p} type="text" inputMode="numeric" value={state.port} onChange={(e) => set('port', e.target.value)} />}
          </Field>
        </div>
      )}

      <Field label="HELO name" error={errors.heloName} hint={state.heloEdited ? undefined : 'this machine’s name, or its address literal when it has no FQDN (RFC 5321 §4.1.4)'}>
        {(p) => (
          <div className="input-with-action">
            <input
              {...p}
              type="text"
              className="mono"
              value={state.heloName}
              placeholder={defaultHelo}
              onChange={(e) => onChange({ ...state, heloName: e.target.value, heloEdited: true })}
            />
            {state.heloEdited && defaultHelo ? (
              <button type="button" onClick={() => onChange({ ...state, heloName: defaultHelo, heloEdited: false })}>
                Default
              </button>
            ) : null}
          </div>
        )}
      </Field>

      <div className="field-row tls-row">
        <Field label="TLS" className="field-grow">
          {(p) => <ChoiceSelect control={p} value={state.tls} choices={TLS_MODES} onChange={(v) => set('tls', v)} />}
        </Field>
        <Field label="Certificate" className="field-grow">
          {(p) => <ChoiceSelect control={p} value={state.certPolicy} choices={CERT_POLICIES} onChange={(v) => set('certPolicy', v)} />}
        </Field>
        <Field label="TLS policy" className="field-grow" hint={state.tlsPolicy ? 'DANE (RFC 7672) or MTA-STS (RFC 8461) decide per host; each decision is in the log' : undefined}>
          {(p) => <ChoiceSelect control={p} value={state.tlsPolicy ?? 'as-set'} choices={TLS_POLICIES} onChange={(v) => set('tlsPolicy', v === 'mta' ? 'mta' : undefined)} />}
        </Field>
      </div>

      <div className="check-row">
        <label className="check">
          <input type="checkbox" checked={state.pipelining} onChange={(e) => set('pipelining', e.target.checked)} />
          PIPELINING <span className="muted">(RFC 2920)</span>
        </label>
        <label className="check">
          <input type="checkbox" checked={state.chunking} onChange={(e) => set('chunking', e.target.checked)} />
          CHUNKING / BDAT <span className="muted">(RFC 3030)</span>
        </label>
        <label className="check">
          <input type="checkbox" checked={state.authEnabled} onChange={(e) => set('authEnabled', e.target.checked)} />
          AUTH
        </label>
      </div>

      {state.authEnabled ? (
        <div className="auth-box">
          <div className="field-row">
            <Field label="User" error={errors.authUser} className="field-grow">
              {(p) => <input {...p} type="text" autoComplete="off" spellCheck={false} value={state.authUser} onChange={(e) => set('authUser', e.target.value)} />}
            </Field>
            {/* XOAUTH2 / OAUTHBEARER (RFC 7628): the bearer token takes the password's place, and is kept like it. */}
            <Field label={usesBearerToken(state.authMechanism) ? 'Bearer token' : 'Password'} className="field-grow" hint={saved?.authUser ? profilePasswordHint(saved) : usesBearerToken(state.authMechanism) ? 'the OAuth 2.0 access token; a secret like a password, never shown in the log' : 'sent only to the server; never shown in the log'}>
              {/* Uncontrolled on purpose: the password never enters React state or a DOM attribute. */}
              {(p) => <input {...p} ref={passwordRef} type="password" autoComplete="off" className="password-input" />}
            </Field>
            <Field label="Mechanism" className="field-mech">
              {(p) => <ChoiceSelect control={p} value={state.authMechanism} choices={AUTH_MECHANISMS} onChange={(v) => set('authMechanism', v)} />}
            </Field>
          </div>
          <label className="check">
            <input type="checkbox" checked={state.allowPlaintextAuthOnLoopback} onChange={(e) => set('allowPlaintextAuthOnLoopback', e.target.checked)} />
            Allow AUTH without TLS to a loopback relay
          </label>
        </div>
      ) : null}

      <fieldset className="check-row breakpoints">
        <legend className="field-label">Pause before (breakpoints)</legend>
        {BREAKPOINT_STAGES.map((b) => (
          <label key={b.stage} className="check">
            <input
              type="checkbox"
              aria-label={`Pause before ${b.label}`}
              checked={state.breakpoints.includes(b.stage)}
              onChange={(e) => set('breakpoints', e.target.checked ? [...state.breakpoints, b.stage] : state.breakpoints.filter((s) => s !== b.stage))}
            />
            {b.label}
          </label>
        ))}
      </fieldset>

      <AdvancedSection value={state.advanced} onChange={(a) => set('advanced', a)} errors={errors} />
    </div>
  );
}
