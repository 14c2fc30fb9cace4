// "Which way out works": the same probe as for MX hosts, against the user's relay on the submission ports,
// 587 with STARTTLS and 465 with implicit TLS (RFC 8314 §3.3). Nothing is authenticated and no mail is sent.
import type { SessionEvent } from '../../../shared/events';
import { markDifferences, matrixRow } from '../../../shared/probe/cells';
import type { MatrixRow, ProbeRelayRequest, RelayReport } from '../../../shared/probe/types';
import { isIpLiteral } from '../../../shared/mx';
import type { Result } from '../../../shared/result';
import { ok } from '../../../shared/result';
import { createReverseDns } from './probe-dns';
import { probeTargetList, stampStream, tlsModeForPort, type ProbeDeps, type ProbeTarget } from './probe-domain';

const MAX_RELAY_ADDRESSES = 4;

/** A way out: the relay greets, and TLS comes up (a certificate problem is named, not a dead end). */
export function relayRowWorks(r: MatrixRow): boolean {
  return r.cells.connect.verdict === 'pass' && r.cells.banner.verdict !== 'fail' && r.cells.banner.verdict !== 'skip' && r.cells.starttls.verdict === 'pass';
}

export function relaySummary(host: string, rows: MatrixRow[], ports: number[]): string {
  const parts = ports.map((port) => {
    const mine = rows.filter((r) => r.port === port);
    const okRow = mine.find(relayRowWorks);
    if (okRow) return `port ${port} works (${port === 465 ? 'TLS' : 'STARTTLS'} ${okRow.cells.starttls.text}${okRow.cells.certificate.verdict === 'fail' ? `, but the certificate is ${okRow.cells.certificate.text}` : ''})`;
    const first = mine[0];
    if (!first) return `port ${port}: no address`;
    const bad = (['connect', 'banner', 'ehlo', 'starttls'] as const).find((c) => first.cells[c].verdict === 'fail');
    return `port ${port} ${bad ? `fails at ${bad}: ${first.cells[bad].text}` : 'did not complete'}`;
  });
  const works = rows.some(relayRowWorks);
  return `${works ? 'A way out works' : 'No way out works'} through ${host}: ${parts.join('; ')}.`;
}

export async function probeRelay(req: ProbeRelayRequest, deps: ProbeDeps = {}): Promise<Result<RelayReport>> {
  const started = performance.now();
  const ports = req.ports ?? [587, 465];
  const resolver = req.resolver?.trim() || deps.defaultResolver;
  const dnsStream = stampStream(`probe:${req.probeId}`, started, deps.emit as ((e: SessionEvent) => void) | undefined);
  let addresses: { address: string; family: 4 | 6 }[] = [];
  if (isIpLiteral(req.host)) addresses = [{ address: req.host, family: req.host.includes(':') ? 6 : 4 }];
  else {
    const r = createReverseDns(resolver, 5000);
    try {
      const [v4, v6] = await Promise.all([r.addresses(req.host, 4).catch(() => []), r.addresses(req.host, 6).catch(() => [])]);
      addresses = [...v4.map((a) => ({ address: a, family: 4 as const })), ...v6.map((a) => ({ address: a, family: 6 as const }))].slice(0, MAX_RELAY_ADDRESSES);
    } finally {
      r.cancel();
    }
    dnsStream({ kind: 'info', level: addresses.length ? 'info' : 'error', stage: 'dns', text: `${req.host}: ${addresses.map((a) => a.address).join(', ') || 'no address found'}` });
  }
  const perPort = await Promise.all(
    ports.map((port) =>
      probeTargetList(`${req.probeId}:${port}`, addresses.map((a): ProbeTarget => ({ host: req.host, ...a })), { port, tlsMode: tlsModeForPort, timeoutMs: req.timeoutMs, resolver }, { ...deps, noPtr: true }),
    ),
  );
  const probes = perPort.flat();
  const rows: MatrixRow[] = probes.map((p) => matrixRow(p));
  markDifferences(rows);
  const summary = addresses.length === 0 ? `The relay ${req.host} has no address: check the name.` : relaySummary(req.host, rows, ports);
  return ok({ probeId: req.probeId, host: req.host, probes, rows, summary, elapsedMs: Math.round((performance.now() - started) * 10) / 10 });
}
