import { useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { Draft, SessionRequest } from '../../shared/model';
import { parseEhloReply } from '../../shared/smtp/capabilities';
import { useApi } from '../api-context';
import { ComposeForm, FIELD_LABELS } from '../compose/compose-form';
import { effectiveEnvelope, emptyDraft } from '../compose/draft-state';
import { EnvelopeFields } from '../compose/envelope-fields';
import { recipientDomains } from '../compose/field-checks';
import { FormAnnouncer } from '../components/form-announcer';
import { TargetForm } from '../target/target-form';
// H9 (history/drafts/settings): draft autosave, Run again from History, and the Settings' send defaults.
import { DraftStatus } from '../drafts/draft-status';
import { useDraftAutosave } from '../drafts/use-draft-autosave';
import type { HandoffNote, SendHandoff } from '../history/run-again';
import { useSendHandoff } from '../history/use-send-handoff';
import { appliedProfile } from '../profiles/profile-target';
import { useProfiles } from '../profiles/profiles-context';
import { heloDefault, withSendDefaults } from '../settings/send-defaults';
import { useSettings } from '../settings/settings-context';
import { isRunning } from '../session/session-view';
import type { TargetState } from '../target/target-state';
import { defaultTarget, describeTarget } from '../target/target-state';
import { ADVANCED_LABELS } from '../target/advanced-state';
import { allErrors, buildSessionRequest, targetErrors, withTypedPassword } from './send-request';
import { SessionPane } from './session-pane';
// Issue 10 (engineer D): DKIM signing fields and the sender domain check.
import { SenderAuthSection } from '../sender/sender-section';
import { dkimErrors, dkimRequest, EMPTY_DKIM, previewDkim, type DkimFormState } from '../sender/dkim-state';
import { useSendSession, useSessionValue } from './use-send-session';

/** Field labels for the form's live region: the message fields and the target's Advanced options. */
const ANNOUNCED_LABELS: Readonly<Record<string, string>> = { ...FIELD_LABELS, ...ADVANCED_LABELS };

/**
 * The sending window: compose on the left, the live session on the right, one run bar on top.
 * Ctrl+Enter sends, Escape cancels a running session; everything is reachable with Tab.
 */
export function SendPanel({ handoff }: { handoff?: SendHandoff } = {}) {
  const api = useApi();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [htmlOn, setHtmlOn] = useState(false);
  const [target, setTarget] = useState<TargetState>(defaultTarget);
  const [defaultHelo, setDefaultHelo] = useState('');
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [showAll, setShowAll] = useState(false);
  const [tab, setTab] = useState<'log' | 'waterfall' | 'preview'>('log');
  const [formHidden, setFormHidden] = useState(false);
  const [serverSize, setServerSize] = useState<{ size: number; server: string } | undefined>();
  const passwordRef = useRef<HTMLInputElement>(null);
  const [dkim, setDkim] = useState<DkimFormState>(EMPTY_DKIM);
  const dkimKeyRef = useRef<HTMLTextAreaElement>(null);
  const formRef = useRef<HTMLDivElement>(null);
  const session = useSendSession();
  const running = useSessionValue(session, isRunning) || session.starting;
  // The server's SIZE (RFC 1870), once a session's EHLO told us, read with the shared EHLO parser.
  const ehlo = useSessionValue(session, (v) => v?.lastEhlo);
  const sessionTarget = useSessionValue(session, (v) => v?.target);
  const lastRequest = useRef<SessionRequest | undefined>(undefined);
  const { settings } = useSettings();
  const heloFallback = heloDefault(settings, defaultHelo);
  const { list: profileList } = useProfiles();
  // The saved target the form was filled from, while it still matches: its saved password may be used.
  const saved = appliedProfile(target, profileList?.profiles ?? []);
  const [handoffNote, setHandoffNote] = useState<HandoffNote | undefined>();
  const draftSave = useDraftAutosave(draft, (d) => {
    setDraft(d);
    setHtmlOn(d.html !== '' && !d.rawMode);
  });
  useSendHandoff(handoff, target, (forms, note) => {
    setDraft(forms.draft);
    setHtmlOn(forms.htmlOn);
    setTarget(forms.target);
    setTouched(new Set());
    setShowAll(false);
    setFormHidden(false);
    if (passwordRef.current) passwordRef.current.value = '';
    setHandoffNote(note);
  });
  // The Settings' HELO name, when set, replaces the host's own name as the prefill.
  useEffect(() => {
    if (heloFallback) setTarget((t) => (t.heloEdited ? t : { ...t, heloName: heloFallback }));
  }, [heloFallback]);

  // The HELO name starts as the host's own name and stays editable.
  useEffect(() => {
    let live = true;
    api
      .hostInfo({})
      .then((r) => {
        if (!live || !r.ok) return;
        setDefaultHelo(r.value.defaultHeloName);
        setTarget((t) => (t.heloEdited ? t : { ...t, heloName: r.value.defaultHeloName }));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api]);

  useEffect(() => {
    if (!ehlo) return;
    const caps = parseEhloReply(ehlo);
    if (caps.size !== undefined) setServerSize({ size: caps.size, server: sessionTarget ?? 'the server' });
  }, [ehlo, sessionTarget]);

  const errors = useMemo(() => allErrors(draft, htmlOn, target), [draft, htmlOn, target]);
  const tErrors = useMemo(() => targetErrors(target), [target]);
  // An invalid Advanced option (shown by its field as typed) keeps Send and Step disabled.
  const advancedInvalid = Object.keys(tErrors).some((k) => k.startsWith('advanced.'));
  const shown = (k: string) => isShown(k, touched, showAll);
  const visibleErrors = useMemo(() => Object.fromEntries(Object.entries(errors).filter(([k]) => isShown(k, touched, showAll))), [errors, touched, showAll]);
  const envelope = effectiveEnvelope(draft);
  const domains = recipientDomains(envelope.rcptTo);

  function touch(d: Draft) {
    const changed = new Set(touched);
    for (const k of Object.keys(d) as Array<keyof Draft>) if (d[k] !== draft[k]) changed.add(k);
    setTouched(changed);
    setDraft(d);
  }
  function touchTarget(t: TargetState) {
    const changed = new Set(touched);
    for (const k of Object.keys(t) as Array<keyof TargetState>) if (t[k] !== target[k]) changed.add(k);
    setTouched(changed);
    setTarget(t);
  }

  async function run(mode: 'auto' | 'step', overrides: Partial<SessionRequest> = {}) {
    if (running) return;
    if (Object.keys(errors).length > 0) {
      setShowAll(true);
      setFormHidden(false);
      // Put the keyboard on the first field that is wrong.
      window.setTimeout(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
      return;
    }
    const typedKey = dkimKeyRef.current?.value ?? '';
    if (Object.keys(dkimErrors(dkim, typedKey)).length > 0) {
      setShowAll(true);
      setFormHidden(false);
      return;
    }
    const signing = dkimRequest(dkim, typedKey);
    const req = withSendDefaults(buildSessionRequest(draft, htmlOn, target, mode, passwordRef.current?.value ?? '', { ...overrides, ...(signing ? { dkim: signing } : {}) }, saved), settings);
    setHandoffNote(undefined);
    lastRequest.current = req;
    setTab('log');
    await session.start(req);
  }

  function rerunTrustingCert() {
    const last = lastRequest.current;
    if (!last || running) return;
    // The override applies to this one run only; the form keeps "verify".
    const req: SessionRequest = { ...last, certPolicy: 'override-once', auth: last.auth ? withTypedPassword(last.auth, passwordRef.current?.value ?? '') : undefined };
    void session.start(req);
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void run('auto');
    } else if (e.key === 'Escape' && running) {
      e.preventDefault();
      void session.cancel();
    }
  }

  const errorCount = Object.keys(errors).length;
  return (
    <div className="send-panel" onKeyDown={onKeyDown}>
      <div className="run-bar" role="toolbar" aria-label="Run">
        <div className="run-target">
          <span className="field-label">Target</span>
          <span className="mono run-target-text">{describeTarget(target, domains[0])}</span>
        </div>
        <button type="button" className="form-toggle" aria-expanded={!formHidden} aria-controls="send-compose" onClick={() => setFormHidden((h) => !h)}>
          {formHidden ? 'Show the form' : 'Hide the form'}
        </button>
        <DraftStatus state={draftSave} />
        <div className="run-actions">
          {showAll && errorCount > 0 ? (
            <span className="run-errors" role="status">
              {errorCount === 1 ? '1 field needs attention' : `${errorCount} fields need attention`}
            </span>
          ) : null}
          {session.error ? (
            <span className="run-errors" role="alert">
              {session.error}
            </span>
          ) : null}
          <button type="button" onClick={() => setTab('preview')} aria-pressed={tab === 'preview'}>
            Preview
          </button>
          <button type="button" onClick={() => void run('step')} disabled={running || advancedInvalid} title="Send one command at a time">
            Step
          </button>
          <button type="button" className="button-primary" onClick={() => void run('auto')} disabled={running || advancedInvalid} title={advancedInvalid ? 'An Advanced option is invalid: fix it first' : undefined} aria-keyshortcuts="Control+Enter">
            Send
          </button>
          <button type="button" className="button-cancel" onClick={() => void session.cancel()} disabled={!running} aria-keyshortcuts="Escape">
            Cancel
          </button>
        </div>
      </div>
      <div className={`send-body${formHidden ? ' form-hidden' : ''}`}>
        <div className="compose-column" id="send-compose" ref={formRef} hidden={formHidden}>
          {handoffNote ? (
            <p className={`banner ${handoffNote.warn ? 'banner-warn' : 'banner-info'} handoff-note`} role="status">
              {handoffNote.text}
            </p>
          ) : null}
          <section className="send-section" aria-labelledby="send-h-message">
            <h2 id="send-h-message" className="section-title">
              Message
            </h2>
            <ComposeForm draft={draft} onChange={touch} errors={errors} show={shown} htmlOn={htmlOn} onHtmlOn={setHtmlOn} />
          </section>
          <section className="send-section" aria-labelledby="send-h-envelope">
            <h2 id="send-h-envelope" className="section-title">
              Envelope
            </h2>
            <EnvelopeFields draft={draft} onChange={touch} errors={{ mailFrom: shown('mailFrom') ? (errors.mailFrom ?? firstIndexed(errors, 'mailFrom')) : undefined, rcptTo: shown('rcptTo') ? (errors.rcptTo ?? firstIndexed(errors, 'rcptTo')) : undefined }} />
          </section>
          <section className="send-section" aria-labelledby="send-h-target">
            <h2 id="send-h-target" className="section-title">
              Target and connection
            </h2>
            <TargetForm
              state={target}
              onChange={touchTarget}
              errors={Object.fromEntries(Object.entries(tErrors).filter(([k]) => shown(k)))}
              domains={domains}
              defaultHelo={heloFallback}
              defaultResolver={settings.defaultResolver.trim()}
              passwordRef={passwordRef}
              saved={saved}
            />
          </section>
          <SenderAuthSection draft={draft} target={target} domains={domains} resolver={settings.defaultResolver.trim()} dkim={dkim} onDkim={setDkim} keyRef={dkimKeyRef} showErrors={showAll} />
          <FormAnnouncer errors={visibleErrors} labels={ANNOUNCED_LABELS} />
        </div>
        <SessionPane
          session={session}
          running={running}
          tab={tab}
          onTab={setTab}
          draft={draft}
          htmlOn={htmlOn}
          serverSize={serverSize}
          vrfyArg={envelope.rcptTo[0] ?? ''}
          onTrustCert={rerunTrustingCert}
          dkim={tab === 'preview' ? previewDkim(dkim, dkimKeyRef.current?.value ?? '') : undefined}
        />
      </div>
    </div>
  );
}

/** An error is shown once its field was edited, or after a Send attempt. */
function isShown(key: string, touched: ReadonlySet<string>, showAll: boolean): boolean {
  return showAll || touched.has(key) || touched.has(key.split('.')[0]);
}

/** The first message of indexed keys such as `rcptTo.2`. */
function firstIndexed(errors: Record<string, string>, key: string): string | undefined {
  const k = Object.keys(errors).find((e) => e.startsWith(`${key}.`) || e.startsWith(`${key}[`));
  return k ? errors[k] : undefined;
}
