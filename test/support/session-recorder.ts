import type { SessionEvent, SessionEventBody } from '../../shared/events';
import { createSessionManager, type SessionManager } from '../../electron/engine/session-manager';

export type OutcomeEvent = Extract<SessionEventBody, { kind: 'outcome' }>;

export interface RecordedSessions {
  manager: SessionManager;
  /** Every event the manager emitted so far, in order. */
  events: SessionEvent[];
  /** The first outcome event (it never settles if no session ends). */
  outcome: Promise<OutcomeEvent>;
}

/**
 * A session manager, as the app and the CLI create it, whose events are all kept. `onEvent` sees each one
 * after it is recorded.
 */
export function recordSessions(onEvent?: (e: SessionEvent) => void): RecordedSessions {
  const events: SessionEvent[] = [];
  let done: (o: OutcomeEvent) => void = () => undefined;
  const outcome = new Promise<OutcomeEvent>((r) => (done = r));
  const manager = createSessionManager({
    emit: (e) => {
      events.push(e);
      if (e.kind === 'outcome') done(e);
      onEvent?.(e);
    },
  });
  return { manager, events, outcome };
}
