import type { AnalyseRequest, MessageAnalysis } from './analyse/types';
import type { SessionEvent } from './events';
import type { Draft, MessagePreview, MxLookupRequest, MxReport, SessionRequest, StepCommand } from './model';
import type { ProbeMxRequest, ProbeRelayRequest, ProbeReport, RelayReport } from './probe/types';
import type { PolicyReport } from './policy-model';
import type { Result } from './result';
import type { SenderCheckReport, SenderCheckRequest } from './sender-auth/types';
import type { SaveDkimKeyRequest, SaveDkimKeyResult } from './sender-auth/save-key';
import type { DkimRequest } from './sender-auth/dkim-types';
import type {
  DraftLoad,
  ExportFile,
  ExportFormat,
  HistoryDetail,
  HistoryEntry,
  ImportedEvents,
  ProfileList,
  SaveProfileRequest,
  SaveProfileResult,
  Settings,
  SettingsLoad,
} from './store-model';

/**
 * The one interface the renderer sees. The preload implements it over IPC, web mode over a loopback
 * WebSocket. Every request method takes exactly one plain-data argument and resolves with a Result.
 */
export interface RequestApi {
  lookupMx(req: MxLookupRequest): Promise<Result<MxReport>>;
  cancelLookup(req: { lookupId: string }): Promise<Result<null>>;
  // MX health (electron/host/probe-methods.ts): every address of every MX host probed live; no mail is sent.
  probeMx(req: ProbeMxRequest): Promise<Result<ProbeReport>>;
  probeRelay(req: ProbeRelayRequest): Promise<Result<RelayReport>>;
  cancelProbe(req: { probeId: string }): Promise<Result<null>>;
  // Policies (electron/host/policy-methods.ts): DNSSEC, DANE, MTA-STS and TLS-RPT per MX host; no mail is sent.
  checkPolicy(req: ProbeMxRequest): Promise<Result<PolicyReport>>;
  startSession(req: SessionRequest): Promise<Result<{ sessionId: string }>>;
  stepSession(req: { sessionId: string; command: StepCommand }): Promise<Result<null>>;
  cancelSession(req: { sessionId: string }): Promise<Result<null>>;
  /** With `dkim`, the preview is of the signed message (DKIM-Signature on top; the key is never returned). */
  previewMessage(req: { draft: Draft; dkim?: DkimRequest }): Promise<Result<MessagePreview>>;
  hostInfo(req: Record<string, never>): Promise<Result<HostInfo>>;
  // Store (drafts, settings, profiles, history, exports): electron/host/store-methods.ts
  loadDraft(req: Record<string, never>): Promise<Result<DraftLoad>>;
  saveDraft(req: { draft: Draft }): Promise<Result<{ savedAt: string }>>;
  getSettings(req: Record<string, never>): Promise<Result<SettingsLoad>>;
  saveSettings(req: { settings: Settings }): Promise<Result<Settings>>;
  listProfiles(req: Record<string, never>): Promise<Result<ProfileList>>;
  /** The password goes to the SecretStore; the answer says only `passwordSaved`. */
  saveProfile(req: SaveProfileRequest): Promise<Result<SaveProfileResult>>;
  deleteProfile(req: { id: string }): Promise<Result<null>>;
  listHistory(req: Record<string, never>): Promise<Result<HistoryEntry[]>>;
  getHistory(req: { id: string }): Promise<Result<HistoryDetail>>;
  deleteHistory(req: { id: string }): Promise<Result<null>>;
  /** A past session as text, events JSON, .eml or a swaks / curl / openssl command. Never holds a secret. */
  exportSession(req: { id: string; format: ExportFormat }): Promise<Result<ExportFile>>;
  /** Open an events JSON export again (validated; nothing is written). */
  importEvents(req: { text: string }): Promise<Result<ImportedEvents>>;
  /** Message analyser (electron/host/analyse-methods.ts): hops, authentication, DKIM re-verified, bounces. */
  analyzeMessage(req: AnalyseRequest): Promise<Result<MessageAnalysis>>;
  /** Sender domain check (electron/host/sender-methods.ts): SPF for the outgoing address, DMARC of From. */
  checkSender(req: SenderCheckRequest): Promise<Result<SenderCheckReport>>;
  /** Keeps a DKIM private key like a password; answers with the public key record, never the key. */
  saveDkimKey(req: SaveDkimKeyRequest): Promise<Result<SaveDkimKeyResult>>;
}

export interface HostInfo {
  host: 'electron' | 'web';
  version: string;
  defaultHeloName: string;
  /** Where stored secrets would go: `os` (safeStorage with an OS backend), `session` (memory only), `none`. */
  secretStorage: 'os' | 'session' | 'none';
}

/** Pushed from host to page, batched: at most one message per animation frame. */
export type EventListener = (events: SessionEvent[]) => void;

export interface MxDeskApi extends RequestApi {
  onSessionEvents(listener: EventListener): () => void;
}

export type RequestMethod = keyof RequestApi;
export type RequestArg<M extends RequestMethod> = Parameters<RequestApi[M]>[0];
export type RequestValue<M extends RequestMethod> = Awaited<ReturnType<RequestApi[M]>> extends Result<infer T> ? T : never;
