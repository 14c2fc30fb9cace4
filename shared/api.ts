import type { SessionEvent } from './events';
import type { Draft, MessagePreview, MxLookupRequest, MxReport, SessionRequest, StepCommand } from './model';
import type { ProbeMxRequest, ProbeRelayRequest, ProbeReport, RelayReport } from './probe/types';
import type { Result } from './result';
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
  startSession(req: SessionRequest): Promise<Result<{ sessionId: string }>>;
  stepSession(req: { sessionId: string; command: StepCommand }): Promise<Result<null>>;
  cancelSession(req: { sessionId: string }): Promise<Result<null>>;
  previewMessage(req: { draft: Draft }): Promise<Result<MessagePreview>>;
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
