import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionEvent } from '../../shared/events';
import type { SessionRequest } from '../../shared/model';
import { scrubValue, secretNeedles } from '../../shared/export/secret-scrub';
import { checkTitle } from '../../shared/probe/check-record';
import { HISTORY_ID } from '../../shared/validate/store-requests';
import { dataPaths } from './data-dir';
import { redactRequest, requestSummary, type JournalSummary } from './journal-format';

/**
 * The session journal: one append-only JSONL file per session under `<dataDir>/history/`, written as the
 * events happen. Writes are synchronous, so when onEvent returns the line is in the OS (it survives a
 * kill -9 of the app); the terminal event is also fsynced (it survives power loss) before onEvent returns,
 * which is what lets the host show it only after it is persisted (RELIABILITY invariant K).
 *
 *   {"t":"header","format":"mxdesk-journal","version":1,"id":…,"createdAt":…,"summary":{…}}
 *   {"t":"event","e":{…SessionEvent…}}
 *   {"t":"truncated","afterSeq":N,"capBytes":N}     after this only the terminal event is written
 */

export const JOURNAL_FORMAT = 'mxdesk-journal';
export const DEFAULT_CAP_BYTES = 8 * 1024 * 1024;
/** Room kept under the cap for the truncation marker and the terminal event. */
const RESERVE_BYTES = 16 * 1024;

export interface JournalSink {
  /** Call when a session starts, before its first event: writes the header and the run-again request. */
  begin(sessionId: string, req: SessionRequest, extraSecrets?: string[]): void;
  /** Append one event. Synchronous; the terminal event is fsynced before this returns. Never throws. */
  onEvent(e: SessionEvent): void;
  /**
   * Append an event of one of several streams that share one journal (a check: `check:ID` and every
   * `probe:ID…` stream), keyed by `journalKey` instead of the event's session id. `check_end` closes it.
   */
  onEventFor(journalKey: string, e: SessionEvent): void;
  /** True while a session's journal is open (started, no terminal event yet). */
  isLive(historyId: string): boolean;
  /** The history id (file name) used for a session id. */
  historyIdOf(sessionId: string): string | undefined;
  /** Close every open journal without a terminal event (app quit): they will read as interrupted. */
  closeAll(): void;
}

export interface JournalSinkOptions {
  capBytes?: number;
  now?: () => Date;
  /** Told when the disk refuses a write; the session goes on, its journal stops. */
  onError?: (sessionId: string, err: unknown) => void;
}

interface OpenJournal {
  id: string;
  fd: number;
  bytes: number;
  truncated: boolean;
  needles: string[];
  failed: boolean;
  lastSeq: number | null;
}

export function isTerminal(e: SessionEvent): boolean {
  return e.kind === 'outcome' || e.kind === 'check_end';
}

function safeId(sessionId: string): string {
  return HISTORY_ID.test(sessionId) ? sessionId : sessionId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80) || 'session';
}

/** The header summary of a journal opened by its first event (a session's start, or a check's). */
function summaryOf(e: SessionEvent): JournalSummary {
  if (e.kind === 'check_start') return { target: checkTitle(e.check, e.target), mailFrom: '', rcptTo: [], mode: 'auto', check: e.check };
  const start = e.kind === 'session_start' ? e : undefined;
  return { target: start?.target ?? '', mailFrom: start?.envelope.mailFrom ?? '', rcptTo: start?.envelope.rcptTo ?? [], mode: start?.mode ?? 'auto' };
}

