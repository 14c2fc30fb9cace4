// Building blocks for engine tests: drafts and requests with sensible defaults, short deadlines, and a
// runner that collects the events of one session.
import type { SessionEventBody } from '../../shared/events';
import type { Draft, SessionRequest, Timeouts } from '../../shared/model';
import { runSession, type SessionDeps } from '../../electron/engine/run-session';
import { emptyDraft } from '../../shared/model';

export function makeDraft(over: Partial<Draft> = {}): Draft {
  return { ...emptyDraft(), from: 'sender@example.test', to: 'rcpt@example.test', subject: 'MX Desk test', text: 'Hello from the engine tests.\n', ...over };
}

/** A raw-mode draft: the DATA text exactly as given, envelope explicit. */
export function rawDraft(raw: string, rcptTo: string[] = ['rcpt@example.test'], mailFrom = 'sender@example.test'): Draft {
  return makeDraft({ rawMode: true, raw, rcptTo, mailFrom, envelopeEdited: true });
}

/** Deadlines short enough for tests, long enough for a loaded 2-core machine. */
export const TEST_TIMEOUTS: Partial<Timeouts> = {
  dnsMs: 3000,
  connectMs: 3000,
  greetingMs: 5000,
  commandMs: 5000,
  mailMs: 5000,
  rcptMs: 5000,
  dataStartMs: 5000,
  dataBlockMs: 10000,
  dataEndMs: 15000,
  tlsMs: 5000,
  quitMs: 2000,
};

export function hostRequest(port: number, draft: Draft, over: Partial<SessionRequest> = {}): SessionRequest {
  return {
    draft,
    target: { kind: 'host', host: '127.0.0.1', port },
    tls: 'none',
    certPolicy: 'verify',
    pipelining: true,
    chunking: true,
    mode: 'auto',
    heloName: 'client.example.test',
    timeouts: TEST_TIMEOUTS,
    ...over,
  };
}

export interface Collected {
  outcome: string;
  events: SessionEventBody[];
  of<K extends SessionEventBody['kind']>(kind: K): Extract<SessionEventBody, { kind: K }>[];
  last: Extract<SessionEventBody, { kind: 'outcome' }>;
  /** The transcript as lines: `> CMD`, `< 250 …`, `* info`. */
  transcript(): string[];
}

export function collect(events: SessionEventBody[], outcome: string): Collected {
  const of = <K extends SessionEventBody['kind']>(kind: K): Extract<SessionEventBody, { kind: K }>[] =>
    events.filter((e): e is Extract<SessionEventBody, { kind: K }> => e.kind === kind);
  const outs = of('outcome');
  return {
    outcome,
    events,
    of,
    last: outs[outs.length - 1],
    transcript: () =>
      events.flatMap((e) => {
        if (e.kind === 'command') return [`> ${e.text}`];
        if (e.kind === 'reply') return e.lines.map((l, i) => `< ${e.code}${i === e.lines.length - 1 ? ' ' : '-'}${l}`);
        if (e.kind === 'info') return [`* ${e.text}`];
        if (e.kind === 'outcome') return [`= ${e.outcome}: ${e.reason}`];
        if (e.kind === 'tls') return [`* TLS ${e.phase} ${e.protocol ?? ''} ${e.verifyError ?? ''}`];
        if (e.kind === 'connect_result') return [`* connect ${e.address}:${e.port} ${e.ok ? 'ok' : e.error}`];
        return [];
      }),
  };
}

export async function run(req: SessionRequest, deps: Partial<SessionDeps> = {}): Promise<Collected> {
  const events: SessionEventBody[] = [];
  const outcome = await runSession(req, { sessionId: 'test', emit: (e) => events.push(e), ...deps });
  return collect(events, outcome);
}
