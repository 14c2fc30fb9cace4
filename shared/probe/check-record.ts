/**
 * A check (MX health of a domain, or the relay probe) as a History record: the payload of the stream's
 * terminal `check_end` event, and the small facts the History list shows. Pure: no node:*, no DOM.
 */
import type { DomainVerdictKind, EgressDiagnosis, MatrixRow, ProbeReport, RelayReport } from './types';

export type CheckKind = 'mx' | 'relay';
export type CheckVerdict = DomainVerdictKind | 'relay_ok' | 'relay_fail' | 'error';

export interface CheckResult {
  check: CheckKind;
  /** The domain, or the relay's host name. */
  target: string;
  verdict: CheckVerdict;
  /** The sentence shown on top of the matrix (or the error that stopped the check). */
  summary: string;
  /** Hosts (MX names) none of whose addresses failed, of all hosts probed. */
  hostsPassed: number;
  hostsTotal: number;
  rows: MatrixRow[];
  /** The event stream id of each row's address probe, in row order (`probe:ID:N`). */
  streams: string[];
  egress?: EgressDiagnosis;
  skipped?: string[];
  cancelled: boolean;
  durationMs: number;
}

/** A host passes when no address of it failed a check (the rule `mxdesk check` exits by). */
export function hostCounts(rows: readonly MatrixRow[]): { passed: number; total: number } {
  const hosts = [...new Set(rows.map((r) => r.host))];
  const passed = hosts.filter((h) => rows.every((r) => r.host !== h || r.verdict !== 'fail')).length;
  return { passed, total: hosts.length };
}

/** Row j's stream: relay rows are grouped by port (`probe:ID:PORT:N`), MX rows are `probe:ID:N`. */
export function rowStreams(probeId: string, rows: readonly MatrixRow[], byPort: boolean): string[] {
  const seen = new Map<number, number>();
  return rows.map((r, j) => {
    if (!byPort) return `probe:${probeId}:${j}`;
    const n = seen.get(r.port) ?? 0;
    seen.set(r.port, n + 1);
    return `probe:${probeId}:${r.port}:${n}`;
  });
}

export function mxCheckResult(r: ProbeReport): CheckResult {
  const c = hostCounts(r.rows);
  return {
    check: 'mx',
    target: r.domain,
    verdict: r.verdict,
    summary: r.summary,
    hostsPassed: c.passed,
    hostsTotal: c.total,
    rows: r.rows,
    streams: rowStreams(r.probeId, r.rows, false),
    egress: r.egress,
    skipped: r.skipped,
    cancelled: r.verdict === 'cancelled',
    durationMs: r.elapsedMs,
  };
}

export function relayCheckResult(r: RelayReport, cancelled: boolean): CheckResult {
  const c = hostCounts(r.rows);
  const works = r.summary.startsWith('A way out works');
  return {
    check: 'relay',
    target: r.host,
    verdict: works ? 'relay_ok' : 'relay_fail',
    summary: cancelled ? `The check of the relay ${r.host} was cancelled.` : r.summary,
    hostsPassed: c.passed,
    hostsTotal: c.total,
    rows: r.rows,
    streams: rowStreams(r.probeId, r.rows, true),
    cancelled,
    durationMs: r.elapsedMs,
  };
}

/** A check that stopped before its report (bad input, DNS lookup failed): the error is the summary. */
export function failedCheckResult(check: CheckKind, target: string, message: string, durationMs: number, cancelled: boolean): CheckResult {
  return { check, target, verdict: cancelled ? 'cancelled' : 'error', summary: message, hostsPassed: 0, hostsTotal: 0, rows: [], streams: [], cancelled, durationMs };
}

/** "Check of example.org", "Check of relay smtp.example.net": the History target of a check. */
export function checkTitle(check: CheckKind, target: string): string {
  return check === 'relay' ? `Check of relay ${target}` : `Check of ${target}`;
}

/** "2 of 3 hosts pass", or the reason there is no count. */
export function checkCountText(r: Pick<CheckResult, 'hostsPassed' | 'hostsTotal'> & Partial<Pick<CheckResult, 'verdict' | 'cancelled'>>): string {
  if (r.cancelled) return 'cancelled';
  if (r.hostsTotal === 0) return r.verdict === 'error' ? 'did not run' : 'no host probed';
  return `${r.hostsPassed} of ${r.hostsTotal} host${r.hostsTotal === 1 ? '' : 's'} pass${r.hostsTotal === 1 ? 'es' : ''}`;
}

/** One line for a check's own events, for the logs and the terminal transcript. */
export function checkEventText(e: { kind: 'check_start'; check: CheckKind; target: string; port?: number } | { kind: 'check_end'; result: CheckResult }): string {
  if (e.kind === 'check_start') return `${checkTitle(e.check, e.target)} started${e.port !== undefined ? ` (port ${e.port})` : ''}`;
  return `${e.result.summary} (${checkCountText(e.result)})`;
}
