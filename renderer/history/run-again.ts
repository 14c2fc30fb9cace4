/**
 * "Run again": a stored SessionRequest turned back into the Send panel's forms (draft + target), so the user
 * sees exactly what will be sent and presses Send. Pure. The password is never stored, so AUTH needs it
 * typed again; a certificate override never carries over (it is for one run only).
 */
import type { Draft, SessionRequest } from '../../shared/model';
import type { HistoryEntry } from '../../shared/store-model';
import { defaultTarget } from '../target/target-state';
import { advancedFromRequest } from '../target/advanced-state';
import type { TargetState } from '../target/target-state';
import { formatWhen } from './history-format';

/** The line the Send panel shows over a loaded run; `warn` when the earlier run may already have delivered. */
export interface HandoffNote {
  text: string;
  warn: boolean;
}

/** What History hands to the Send panel. `id` changes on every click, so the same request can be loaded twice. */
export interface SendHandoff {
  id: number;
  request: SessionRequest;
  note: HandoffNote;
}

/** "Loaded from History: …", with what to do about the password, and a warning where a resend may duplicate. */
export function runAgainNote(entry: Pick<HistoryEntry, 'startedAt' | 'target' | 'status' | 'dotSent'>, request: SessionRequest): HandoffNote {
  const when = formatWhen(entry.startedAt);
  const auth = request.auth && !request.auth.profileId ? ' Type the AUTH password again: it was never stored.' : '';
  // RFC 5321 §4.5.3.2: a dot sent without a final reply may have been accepted; a blind resend can duplicate.
  const warn = (entry.status === 'unknown' || entry.status === 'interrupted') && entry.dotSent;
  const caution = warn ? ' That run may have delivered the message already: check before sending it twice.' : '';
  return { text: `Loaded from History: the session of ${when.date} ${when.time} to ${entry.target}. Check it, then press Send.${auth}${caution}`, warn };
}

export interface SendForms {
  draft: Draft;
  /** The HTML alternative switch of the compose form. */
  htmlOn: boolean;
  target: TargetState;
  /** True when the run used AUTH: the password has to be typed again. */
  needsPassword: boolean;
}

export function formsFromRequest(req: SessionRequest, base: TargetState = defaultTarget()): SendForms {
  const t: TargetState = {
    ...base,
    preset: undefined,
    tls: req.tls,
    // An override is for one run only (the TLS rule): a run again verifies the certificate again.
    certPolicy: 'verify',
    tlsPolicy: req.tlsPolicy,
    pipelining: req.pipelining,
    chunking: req.chunking,
    breakpoints: req.breakpoints ? [...req.breakpoints] : [],
    resolver: req.resolver ?? '',
    authEnabled: Boolean(req.auth),
    authUser: req.auth?.user ?? '',
    authMechanism: req.auth?.mechanism ?? 'auto',
    allowPlaintextAuthOnLoopback: Boolean(req.auth && req.allowPlaintextAuthOnLoopback),
    // A run that used a saved password uses it again, while the saved target still matches the form.
    profileId: req.auth?.profileId,
    // Transport, TLS client and protocol options come back as they were sent.
    advanced: advancedFromRequest(req),
  };
  if (req.heloName) {
    t.heloName = req.heloName;
    t.heloEdited = true;
  }
  if (req.target.kind === 'host') {
    t.kind = 'host';
    t.host = req.target.host;
    t.port = String(req.target.port);
    t.preferHost = undefined;
    t.preferAddress = undefined;
  } else {
    t.kind = 'mx';
    t.mxPort = String(req.port ?? 25);
    t.preferHost = req.target.preferHost;
    t.preferAddress = req.target.preferAddress;
  }
  const draft: Draft = { ...req.draft, customHeaders: req.draft.customHeaders.map((h) => ({ ...h })), rcptTo: [...req.draft.rcptTo], attachments: [...req.draft.attachments] };
  return { draft, htmlOn: draft.html !== '' && !draft.rawMode, target: t, needsPassword: Boolean(req.auth) && !req.auth?.profileId };
}

/** Why Run again is unavailable, in plain words, or undefined when it is available. */
export function runAgainBlocker(canRunAgain: boolean, imported: boolean): string | undefined {
  if (imported) return 'An opened export holds the events only, not the request: it cannot be run again.';
  if (!canRunAgain) return 'This session’s request was not kept, so it cannot be run again.';
  return undefined;
}
