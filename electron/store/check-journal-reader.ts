import type { SessionEvent } from '../../shared/events';
import { checkTitle, type CheckResult } from '../../shared/probe/check-record';
import type { HistoryEntry } from '../../shared/store-model';
import type { JournalFacts, ParsedJournal } from './journal-reader';

/**
 * Reading a check's journal (MX health or relay probe): it opens with `check_start` and closes with
 * `check_end`, never with a send's `outcome`, so it reads as a check ("2 of 3 hosts pass"), never as
 * "not delivered". No end and nothing live: interrupted.
 */

export interface CheckFacts {
  start: Extract<SessionEvent, { kind: 'check_start' }>;
  result?: CheckResult;
}

export function checkFacts(j: ParsedJournal): CheckFacts | undefined {
  const start = j.events.find((e) => e.kind === 'check_start');
  if (start?.kind !== 'check_start') return undefined;
  const end = [...j.events].reverse().find((e) => e.kind === 'check_end');
  return { start, ...(end?.kind === 'check_end' ? { result: end.result } : {}) };
}

export function checkJournalFacts(j: ParsedJournal, c: CheckFacts): JournalFacts {
  // Streams run in parallel, each timed from its own start: the check's length is its result's, or
  // (interrupted) the latest offset seen.
  const lastAt = j.events.reduce((m, e) => Math.max(m, e.at), 0);
  return {
    startedAt: c.start.startedAt,
    target: checkTitle(c.start.check, c.start.target),
    mailFrom: '',
    rcptTo: [],
    mode: 'auto',
    dotSent: false,
    lastAt: c.result?.durationMs ?? lastAt,
    eventCount: j.events.length,
    truncated: j.truncatedAfterSeq !== null,
    check: c,
  };
}

function statusOf(r: CheckResult): HistoryEntry['status'] {
  if (r.cancelled) return 'cancelled';
  if (r.verdict === 'error' || r.hostsTotal === 0) return 'failed';
  return r.hostsPassed === r.hostsTotal ? 'passed' : 'failed';
}

export function checkHistoryEntry(id: string, f: JournalFacts, c: CheckFacts, info: { sizeBytes: number; live: boolean }): HistoryEntry {
  const r = c.result;
  const base = {
    id,
    startedAt: f.startedAt,
    target: f.target,
    mailFrom: '',
    rcptTo: [],
    mode: 'auto' as const,
    dotSent: false,
    durationMs: f.lastAt,
    eventCount: f.eventCount,
    truncated: f.truncated,
    sizeBytes: info.sizeBytes,
    // A check is run again from the MX inspector, not from a stored send request.
    canRunAgain: false,
    check: { check: c.start.check, subject: c.start.target, hostsPassed: r?.hostsPassed ?? 0, hostsTotal: r?.hostsTotal ?? 0, ...(r ? { verdict: r.verdict, summary: r.summary } : {}) },
  };
  if (r) return { ...base, status: statusOf(r), reason: r.summary };
  if (info.live) return { ...base, status: 'running' };
  return { ...base, status: 'interrupted', reason: 'Interrupted: MX Desk stopped before this check finished, so it has no verdict. Run the check again.' };
}
