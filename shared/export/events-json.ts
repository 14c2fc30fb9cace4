import type { SessionEvent, SessionEventKind } from '../events';
import type { Result } from '../result';
import { fail, ok } from '../result';
import type { ImportedEvents } from '../store-model';

/**
 * The events export: MX Desk's own format, which it opens again. One event per line inside a JSON
 * document, so it diffs well and stays valid JSON. A file from elsewhere is untrusted input: every event
 * is checked for the fields the log and the waterfall read before it is shown.
 */

export const EVENTS_FORMAT = 'mxdesk-events';
export const EVENTS_VERSION = 1;

export function eventsExportText(sessionId: string, events: SessionEvent[], exportedAt = new Date().toISOString()): string {
  const head = JSON.stringify({ format: EVENTS_FORMAT, version: EVENTS_VERSION, app: 'MX Desk', exportedAt, sessionId });
  const body = events.map((e) => `  ${JSON.stringify(e)}`).join(',\n');
  return `${head.slice(0, -1)},"events":[\n${body}\n]}\n`;
}

type FieldType = 's' | 'n' | 'b' | 'o' | 's[]';
/** `?` suffix: optional. */
type Spec = Record<string, `${FieldType}` | `${FieldType}?`>;

// Keyed by every kind: adding a kind to SessionEvent without a spec here is a type error.
const SPECS: Record<SessionEventKind, Spec> = {
  session_start: { startedAt: 's', target: 's', mode: 's', envelope: 'o' },
  dns: { query: 'o' },
  mx_plan: { domain: 's', report: 'o' },
  connect_attempt: { host: 's', address: 's', port: 'n', family: 'n' },
  connect_result: { host: 's', address: 's', port: 'n', ok: 'b', ms: 'n', error: 's?', next: 's?' },
  tls: { phase: 's', mode: 's', servername: 's', protocol: 's?', cipher: 's?', cert: 'o?', verified: 'b?', verifyError: 's?', overridden: 'b?', ms: 'n?' },
  command: { stage: 's', text: 's', pipelined: 'b', bytes: 'n' },
  reply: { stage: 's', code: 'n', enhanced: 's?', lines: 's[]', explanation: 's', timing: 'o' },
  data_body: { bytes: 'n', lines: 'n', preview: 's', truncated: 'b', method: 's' },
  info: { level: 's', text: 's', stage: 's?' },
  recipient: { rcpt: 's', accepted: 'b', code: 'n', text: 's' },
  step_prompt: { stage: 's', suggestion: 's', waitingFor: 's' },
  wait: { stage: 's', deadlineMs: 'n', what: 's' },
  probe_start: { host: 's', address: 's', port: 'n', family: 'n', tlsMode: 's' },
  probe_result: { probe: 'o' },
  check_start: { startedAt: 's', check: 's', target: 's', port: 'n?' },
  check_end: { result: 'o' },
  outcome: { outcome: 's', stage: 's', reason: 's', queueId: 's?', dotSent: 'b', durationMs: 'n' },
};

const OUTCOMES = ['delivered', 'not_delivered', 'unknown', 'cancelled'];

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeOk(v: unknown, t: FieldType): boolean {
  switch (t) {
    case 's':
      return typeof v === 'string';
    case 'n':
      return typeof v === 'number' && Number.isFinite(v);
    case 'b':
      return typeof v === 'boolean';
    case 'o':
      return isRecord(v);
    case 's[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
  }
}

/** Why an event is not one MX Desk can show, or null when it is. */
export function checkEvent(v: unknown): string | null {
  if (!isRecord(v)) return 'not an object';
  if (typeof v.sessionId !== 'string' || !Number.isInteger(v.seq) || typeof v.at !== 'number' || !Number.isFinite(v.at)) return 'missing sessionId, seq or at';
  if (typeof v.kind !== 'string' || !Object.prototype.hasOwnProperty.call(SPECS, v.kind)) return `unknown kind ${JSON.stringify(String(v.kind)).slice(0, 40)}`;
  for (const [field, spec] of Object.entries(SPECS[v.kind as SessionEventKind])) {
    const optional = spec.endsWith('?');
    const t = (optional ? spec.slice(0, -1) : spec) as FieldType;
    if (v[field] === undefined ? !optional : !typeOk(v[field], t)) return `${v.kind}.${field} is missing or has the wrong type`;
  }
  if (v.kind === 'session_start') {
    const env = v.envelope as Rec;
    if (typeof env.mailFrom !== 'string' || !typeOk(env.rcptTo, 's[]')) return 'session_start.envelope is malformed';
  }
  if (v.kind === 'reply' && typeof (v.timing as Rec).completeAt !== 'number') return 'reply.timing is malformed';
  if (v.kind === 'outcome' && !OUTCOMES.includes(v.outcome as string)) return 'outcome.outcome is not a known outcome';
  if (v.kind === 'check_end') {
    const r = v.result as Rec;
    if (typeof r.summary !== 'string' || typeof r.target !== 'string' || !Array.isArray(r.rows) || !typeOk(r.streams, 's[]') || typeof r.hostsPassed !== 'number' || typeof r.hostsTotal !== 'number') return 'check_end.result is malformed';
  }
  return null;
}

export function parseEventsExport(text: string): Result<ImportedEvents> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return fail('invalid_export', 'This file is not JSON, so it is not an MX Desk events export.');
  }
  if (!isRecord(doc) || doc.format !== EVENTS_FORMAT) return fail('invalid_export', 'This JSON is not an MX Desk events export (no "format": "mxdesk-events").');
  if (doc.version !== EVENTS_VERSION) return fail('unsupported_version', `This export has format version ${String(doc.version)}; this MX Desk reads version ${EVENTS_VERSION}.`);
  if (typeof doc.sessionId !== 'string' || typeof doc.exportedAt !== 'string' || !Array.isArray(doc.events))
    return fail('invalid_export', 'The export lacks its sessionId, exportedAt or events.');
  for (let i = 0; i < doc.events.length; i++) {
    const why = checkEvent(doc.events[i]);
    if (why) return fail('invalid_export', `Event ${i + 1} cannot be shown: ${why}.`);
    if ((doc.events[i] as Rec).sessionId !== doc.sessionId) return fail('invalid_export', `Event ${i + 1} belongs to another session.`);
  }
  return ok({ sessionId: doc.sessionId, exportedAt: doc.exportedAt, events: doc.events as SessionEvent[] });
}