export function createJournalSink(dataDir: string, opts: JournalSinkOptions = {}): JournalSink {
  const dir = dataPaths(dataDir).history;
  const cap = opts.capBytes ?? DEFAULT_CAP_BYTES;
  const now = opts.now ?? (() => new Date());
  const open = new Map<string, OpenJournal>(); // by session id
  const ids = new Map<string, string>(); // session id → history id

  function write(j: OpenJournal, line: string): void {
    if (j.failed) return;
    try {
      const buf = Buffer.from(`${line}\n`, 'utf8');
      writeSync(j.fd, buf);
      j.bytes += buf.length;
    } catch (err) {
      j.failed = true;
      opts.onError?.(j.id, err);
    }
  }

  function openFor(sessionId: string, summary: JournalSummary, needles: string[]): OpenJournal | undefined {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const base = safeId(sessionId);
    for (let n = 1; n < 1000; n++) {
      const id = n === 1 ? base : `${base}-${n}`;
      try {
        // 'wx': never append to another session's journal.
        const fd = openSync(join(dir, `${id}.jsonl`), 'wx', 0o600);
        const j: OpenJournal = { id, fd, bytes: 0, truncated: false, needles, failed: false, lastSeq: null };
        open.set(sessionId, j);
        ids.set(sessionId, id);
        write(j, JSON.stringify({ t: 'header', format: JOURNAL_FORMAT, version: 1, id, sessionId, createdAt: now().toISOString(), summary: scrubValue(summary, needles) }));
        return j;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          opts.onError?.(sessionId, err);
          return undefined;
        }
      }
    }
    return undefined;
  }

  function finish(sessionId: string, j: OpenJournal): void {
    try {
      fsyncSync(j.fd);
      closeSync(j.fd);
      const dfd = openSync(dir, 'r');
      try {
        fsyncSync(dfd); // the new file's directory entry, for power loss (Linux)
      } finally {
        closeSync(dfd);
      }
    } catch (err) {
      if (!j.failed) opts.onError?.(sessionId, err);
    }
    open.delete(sessionId);
  }

  function record(key: string, e: SessionEvent): void {
    let j = open.get(key);
    if (!j) {
      if (ids.has(key)) return; // already ended: nothing is written after the terminal event
      j = openFor(key, summaryOf(e), []);
      if (!j) return;
    }
    const terminal = isTerminal(e);
    if (!j.truncated || terminal) {
      const line = `{"t":"event","e":${JSON.stringify(scrubValue(e, j.needles))}}`;
      if (!terminal && !j.truncated && j.bytes + Buffer.byteLength(line) + 1 > cap - RESERVE_BYTES) {
        j.truncated = true;
        write(j, JSON.stringify({ t: 'truncated', afterSeq: j.lastSeq, capBytes: cap }));
      } else {
        write(j, line);
        j.lastSeq = e.seq;
      }
    }
    if (terminal) {
      finish(key, j);
    }
  }

  return {
    begin(sessionId, req, extraSecrets = []) {
      const secrets = [req.auth?.password ?? '', ...extraSecrets].filter((s) => s !== '');
      const needles = secrets.flatMap(secretNeedles);
      // A session can end before begin() is called (refused at once): then only its request is added.
      const j = open.get(sessionId) ?? (ids.has(sessionId) ? undefined : openFor(sessionId, requestSummary(req), needles));
      const id = j?.id ?? ids.get(sessionId);
      if (id === undefined) return;
      if (j) j.needles = [...new Set([...j.needles, ...needles])];
      // The run-again request: password removed, then scrubbed like everything else. Written synchronously
      // (a crash a few ms later still finds it) but not fsynced: the session must not wait for a large
      // draft to reach the platters. After a power loss it may be missing: "run again" is then unavailable.
      try {
        const file = join(dir, `${id}.request.json`);
        writeFileSync(`${file}.tmp`, JSON.stringify(scrubValue(redactRequest(req), j?.needles ?? needles)), { mode: 0o600 });
        renameSync(`${file}.tmp`, file);
      } catch (err) {
        opts.onError?.(sessionId, err);
      }
    },
    onEvent(e) {
      record(e.sessionId, e);
    },
    onEventFor(journalKey, e) {
      record(journalKey, e);
    },
    isLive: (historyId) => [...open.values()].some((j) => j.id === historyId),
    historyIdOf: (sessionId) => ids.get(sessionId),
    closeAll() {
      for (const [sessionId, j] of open) {
        try {
          fsyncSync(j.fd);
          closeSync(j.fd);
        } catch {
          // already gone
        }
        open.delete(sessionId);
      }
    },
  };
}
