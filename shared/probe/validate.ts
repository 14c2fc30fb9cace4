/** Validation of probe requests: main parses every payload with these, the forms and the CLI use the same rules. */
import type { Result } from '../result';
import { fail, ok } from '../result';
import { isIpLiteral, parseDomainQuery, parseResolverSpec } from '../mx';
import type { ProbeMxRequest, ProbeRelayRequest } from './types';

export const MIN_PROBE_TIMEOUT_MS = 100;
export const MAX_PROBE_TIMEOUT_MS = 120_000;
const MAX_ID = 100;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseId(v: unknown): Result<string> {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_ID && /^[\x21-\x7e]+$/.test(v)
    ? ok(v)
    : fail('invalid_input', `probeId must be 1 to ${MAX_ID} printable ASCII characters.`, { field: 'probeId' });
}

export function parsePort(v: unknown, field = 'port'): Result<number> {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535 ? ok(v) : fail('invalid_input', 'A port is a whole number from 1 to 65535.', { field });
}

function parseTimeout(v: unknown): Result<number | undefined> {
  if (v === undefined) return ok(undefined);
  return typeof v === 'number' && Number.isInteger(v) && v >= MIN_PROBE_TIMEOUT_MS && v <= MAX_PROBE_TIMEOUT_MS
    ? ok(v)
    : fail('invalid_input', `The probe timeout must be a whole number of milliseconds from ${MIN_PROBE_TIMEOUT_MS} to ${MAX_PROBE_TIMEOUT_MS}.`, { field: 'timeoutMs' });
}

function parseResolver(v: unknown): Result<string | undefined> {
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return ok(undefined);
  const spec = parseResolverSpec(v);
  return spec.ok ? ok(String(v).trim()) : spec;
}

export function parseProbeMxRequest(input: unknown): Result<ProbeMxRequest> {
  if (!isRecord(input)) return fail('invalid_input', 'Expected a probe request.');
  const id = parseId(input.probeId);
  if (!id.ok) return id;
  const q = parseDomainQuery(input.query);
  if (!q.ok) return q;
  const resolver = parseResolver(input.resolver);
  if (!resolver.ok) return resolver;
  const port = input.port === undefined ? ok(25) : parsePort(input.port);
  if (!port.ok) return port;
  const timeout = parseTimeout(input.timeoutMs);
  if (!timeout.ok) return timeout;
  const family = input.family;
  if (family !== undefined && family !== 4 && family !== 6) return fail('invalid_input', 'family is 4 or 6.', { field: 'family' });
  const req: ProbeMxRequest = { probeId: id.value, query: String(input.query), port: port.value };
  if (resolver.value !== undefined) req.resolver = resolver.value;
  if (timeout.value !== undefined) req.timeoutMs = timeout.value;
  if (family !== undefined) req.family = family;
  return ok(req);
}

/** A relay is a host name or an IP address (no port here: ports are a separate list). */
export function parseRelayHost(v: unknown): Result<string> {
  if (typeof v !== 'string' || v.trim() === '') return fail('invalid_input', 'Name the relay: a host name or an IP address.', { field: 'host' });
  const h = v.trim().replace(/^\[|\]$/g, '');
  if (isIpLiteral(h)) return ok(h);
  const q = parseDomainQuery(h);
  return q.ok ? ok(q.value.ascii) : fail('invalid_input', `The relay ${JSON.stringify(h.slice(0, 100))} is not a host name or an IP address.`, { field: 'host' });
}

export function parseProbeRelayRequest(input: unknown): Result<ProbeRelayRequest> {
  if (!isRecord(input)) return fail('invalid_input', 'Expected a relay probe request.');
  const id = parseId(input.probeId);
  if (!id.ok) return id;
  const host = parseRelayHost(input.host);
  if (!host.ok) return host;
  const resolver = parseResolver(input.resolver);
  if (!resolver.ok) return resolver;
  const timeout = parseTimeout(input.timeoutMs);
  if (!timeout.ok) return timeout;
  let ports = [587, 465];
  if (input.ports !== undefined) {
    if (!Array.isArray(input.ports) || input.ports.length === 0 || input.ports.length > 4) return fail('invalid_input', 'ports is a list of 1 to 4 ports.', { field: 'ports' });
    const parsed: number[] = [];
    for (const p of input.ports) {
      const r = parsePort(p, 'ports');
      if (!r.ok) return r;
      parsed.push(r.value);
    }
    ports = [...new Set(parsed)];
  }
  const req: ProbeRelayRequest = { probeId: id.value, host: host.value, ports };
  if (resolver.value !== undefined) req.resolver = resolver.value;
  if (timeout.value !== undefined) req.timeoutMs = timeout.value;
  return ok(req);
}

export function parseCancelProbe(input: unknown): Result<{ probeId: string }> {
  if (!isRecord(input)) return fail('invalid_input', 'Expected { probeId }.');
  const id = parseId(input.probeId);
  return id.ok ? ok({ probeId: id.value }) : id;
}
