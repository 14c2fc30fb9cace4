import type { SessionEvent } from './events';
import type { Draft, MessagePreview, MxLookupRequest, MxReport, SessionRequest, StepCommand } from './model';
import type { Result } from './result';

/**
 * The one interface the renderer sees. The preload implements it over IPC, web mode over a loopback
 * WebSocket. Every request method takes exactly one plain-data argument and resolves with a Result.
 */
export interface RequestApi {
  lookupMx(req: MxLookupRequest): Promise<Result<MxReport>>;
  cancelLookup(req: { lookupId: string }): Promise<Result<null>>;
  startSession(req: SessionRequest): Promise<Result<{ sessionId: string }>>;
  stepSession(req: { sessionId: string; command: StepCommand }): Promise<Result<null>>;
  cancelSession(req: { sessionId: string }): Promise<Result<null>>;
  previewMessage(req: { draft: Draft }): Promise<Result<MessagePreview>>;
  hostInfo(req: Record<string, never>): Promise<Result<HostInfo>>;
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
