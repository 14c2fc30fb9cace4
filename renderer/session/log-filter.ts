/**
 * Search, filter and copy for the session log. Pure. Filtering is incremental: while a session streams in,
 * only the new rows are tested, so a 100,000-row log stays cheap to keep filtered.
 */
import { escapeText } from '../components/escape-segments';
import type { Direction, LogRow } from './log-rows';
import { formatLatency, formatOffset } from './log-rows';

export interface LogFilter {
  text: string;
  directions: Record<Direction, boolean>;
  /** Only warnings and errors (and 4xx/5xx replies). */
  problemsOnly: boolean;
}

export const ALL_DIRECTIONS: Direction[] = ['client', 'server', 'dns', 'tls', 'info'];

export function defaultFilter(): LogFilter {
  return { text: '', directions: { client: true, server: true, dns: true, tls: true, info: true }, problemsOnly: false };
}

export function isFilterActive(f: LogFilter): boolean {
  return f.text.trim() !== '' || f.problemsOnly || ALL_DIRECTIONS.some((d) => !f.directions[d]);
}

const MARK: Record<Direction, string> = { client: '>', server: '<', dns: '?', tls: '~', info: '*' };

/** The text a row is searched and copied by: escaped, so what you search is what you see. */
export function rowSearchText(row: LogRow): string {
  const parts = [row.code !== undefined ? String(row.code) : '', row.enhanced ?? '', ...row.lines, row.explanation ?? ''];
  return escapeText(parts.join(' ')).toLowerCase();
}

export function rowMatches(row: LogRow, f: LogFilter, needle: string): boolean {
  if (!f.directions[row.direction]) return false;
  if (f.problemsOnly && row.level !== 'warn' && row.level !== 'error') return false;
  return needle === '' || rowSearchText(row).includes(needle);
}

export interface FilteredRows {
  filter: LogFilter;
  /** Indices into the row list, in order. */
  indices: number[];
  /** How many rows of the source list have been tested. */
  scanned: number;
}

/** Extends (or restarts, when the filter changed) a filtered index list over `rows[0..count)`. */
export function updateFiltered(prev: FilteredRows | undefined, rows: readonly LogRow[], count: number, f: LogFilter): FilteredRows {
  const same = prev !== undefined && prev.filter === f && prev.scanned <= count;
  const indices = same ? prev.indices.slice() : [];
  const start = same ? prev.scanned : 0;
  const needle = f.text.trim().toLowerCase();
  for (let i = start; i < count; i++) if (rowMatches(rows[i], f, needle)) indices.push(i);
  return { filter: f, indices, scanned: count };
}

/** One row as transcript text, in the `curl -v` style: `>` sent, `<` received, `*` info, `?` DNS, `~` TLS. */
export function formatRowForCopy(row: LogRow): string {
  const head = `${formatOffset(row.at)} ${MARK[row.direction]}`;
  const latency = row.latencyMs !== undefined ? `  (${formatLatency(row.latencyMs)})` : '';
  const lines = row.lines.map((l, i) => {
    const code = row.code !== undefined ? `${row.code}${i < row.lines.length - 1 ? '-' : ' '}` : '';
    return `${head} ${code}${escapeText(l)}`;
  });
  if (lines.length > 0) lines[lines.length - 1] += latency;
  if (row.explanation) lines.push(`${' '.repeat(head.length)}   = ${escapeText(row.explanation)}`);
  if (row.body?.preview) {
    for (const l of row.body.preview.split('\n')) lines.push(`${' '.repeat(head.length)} | ${escapeText(l.replace(/\r$/, ''))}`);
  }
  return lines.join('\n');
}

export function formatRowsForCopy(rows: readonly LogRow[]): string {
  return rows.map(formatRowForCopy).join('\n') + '\n';
}
