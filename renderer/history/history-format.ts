/**
 * How a history entry reads in the list and in the detail header. Pure: no React, no DOM. Wording follows
 * the session's own banner (renderer/session/outcome-banner.tsx), so a past session says what the live one
 * said.
 */
import type { ExportFormat, HistoryEntry, HistoryStatus } from '../../shared/store-model';
import { checkCountText } from '../../shared/probe/check-record';
import type { BadgeTone } from '../components/badge-tone';

export interface StatusView {
  /** Short label for the badge. */
  label: string;
  tone: BadgeTone;
  /** One sentence for the detail view, when the badge alone could mislead. */
  detail?: string;
}

const STATUS: Record<HistoryStatus, { label: string; tone: BadgeTone }> = {
  delivered: { label: 'Delivered', tone: 'ok' },
  not_delivered: { label: 'Not delivered', tone: 'error' },
  unknown: { label: 'Outcome unknown', tone: 'warn' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
  interrupted: { label: 'Interrupted — outcome unknown', tone: 'warn' },
  running: { label: 'Running', tone: 'info' },
  passed: { label: 'All hosts pass', tone: 'ok' },
  failed: { label: 'Some hosts fail', tone: 'error' },
};

/** Checks (MX health, relay) read as checks: nothing was sent, so no dot and no delivery words. */
function checkStatusView(status: HistoryStatus, check: NonNullable<HistoryEntry['check']>): StatusView {
  switch (status) {
    case 'interrupted':
      return { label: 'Interrupted', tone: 'warn', detail: 'MX Desk stopped before this check finished, so it has no verdict. No mail was sent. Run the check again from the MX inspector.' };
    case 'running':
      return { label: 'Running', tone: 'info', detail: 'This check is still running; its live view is in the MX inspector.' };
    case 'cancelled':
      return { label: 'Cancelled', tone: 'neutral' };
    case 'failed':
      return check.verdict === 'error' || check.hostsTotal === 0 ? { label: 'Check failed', tone: 'error' } : { label: 'Some hosts fail', tone: 'error' };
    default:
      return STATUS[status] ?? { label: String(status), tone: 'neutral' };
  }
}

/** The badge and, for the cases where the dot matters, whether the message may have arrived. */
export function statusView(entry: Pick<HistoryEntry, 'status' | 'dotSent' | 'check'>): StatusView {
  if (entry.check) return checkStatusView(entry.status, entry.check);
  const base = STATUS[entry.status] ?? { label: String(entry.status), tone: 'neutral' };
  switch (entry.status) {
    case 'interrupted':
      // The journal has no end: MX Desk stopped (crash, kill, power) while this session ran.
      return {
        ...base,
        detail: entry.dotSent
          ? 'MX Desk stopped during this session, after the final dot had been sent: the server may have accepted the message. Check before you resend.'
          : 'MX Desk stopped during this session, before the final dot was sent: the message was not delivered.',
      };
    case 'unknown':
      return { ...base, detail: 'The final dot was sent but no final reply arrived: check the mailbox or the server’s log before you resend.' };
    case 'cancelled':
      return entry.dotSent ? { ...base, detail: 'Cancelled after the body had been sent: the message may have been delivered.' } : base;
    case 'running':
      return { ...base, detail: 'This session is still running; its live view is in the Send panel.' };
    default:
      return base;
  }
}

/** "dot sent" / "dot not sent": the one fact that decides whether an unknown outcome could be a delivery. */
export function dotWords(dotSent: boolean): string {
  return dotSent ? 'final dot sent' : 'final dot not sent';
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** Local date and time, ISO-like, the way sysadmins read log lines: `2026-11-28`, `14:03:12`. */
export function formatWhen(iso: string): { date: string; time: string } {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return { date: iso, time: '' };
  return {
    date: `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`,
    time: `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`,
  };
}

/** `hh:mm:ss` of an ISO time, local. */
export function formatClock(iso: string): string {
  return formatWhen(iso).time;
}

/** A session's length: `420 ms`, `3.2 s`, `14 s`, `2 min 05 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s`;
  if (ms < 60_000) return `${Math.floor(ms / 1000)} s`;
  const m = Math.floor(ms / 60_000);
  const sec = Math.floor((ms % 60_000) / 1000);
  return sec === 0 ? `${m} min` : `${m} min ${two(sec)} s`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** The reverse path as written on the wire: the null sender is `<>` (RFC 5321 §4.5.5). */
export function senderText(mailFrom: string): string {
  const m = mailFrom.trim();
  return m === '' || m === '<>' ? '<>' : m;
}

/** `alice@a.test → bob@b.test, carol@c.test +3 more`, short enough for one list line. */
export function envelopeSummary(mailFrom: string, rcptTo: readonly string[], maxShown = 2): string {
  const shown = rcptTo.slice(0, maxShown).join(', ');
  const more = rcptTo.length > maxShown ? ` +${rcptTo.length - maxShown} more` : '';
  return `${senderText(mailFrom)} → ${rcptTo.length === 0 ? '(no recipient)' : shown}${more}`;
}

/** The text the list's search box matches against. */
export function entrySearchText(e: HistoryEntry): string {
  const s = statusView(e);
  const when = formatWhen(e.startedAt);
  const check = e.check ? ['check', checkCountText(e.check)] : [];
  return [e.target, e.mailFrom, ...e.rcptTo, s.label, e.queueId ?? '', e.reason ?? '', when.date, when.time, e.mode, ...check].join('\n').toLowerCase();
}

/** Entries whose text contains every word of the query (case-insensitive); an empty query keeps all. */
export function filterEntries(entries: readonly HistoryEntry[], query: string): HistoryEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return entries.slice();
  return entries.filter((e) => {
    const text = entrySearchText(e);
    return words.every((w) => text.includes(w));
  });
}

/** One accessible name per list row: everything the row shows, in reading order. */
export function entryLabel(e: HistoryEntry): string {
  const when = formatWhen(e.startedAt);
  const s = statusView(e);
  if (e.check) return `${s.label}. ${when.date} ${when.time}, ${e.target}, ${checkCountText({ ...e.check, cancelled: e.status === 'cancelled' })}, ${formatDuration(e.durationMs)}`;
  const dot = e.status === 'interrupted' ? `, ${dotWords(e.dotSent)}` : '';
  return `${s.label}${dot}. ${when.date} ${when.time}, ${e.target}, ${envelopeSummary(e.mailFrom, e.rcptTo, 3)}, ${formatDuration(e.durationMs)}`;
}

export interface ExportChoice {
  format: ExportFormat;
  label: string;
  /** What the file is, in a few words. */
  hint: string;
}

export const EXPORT_CHOICES: readonly ExportChoice[] = [
  { format: 'text', label: 'Transcript', hint: 'text, in the style of swaks' },
  { format: 'json', label: 'Events', hint: 'JSON that MX Desk opens again' },
  { format: 'eml', label: 'Message', hint: 'the sent message as .eml' },
  { format: 'swaks', label: 'swaks', hint: 'the same send as a swaks command line' },
  { format: 'curl', label: 'curl', hint: 'the same send as a curl command' },
  { format: 'openssl', label: 'openssl s_client', hint: 'a recipe to type the dialog by hand' },
];

export function exportChoice(format: ExportFormat): ExportChoice {
  return EXPORT_CHOICES.find((c) => c.format === format) ?? { format, label: format, hint: '' };
}
