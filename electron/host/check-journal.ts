import type { SessionEvent, SessionEventBody } from '../../shared/events';
import type { CheckKind, CheckResult } from '../../shared/probe/check-record';

/**
 * One History entry per check: a check opens its own stream `check:ID` with `check_start`, its probe
 * streams (`probe:ID`, `probe:ID:N`) follow, and `check_end` closes it with the verdict. Every event of
 * one run goes out with that run's journal key, so a superseded run and its successor never share a file.
 */
export type KeyedEmit = (e: SessionEvent, journalKey?: string) => void;

export interface CheckRun {
  /** The emit for the run's probe streams: each event is journaled under the run's key, then pushed. */
  emit: (e: SessionEvent) => void;
  end(result: CheckResult): void;
}

let runs = 0;

/** A key unique in this process and across restarts (a journal file never gets appended to). */
function runKey(probeId: string, now: number): string {
  runs = (runs + 1) % 1_000_000;
  return `check-${probeId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40)}-${now.toString(36)}-${runs.toString(36)}`;
}

export function startCheckRun(emit: KeyedEmit | undefined, probeId: string, start: { check: CheckKind; target: string; port?: number }, now: () => number = Date.now): CheckRun {
  const key = runKey(probeId, now());
  const t0 = performance.now();
  const sessionId = `check:${probeId}`;
  let seq = 0;
  const send = (body: SessionEventBody): void => {
    try {
      emit?.({ ...body, sessionId, seq: seq++, at: Math.round((performance.now() - t0) * 1000) / 1000 } as SessionEvent, key);
    } catch {
      // History is a record of the check, never a reason for it to fail.
    }
  };
  send({ kind: 'check_start', startedAt: new Date(now()).toISOString(), check: start.check, target: start.target, ...(start.port !== undefined ? { port: start.port } : {}) });
  let ended = false;
  return {
    emit: (e) => {
      if (!ended) emit?.(e, key);
      else emit?.(e);
    },
    end(result) {
      if (ended) return;
      send({ kind: 'check_end', result });
      ended = true;
    },
  };
}
