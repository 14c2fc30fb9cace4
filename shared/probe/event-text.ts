/** Plain text for the probe's own events, shared by the session log, the transcripts and the CLI. */
import type { SessionEventBody } from '../events';
import { matrixRow } from './cells';
import { CHECK_IDS, CHECK_LABELS } from './types';

type ProbeEvent = Extract<SessionEventBody, { kind: 'probe_start' | 'probe_result' }>;

export function probeEventText(e: ProbeEvent): string {
  if (e.kind === 'probe_start') return `Probe of ${e.host} [${e.address}]:${e.port} (IPv${e.family}, ${e.tlsMode === 'implicit' ? 'implicit TLS' : 'STARTTLS'}); no mail is sent`;
  const row = matrixRow(e.probe);
  const cells = CHECK_IDS.map((id) => `${CHECK_LABELS[id]} ${row.cells[id].verdict}: ${row.cells[id].text}`).join('; ');
  return `Probe result for ${e.probe.host} [${e.probe.address}]:${e.probe.port}: ${row.verdict}. ${cells}`;
}
