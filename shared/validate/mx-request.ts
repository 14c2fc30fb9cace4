import type { MxLookupRequest } from '../model';
import type { Result } from '../result';
import { fail, ok } from '../result';
import { parseDomainQuery, parseResolverSpec } from '../mx';

/**
 * Validation of an MX lookup request. Main parses every payload with `parseMxLookupRequest`; the form calls
 * `validateMxLookupFields` as the user types. Both use the same rules, so they cannot disagree.
 */

export type MxLookupField = 'query' | 'resolver' | 'lookupId' | 'timeoutMs';
export type MxLookupFieldErrors = Partial<Record<MxLookupField, string>>;

/** Per-query timeout bounds: short enough for tests, long enough for a slow resolver on a bad link. */
export const MIN_DNS_TIMEOUT_MS = 50;
export const MAX_DNS_TIMEOUT_MS = 60_000;
const MAX_LOOKUP_ID = 100;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every field's problem at once, keyed by field; an empty object means the request is valid. */
export function validateMxLookupFields(input: Record<string, unknown>): MxLookupFieldErrors {
  const errors: MxLookupFieldErrors = {};
  const q = parseDomainQuery(input.query);
  if (!q.ok) errors.query = q.error.message;
  const r = input.resolver;
  if (r !== undefined && r !== null && !(typeof r === 'string' && r.trim() === '')) {
    const spec = parseResolverSpec(r);
    if (!spec.ok) errors.resolver = spec.error.message;
  }
  const id = input.lookupId;
  if (id !== undefined && (typeof id !== 'string' || id.length === 0 || id.length > MAX_LOOKUP_ID || !/^[\x21-\x7e]+$/.test(id))) {
    errors.lookupId = `lookupId must be 1 to ${MAX_LOOKUP_ID} printable ASCII characters.`;
  }
  const t = input.timeoutMs;
  if (t !== undefined && (typeof t !== 'number' || !Number.isInteger(t) || t < MIN_DNS_TIMEOUT_MS || t > MAX_DNS_TIMEOUT_MS)) {
    errors.timeoutMs = `The DNS timeout must be a whole number of milliseconds from ${MIN_DNS_TIMEOUT_MS} to ${MAX_DNS_TIMEOUT_MS}.`;
  }
  return errors;
}

/** Parses an untrusted payload into an MxLookupRequest, or the first field error. Unknown keys are dropped. */
export function parseMxLookupRequest(input: unknown): Result<MxLookupRequest> {
  if (!isRecord(input)) return fail('invalid_input', 'Expected a lookup request.');
  const errors = validateMxLookupFields(input);
  const order: MxLookupField[] = ['query', 'resolver', 'lookupId', 'timeoutMs'];
  for (const f of order) {
    const message = errors[f];
    if (message !== undefined) return fail('invalid_input', message, { field: f });
  }
  const req: MxLookupRequest = { query: (input.query as string).trim() };
  if (typeof input.resolver === 'string' && input.resolver.trim() !== '') req.resolver = input.resolver.trim();
  if (typeof input.lookupId === 'string') req.lookupId = input.lookupId;
  if (typeof input.timeoutMs === 'number') req.timeoutMs = input.timeoutMs;
  return ok(req);
}
