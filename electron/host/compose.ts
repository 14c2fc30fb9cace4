import type { HostInfo, RequestApi } from '../../shared/api';
import type { SessionEvent } from '../../shared/events';
import type { EventHub } from './event-hub';
import { createEventHub } from './event-hub';
import { createService } from './service';
import type { SessionManager } from './session-methods';

export interface HostOptions {
  host: HostInfo['host'];
  version: string;
  defaultResolver?: string;
  /** Where drafts, history and settings live (used by the store once it exists). */
  dataDir: string;
  secretStorage?: HostInfo['secretStorage'];
  /** The SMTP engine's manager factory (electron/engine/session-manager.ts) once it is wired. */
  createSessionManager?: (deps: { emit: (e: SessionEvent) => void; defaultResolver?: string }) => SessionManager;
}

export interface ComposedHost {
  service: RequestApi;
  events: EventHub;
  dataDir: string;
  /** Ends running sessions (their outcome events still go out), then stops the event pushes. */
  close(): Promise<void>;
}

const CLOSE_BUDGET_MS = 1500;

/** The composition root shared by Electron main and web mode, so both run the very same code. */
export function composeHost(opts: HostOptions): ComposedHost {
  const events = createEventHub();
  const sessionManager = opts.createSessionManager?.({ emit: events.emit, defaultResolver: opts.defaultResolver });
  const service = createService({
    host: opts.host,
    version: opts.version,
    defaultResolver: opts.defaultResolver,
    sessionManager,
    secretStorage: opts.secretStorage,
  });
  return {
    service,
    events,
    dataDir: opts.dataDir,
    async close() {
      try {
        // Bounded: quitting must not hang on an engine that does not stop.
        await Promise.race([sessionManager?.shutdown?.(), new Promise((r) => setTimeout(r, CLOSE_BUDGET_MS).unref())]);
      } finally {
        events.close();
      }
    },
  };
}
