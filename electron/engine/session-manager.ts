// Owns the running sessions: ids, one AbortController each, the step queue for step mode, and the event
// stamp (sequence number + time on a monotonic clock since the session began). Guarantees exactly one
// terminal `outcome` event per session, and that Cancel takes effect within a second even if something
// below misbehaves.
import { randomUUID } from 'node:crypto';
import type { Outcome, SessionEvent, SessionEventBody } from '../../shared/events';
import type { Draft, MessagePreview, SessionRequest, StepCommand } from '../../shared/model';
import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';
import { parseSessionRequest, parseStepRequest } from '../../shared/validate/session-request';
import { preview as previewMessage, type MessageSource } from './message';
import { runSession, type SessionDeps } from './run-session';

export type SessionManagerDeps = {
  emit: (e: SessionEvent) => void;
  defaultResolver?: string;
  /** Monotonic milliseconds (default performance.now). */
  now?: () => number;
  newId?: () => string;
} & Partial<Omit<SessionDeps, 'sessionId' | 'emit' | 'signal' | 'clock' | 'nextStep' | 'defaultResolver'>>;

export interface StartOptions {
  /** Stream the message from here instead of composing it from the draft (CLI `--raw @FILE`). */
  messageSource?: MessageSource;
}

export interface SessionManager {
  start(req: SessionRequest, opts?: StartOptions): Result<{ sessionId: string }>;
  step(sessionId: string, cmd: StepCommand): Result<null>;
  cancel(sessionId: string): Result<null>;
  preview(draft: Draft): Promise<Result<MessagePreview>>;
  /** Resolves with the outcome once the session's `outcome` event was emitted (CLI, tests). */
  done(sessionId: string): Promise<Outcome> | undefined;
  /** Ids of sessions still running. */
  active(): string[];
  /** Cancels everything (app quit); resolves when every session has ended. */
  shutdown(): Promise<void>;
}

/** Cancel must be visible within 1 s (RELIABILITY T); this is the backstop if the engine is slow to stop. */
export const CANCEL_BACKSTOP_MS = 900;
const KEEP_ENDED = 200;

interface Running {
  id: string;
  controller: AbortController;
  steps: StepCommand[];
  waiter?: (cmd: StepCommand) => void;
  seq: number;
  t0: number;
  ended: boolean;
  done: Promise<Outcome>;
  backstop?: ReturnType<typeof setTimeout>;
}

export function createSessionManager(deps: SessionManagerDeps): SessionManager {
  const now = deps.now ?? (() => performance.now());
  const running = new Map<string, Running>();
  const ended = new Map<string, Promise<Outcome>>();

  const stamp = (r: Running, body: SessionEventBody): void => {
    if (r.ended) return;
    const event = { ...body, sessionId: r.id, seq: r.seq++, at: Math.round((now() - r.t0) * 1000) / 1000 } as SessionEvent;
    if (body.kind === 'outcome') {
      r.ended = true;
      if (r.backstop) clearTimeout(r.backstop);
    }
    try {
      deps.emit(event);
    } catch {
      // A listener's failure must not break the session.
    }
  };

  const forget = (r: Running): void => {
    running.delete(r.id);
    ended.set(r.id, r.done);
    if (ended.size > KEEP_ENDED) ended.delete(ended.keys().next().value as string);
  };

  return {
    start(input, opts = {}) {
      // Checked again here, whoever called: nothing reaches a socket without passing the shared validators.
      const parsed = parseSessionRequest(input);
      if (!parsed.ok) return parsed;
      const req = parsed.value;
      const id = (deps.newId ?? randomUUID)();
      const controller = new AbortController();
      let resolveDone!: (o: Outcome) => void;
      const r: Running = { id, controller, steps: [], seq: 0, t0: now(), ended: false, done: new Promise<Outcome>((res) => (resolveDone = res)) };
      running.set(id, r);
      const nextStep = (signal: AbortSignal): Promise<StepCommand> =>
        new Promise<StepCommand>((resolve, reject) => {
          const queued = r.steps.shift();
          if (queued) return resolve(queued);
          const onAbort = (): void => {
            r.waiter = undefined;
            reject(new Error('prompt abandoned'));
          };
          signal.addEventListener('abort', onAbort, { once: true });
          r.waiter = (cmd) => {
            signal.removeEventListener('abort', onAbort);
            r.waiter = undefined;
            resolve(cmd);
          };
        });
      const sessionDeps: SessionDeps = {
        ...deps,
        sessionId: id,
        emit: (body) => stamp(r, body),
        signal: controller.signal,
        clock: () => now() - r.t0,
        nextStep,
        defaultResolver: deps.defaultResolver,
        messageSource: opts.messageSource ?? deps.messageSource,
      };
      // Let the caller get the id (and subscribe) before the first event is emitted.
      setImmediate(() => {
        runSession(req, sessionDeps)
          .catch((e: unknown) => {
            stamp(r, { kind: 'info', level: 'error', text: `Internal error: ${(e as Error)?.message ?? String(e)}` });
            return 'not_delivered' as Outcome;
          })
          .then((outcome) => {
            if (!r.ended) stamp(r, { kind: 'outcome', outcome, stage: 'connect', reason: 'The session ended without a decision (internal error).', dotSent: false, durationMs: now() - r.t0 });
            if (r.backstop) clearTimeout(r.backstop);
            forget(r);
            resolveDone(outcome);
          });
      });
      return ok({ sessionId: id });
    },

    step(sessionId, input) {
      const r = running.get(sessionId);
      if (!r || r.ended) return fail('not_found', 'There is no running session with that id.', { field: 'sessionId' });
      const parsed = parseStepRequest({ sessionId, command: input });
      if (!parsed.ok) return parsed;
      const cmd = parsed.value.command;
      if (r.waiter) r.waiter(cmd);
      else r.steps.push(cmd);
      return ok(null);
    },

    cancel(sessionId) {
      const r = running.get(sessionId);
      if (!r || r.ended) return fail('not_found', 'There is no running session with that id.', { field: 'sessionId' });
      r.controller.abort();
      r.backstop ??= setTimeout(() => {
        if (!r.ended) stamp(r, { kind: 'outcome', outcome: 'cancelled', stage: 'connect', reason: 'Cancelled.', dotSent: false, durationMs: now() - r.t0 });
      }, CANCEL_BACKSTOP_MS);
      return ok(null);
    },

    preview: (draft) => previewMessage(draft),

    done(sessionId) {
      return running.get(sessionId)?.done ?? ended.get(sessionId);
    },

    active: () => [...running.keys()],

    async shutdown() {
      const all = [...running.values()];
      for (const r of all) this.cancel(r.id);
      await Promise.all(all.map((r) => r.done));
    },
  };
}
