import type { SessionEvent } from '../../shared/events';
import { checkEvent } from '../../shared/export/events-json';
import type { Stage } from '../../shared/model';
import type { HistoryEntry } from '../../shared/store-model';
import { checkFacts, checkHistoryEntry, checkJournalFacts, type CheckFacts } from './check-journal-reader';
import type { JournalSummary } from './journal-format';

/** Reading a journal back. A torn last line (the writer was killed mid-line) or a damaged line is skipped. */

export interface JournalHeader {
  id: string;
  createdAt: string;
  summary: JournalSummary;
}

export interface ParsedJournal {
  header: JournalHeader | null;
  events: SessionEvent[];
  truncatedAfterSeq: number | null;
  damagedLines: number;
}

type Rec = Record<string, unknown>;

export function parseJournalText(text: string): ParsedJournal {
  const out: ParsedJournal = { header: null, events: [], truncatedAfterSeq: null, damagedLines: 0 };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let rec: Rec;
    try {
      rec = JSON.parse(line) as Rec;
    } catch {
      out.damagedLines++;
      continue;
    }
    if (rec.t === 'event' && checkEvent(rec.e) === null) out.events.push(rec.e as SessionEvent);
    else if (rec.t === 'header' && typeof rec.createdAt === 'string' && typeof rec.summary === 'object' && rec.summary !== null && out.header === null)
      out.header = { id: String(rec.id), createdAt: rec.createdAt, summary: rec.summary as JournalSummary };
    else if (rec.t === 'truncated') out.truncatedAfterSeq = typeof rec.afterSeq === 'number' ? rec.afterSeq : -1;
    else out.damagedLines++;
  }
  return out;
}

/** Whether the final dot (DATA) or the last chunk (BDAT … LAST, RFC 3030 §2) had been sent. */
export function dotSentIn(events: SessionEvent[]): boolean {
  return events.some((e) => e.kind === 'data_body' || (e.kind === 'command' && (e.text.trim() === '.' || /^BDAT\s+\d+\s+LAST$/i.test(e.text.trim()))));
}

/** What the history list needs from a journal: small, so it can be cached for every session. */
export interface JournalFacts {
  startedAt: string;
  target: string;
  mailFrom: string;
  rcptTo: string[];
  mode: 'auto' | 'step';
  terminal?: Extract<SessionEvent, { kind: 'outcome' }>;
  lastStage?: Stage;
  dotSent: boolean;
  lastAt: number;
  eventCount: number;
  truncated: boolean;
  /** A check's journal: its start and, once it ended, its result. */
  check?: CheckFacts;
}

export function journalFacts(j: ParsedJournal): JournalFacts {
  const check = checkFacts(j);
  if (check) return checkJournalFacts(j, check);
  const start = j.events.find((e) => e.kind === 'session_start');
  const s = start?.kind === 'session_start' ? start : undefined;
  const terminal = [...j.events].reverse().find((e) => e.kind === 'outcome');
  const t = terminal?.kind === 'outcome' ? terminal : undefined;
  const staged = [...j.events].reverse().find((e) => 'stage' in e && typeof e.stage === 'string');
  return {
    startedAt: s?.startedAt ?? j.header?.createdAt ?? '',
    target: s?.target ?? j.header?.summary.target ?? '',
    mailFrom: s?.envelope.mailFrom ?? j.header?.summary.mailFrom ?? '',
    rcptTo: s?.envelope.rcptTo ?? j.header?.summary.rcptTo ?? [],
    mode: s?.mode ?? j.header?.summary.mode ?? 'auto',
    ...(t ? { terminal: t } : {}),
    ...(staged && 'stage' in staged && staged.stage ? { lastStage: staged.stage } : {}),
    dotSent: t ? t.dotSent : dotSentIn(j.events),
    lastAt: j.events[j.events.length - 1]?.at ?? 0,
    eventCount: j.events.length,
    truncated: j.truncatedAfterSeq !== null,
  };
}

export function historyEntry(id: string, f: JournalFacts, info: { sizeBytes: number; live: boolean; canRunAgain: boolean }): HistoryEntry {
  if (f.check) return checkHistoryEntry(id, f, f.check, info);
  const t = f.terminal;
  const base = {
    id,
    startedAt: f.startedAt,
    target: f.target,
    mailFrom: f.mailFrom,
    rcptTo: f.rcptTo,
    mode: f.mode,
    dotSent: f.dotSent,
    durationMs: t?.durationMs ?? f.lastAt,
    eventCount: f.eventCount,
    truncated: f.truncated,
    sizeBytes: info.sizeBytes,
    canRunAgain: info.canRunAgain,
  };
  if (t) return { ...base, status: t.outcome, stage: t.stage, reason: t.reason, ...(t.queueId ? { queueId: t.queueId } : {}) };
  if (info.live) return { ...base, status: 'running' };
  return {
    ...base,
    status: 'interrupted',
    ...(f.lastStage ? { stage: f.lastStage } : {}),
    reason: f.dotSent
      ? 'Interrupted: outcome unknown. MX Desk stopped after the final dot was sent, so the message may have been delivered: check before sending again.'
      : 'Interrupted: outcome unknown. MX Desk stopped before the final dot was sent, so the message was not delivered by this session.',
  };
}
