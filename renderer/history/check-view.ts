/**
 * A past check read back from its journal, as the detail view needs it: the matrix rows and, for each
 * row, the events of its address probe. Pure: no React, no DOM.
 */
import type { SessionEvent } from '../../shared/events';
import type { CheckResult } from '../../shared/probe/check-record';
import { markDifferences, matrixRow } from '../../shared/probe/cells';
import type { MatrixRow } from '../../shared/probe/types';

export interface PastCheck {
  /** The result from `check_end`; undefined when the check never ended (interrupted, or still running). */
  result?: CheckResult;
  rows: MatrixRow[];
  /** Row index → that address's events, in journal order. */
  streams: SessionEvent[][];
}

export function pastCheck(events: readonly SessionEvent[]): PastCheck {
  const bySession = new Map<string, SessionEvent[]>();
  for (const e of events) {
    const list = bySession.get(e.sessionId) ?? [];
    list.push(e);
    bySession.set(e.sessionId, list);
  }
  const end = [...events].reverse().find((e) => e.kind === 'check_end');
  const result = end?.kind === 'check_end' ? end.result : undefined;
  if (result) return { result, rows: result.rows, streams: result.streams.map((id) => bySession.get(id) ?? []) };
  // No end: the addresses that finished before MX Desk stopped still have their result.
  const done = events.flatMap((e) => (e.kind === 'probe_result' ? [{ id: e.sessionId, probe: e.probe }] : []));
  return { rows: markDifferences(done.map((d) => matrixRow(d.probe))), streams: done.map((d) => bySession.get(d.id) ?? []) };
}
