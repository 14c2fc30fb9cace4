/** Plain data for drafts, settings, profiles, history and exports (the store's side of the API). */
import type { SessionEvent, Outcome } from './events';
import type { CheckKind, CheckVerdict } from './probe/check-record';
import type { AuthMechanism, Draft, SessionRequest, Stage, Timeouts, TlsMode } from './model';

// ---------- Recovery notices (a corrupt or missing store file never stops the app) ----------

export interface StoreRecovery {
  /** `prev`: the previous generation was used; `defaults`: nothing readable was left. */
  source: 'prev' | 'defaults';
  /** Names of the files moved aside as `NAME.corrupt-<timestamp>`. */
  quarantined: string[];
  /** One sentence for the user. */
  message: string;
}

// ---------- Drafts ----------

export interface DraftLoad {
  /** Null when nothing was ever saved. */
  draft: Draft | null;
  savedAt: string | null;
  recovery: StoreRecovery | null;
}

// ---------- Settings ----------

export type TimeoutPreset = 'rfc' | 'quick';
export type Theme = 'system' | 'light' | 'dark';

export interface Settings {
  /** `host[:port]`; empty means the system resolver. */
  defaultResolver: string;
  timeoutPreset: TimeoutPreset;
  /** Empty means the engine's default (the machine's FQDN, or an address literal). */
  heloName: string;
  theme: Theme;
}

export interface SettingsLoad {
  settings: Settings;
  recovery: StoreRecovery | null;
}

// ---------- Profiles and secrets ----------

/** Where a password given with a profile goes. `none`: never kept (web mode). */
export interface SecretStorageStatus {
  kind: 'os' | 'session' | 'none';
  /** Plain words: why this kind, e.g. why a password lasts only until MX Desk quits. */
  reason: string;
}

export interface ProfileFields {
  name: string;
  host: string;
  port: number;
  tls: TlsMode;
  authUser: string;
  authMechanism: AuthMechanism;
}

/** A saved target or relay. Never carries the password: only whether one is saved. */
export interface Profile extends ProfileFields {
  id: string;
  updatedAt: string;
  passwordSaved: boolean;
}

export interface ProfileList {
  profiles: Profile[];
  secretStorage: SecretStorageStatus;
  recovery: StoreRecovery | null;
}

export interface SaveProfileRequest {
  /** Absent id: a new profile. */
  profile: ProfileFields & { id?: string };
  /** Stored through the SecretStore, never with the profile. Absent: keep what is saved. */
  password?: string;
  /** Remove a saved password. */
  forgetPassword?: boolean;
}

export interface SaveProfileResult {
  profile: Profile;
  /** Set when a password was given but could not be kept (web mode), or is kept for this session only. */
  passwordNotice?: string;
}

// ---------- History ----------

/**
 * `interrupted`: the journal has no end and no live session owns it (a crash): outcome unknown.
 * `passed` / `failed`: a check ended, and every host passed / some host failed (checks never deliver).
 */
export type HistoryStatus = Outcome | 'interrupted' | 'running' | 'passed' | 'failed';

/** What the History list shows of a check (MX health of a domain, or a relay probe). */
export interface HistoryCheck {
  check: CheckKind;
  /** The domain or relay host, as typed. */
  subject: string;
  verdict?: CheckVerdict;
  summary?: string;
  hostsPassed: number;
  hostsTotal: number;
}

export interface HistoryEntry {
  id: string;
  /** ISO time the session started. */
  startedAt: string;
  /** Display form of the target, e.g. `MX of example.com` or `smtp.example.com:587`. */
  target: string;
  mailFrom: string;
  rcptTo: string[];
  mode: 'auto' | 'step';
  status: HistoryStatus;
  /** From the terminal event, when there is one. */
  stage?: Stage;
  reason?: string;
  queueId?: string;
  /** Whether the final dot (or BDAT LAST) had been sent. */
  dotSent: boolean;
  durationMs: number;
  eventCount: number;
  /** The journal hit its size cap; events after the marker were not kept (the terminal one always is). */
  truncated: boolean;
  sizeBytes: number;
  /** The request (without secrets) is stored, so the session can be run again. */
  canRunAgain: boolean;
  /** Set when the entry is a check, not a send: then the envelope is empty and the dot means nothing. */
  check?: HistoryCheck;
}

export interface HistoryDetail {
  entry: HistoryEntry;
  /** The events exactly as they were journaled. */
  events: SessionEvent[];
  /** Sequence number after which events were dropped by the size cap, or null. */
  truncatedAfterSeq: number | null;
  /** The request to run it again: no password (a profile id, when it used one, still is). */
  request: SessionRequest | null;
}

// ---------- Exports ----------

export type ExportFormat = 'text' | 'json' | 'eml' | 'swaks' | 'curl' | 'openssl';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['text', 'json', 'eml', 'swaks', 'curl', 'openssl'];

export interface ExportFile {
  filename: string;
  mimeType: string;
  content: string;
}

export interface ImportedEvents {
  sessionId: string;
  exportedAt: string;
  events: SessionEvent[];
}

// ---------- Timeouts presets (RFC 5321 §4.5.3.2) ----------

/** RFC 5321 §4.5.3.2 minimums; connect, DNS, TLS and QUIT are not in the RFC and use common values. */
export const RFC_TIMEOUTS: Timeouts = {
  dnsMs: 10_000,
  connectMs: 30_000,
  greetingMs: 300_000, // §4.5.3.2.1 initial 220: 5 min
  commandMs: 300_000, // EHLO and friends: the general 5 min
  mailMs: 300_000, // §4.5.3.2.2 MAIL: 5 min
  rcptMs: 300_000, // §4.5.3.2.3 RCPT: 5 min
  dataStartMs: 120_000, // §4.5.3.2.4 DATA initiation: 2 min
  dataBlockMs: 180_000, // §4.5.3.2.5 data block: 3 min
  dataEndMs: 600_000, // §4.5.3.2.6 DATA termination: 10 min
  tlsMs: 60_000,
  quitMs: 60_000,
};

/** "Quick diagnose": fail fast. A dot sent but unanswered in time is still reported as outcome unknown. */
export const QUICK_TIMEOUTS: Timeouts = {
  dnsMs: 5_000,
  connectMs: 5_000,
  greetingMs: 15_000,
  commandMs: 15_000,
  mailMs: 15_000,
  rcptMs: 15_000,
  dataStartMs: 15_000,
  dataBlockMs: 30_000,
  dataEndMs: 60_000,
  tlsMs: 10_000,
  quitMs: 5_000,
};

export function timeoutsForPreset(preset: TimeoutPreset): Timeouts {
  return preset === 'quick' ? { ...QUICK_TIMEOUTS } : { ...RFC_TIMEOUTS };
}

export const DEFAULT_SETTINGS: Settings = { defaultResolver: '', timeoutPreset: 'rfc', heloName: '', theme: 'system' };
