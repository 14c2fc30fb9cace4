// Text for `mxdesk check`: swaks-like `===` lines, one block per probed address, one line per check.
import type { CellVerdict, MatrixRow, ProbeReport, RelayReport } from '../../shared/probe/types';
import { CHECK_IDS, CHECK_LABELS } from '../../shared/probe/types';
import { terminalSafe as safe } from './transcript';

/** Every row passes or only warns (a warning is worth reading, not a failed host). */
export function reportPasses(r: ProbeReport): boolean {
  return (r.verdict === 'deliverable' || r.verdict === 'degraded') && r.rows.every((row) => row.verdict !== 'fail');
}

const MARK: Record<CellVerdict, string> = { pass: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: '--  ' };

export function formatRows(rows: MatrixRow[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    const pref = r.preference !== undefined ? `${r.preference} ` : '';
    const addr = r.family === 6 ? `[${r.address}]` : r.address;
    out.push(`--- ${pref}${safe(r.host)} ${safe(addr)}:${r.port}  ${r.verdict.toUpperCase()}`);
    for (const id of CHECK_IDS) {
      const c = r.cells[id];
      out.push(`      ${MARK[c.verdict]} ${CHECK_LABELS[id].padEnd(13)}${safe(c.text)}${c.differs ? '   * differs from the other hosts' : ''}`);
    }
  }
  return out;
}

export function formatProbeReport(r: ProbeReport): string[] {
  const good = r.verdict === 'deliverable';
  const out = [`=== MX health for ${safe(r.domain)} on port ${r.port}${r.mx ? ` via ${safe(r.mx.resolver)}` : ''}: ${r.probes.length} address(es) in ${(r.elapsedMs / 1000).toFixed(2)} s`];
  out.push(`${good ? '===' : '<**'} ${safe(r.summary)}`);
  out.push(...formatRows(r.rows));
  if (r.probes.length > 0) out.push(`${r.egress.kind === 'ok' ? '===' : '<**'} Egress: ${safe(r.egress.message)}`);
  if (r.egress.advice) out.push(`<** ${safe(r.egress.advice)}`);
  for (const s of r.skipped) out.push(`<** not probed: ${safe(s)}`);
  return out;
}

export function formatRelayReport(r: RelayReport): string[] {
  return [`=== Relay check of ${safe(r.host)} in ${(r.elapsedMs / 1000).toFixed(2)} s`, `${r.summary.startsWith('A way out works') ? '===' : '<**'} ${safe(r.summary)}`, ...formatRows(r.rows)];
}

/** The compact per-domain record of the batch mode (one JSON line each). */
export function batchRecord(r: ProbeReport) {
  return {
    kind: 'domain',
    domain: r.domain,
    verdict: r.verdict,
    summary: r.summary,
    egress: r.egress.kind,
    elapsedMs: r.elapsedMs,
    rows: r.rows.map((row) => ({
      host: row.host,
      address: row.address,
      verdict: row.verdict,
      checks: Object.fromEntries(CHECK_IDS.map((id) => [id, row.cells[id].verdict])),
    })),
  };
}
