import type { RequestApi } from '../../shared/api';
import type { Draft, MessagePreview, SessionRequest, StepCommand } from '../../shared/model';
import type { Result } from '../../shared/result';
import { fail } from '../../shared/result';

/**
 * The session manager as CONTRACTS describes it (H5 writes electron/engine/session-manager.ts). Declared
 * here structurally so the host compiles before the engine exists; the real one satisfies it.
 */
export interface SessionManager {
  start(req: SessionRequest): Result<{ sessionId: string }>;
  step(sessionId: string, cmd: StepCommand): Result<null>;
  cancel(sessionId: string): Result<null>;
  preview(draft: Draft): Promise<Result<MessagePreview>>;
  /** Cancels every running session (app quit) and resolves when all have ended. */
  shutdown?(): Promise<void>;
}

export type SessionMethods = Pick<RequestApi, 'startSession' | 'stepSession' | 'cancelSession' | 'previewMessage'>;

export function createSessionMethods(manager: SessionManager | undefined): SessionMethods {
  if (!manager) {
    const notYet = async (): Promise<Result<never>> => fail('not_implemented', 'Sending mail is not available in this build yet.');
    return { startSession: notYet, stepSession: notYet, cancelSession: notYet, previewMessage: notYet };
  }
  return {
    startSession: async (req) => manager.start(req),
    stepSession: async ({ sessionId, command }) => manager.step(sessionId, command),
    cancelSession: async ({ sessionId }) => manager.cancel(sessionId),
    previewMessage: ({ draft }) => manager.preview(draft),
  };
}
