import type { HostInfo, RequestApi } from '../../shared/api';
import type { SessionEvent } from '../../shared/events';
import type { AuthInput, SessionRequest } from '../../shared/model';
import { dkimKeyNeedles } from '../../shared/sender-auth/dkim-secret';
import { createDkimKeyStore } from './dkim-keys';
import type { SessionManagerDeps } from '../engine/session-manager';
import { createJournalSink } from '../store/journal';
import type { SecretStore } from '../store/secrets';
import type { EventHub } from './event-hub';
import { createEventHub } from './event-hub';
import { createService } from './service';
import type { SessionManager } from './session-methods';
import { createProfileSecretLookup, createStoreMethods } from './store-methods';

export interface HostOptions {
  host: HostInfo['host'];
  version: string;
  defaultResolver?: string;
  /** Where drafts, history, settings and profiles live: Electron's userData or web mode's --data-dir. */
  dataDir: string;
  /** Electron: safeStorage (or memory on basic_text); web mode: never stored. */
  secrets: SecretStore;
  /** The SMTP engine's manager factory (electron/engine/session-manager.ts). */
  createSessionManager?: (deps: SessionManagerDeps) => SessionManager;
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
  const journal = createJournalSink(opts.dataDir);
  const profileSecret = createProfileSecretLookup({ dataDir: opts.dataDir, secrets: opts.secrets });
  const dkimKeys = createDkimKeyStore(opts.secrets);
  // RELIABILITY K: every event is journaled (the terminal one fsynced) before it is pushed to a page.
  const emit = (e: SessionEvent): void => {
    journal.onEvent(e);
    events.emit(e);
  };
  // A saved password goes only to the host, port and user it was saved for: a request naming a profile
  // but pointing elsewhere (a bug, or a compromised page) gets no password.
  const resolveSecret = async (auth: AuthInput, req: SessionRequest): Promise<string | undefined> => {
    if (!auth.profileId) return undefined;
    const found = await profileSecret(auth.profileId);
    if (!found.ok) return undefined;
    const saved = found.value;
    // A UNIX socket (transport.socketPath) replaces the host and port: another peer, so no saved password.
    const sameTarget = req.target.kind === 'host' && req.target.host.toLowerCase() === saved.host.toLowerCase() && req.target.port === saved.port && !req.transport?.socketPath;
    return sameTarget && auth.user === saved.user ? saved.password : undefined;
  };
  const manager = opts.createSessionManager?.({ emit, defaultResolver: opts.defaultResolver, resolveSecret, resolveDkimKey: dkimKeys.get });
  const sessionManager: SessionManager | undefined = manager && {
    ...manager,
    start(req: SessionRequest) {
      const started = manager.start(req);
      // The run-again request is journaled without its password; the password is also scrubbed from events.
      if (!started.ok) return started;
      try {
        journal.begin(started.value.sessionId, req, [req.auth?.password ?? '', ...dkimKeyNeedles(req.dkim?.privateKey)].filter((x) => x !== ''));
      } catch {
        // History is a record of the send, never a reason for the send to fail.
      }
      return started;
    },
  };
  const service = createService({
    host: opts.host,
    version: opts.version,
    defaultResolver: opts.defaultResolver,
    sessionManager,
    secretStorage: opts.secrets.status().kind,
    dkimKeys,
    store: createStoreMethods({ dataDir: opts.dataDir, secrets: opts.secrets, journal }),
    // A check's streams share one journal (its key), opened by check_start and closed by check_end (RELIABILITY K).
    probeEmit: (e, journalKey) => {
      if (journalKey !== undefined) journal.onEventFor(journalKey, e);
      events.emit(e);
    },
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
        journal.closeAll();
        events.close();
      }
    },
  };
}
