import type { SessionEvent } from '../../shared/events';
import { eventLines, MARK } from '../../shared/export/transcript';
import { checkCountText } from '../../shared/probe/check-record';
import { escapeForDisplay as esc } from '../../shared/smtp/escape';
import type { HistoryDetail } from '../../shared/store-model';
import { formatRows } from '../cli/check-format';

/**
 * The text export of a past check: the verdict and the matrix as `mxdesk check` prints them, then each
 * stream (the DNS lookup, then every address probe) as its own swaks-style transcript. Streams run in
 * parallel and each is timed from its own start, so they are printed apart, not interleaved.
 */

function offset(ms: number): string {
  return `[${(ms / 1000).toFixed(3).padStart(8)}s]`;
}

function streamsOf(events: readonly SessionEvent[]): Map<string, SessionEvent[]> {
  const out = new Map<string, SessionEvent[]>();
  for (const e of events) {
    if (e.kind === 'check_start' || e.kind === 'check_end') continue;
    const list = out.get(e.sessionId) ?? [];
    list.push(e);
    out.set(e.sessionId, list);
  }
  return out;
}

function streamTitle(id: string, events: readonly SessionEvent[]): string {
  const start = events.find((e) => e.kind === 'probe_start');
  if (start?.kind === 'probe_start') return `${start.host} [${start.address}]:${start.port} (stream ${id})`;
  return `DNS (stream ${id})`;
}

export function checkTranscriptText(detail: HistoryDetail): string {
  const { entry, events } = detail;
  const I = MARK.info;
  const out: string[] = [`${I}MX Desk ${esc(entry.target)}, started ${esc(entry.startedAt)}`];
  const end = [...events].reverse().find((e) => e.kind === 'check_end');
  if (end?.kind === 'check_end') {
    const r = end.result;
    out.push(`${r.verdict === 'deliverable' || r.verdict === 'relay_ok' ? I : MARK.errorReply}${esc(r.summary)}`);
    out.push(`${I}${checkCountText(r)}, in ${(r.durationMs / 1000).toFixed(2)} s`);
    out.push(...formatRows(r.rows));
    if (r.egress && r.rows.length > 0) out.push(`${r.egress.kind === 'ok' ? I : MARK.errorReply}Egress: ${esc(r.egress.message)}`);
    for (const s of r.skipped ?? []) out.push(`${MARK.errorReply}not probed: ${esc(s)}`);
  } else {
    out.push(`${MARK.error}${entry.status === 'running' ? 'Still running: no verdict yet.' : 'Interrupted: MX Desk stopped before this check finished, so it has no verdict. No mail was sent.'}`);
  }
  for (const [id, list] of streamsOf(events)) {
    out.push('', `${I}${esc(streamTitle(id, list))}`);
    for (const e of list) for (const line of eventLines(e)) out.push(`${offset(e.at)} ${line}`);
  }
  return `${out.join('\n')}\n`;
}
