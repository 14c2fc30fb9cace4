import type { MxLookupRequest } from '../model';
import type { Result } from '../result';
import { fail, ok } from '../result';

// Placeholder: the DNS work replaces this with full domain / resolver validation.
export function parseMxLookupRequest(input: unknown): Result<MxLookupRequest> {
  if (typeof input !== 'object' || input === null) return fail('invalid_input', 'Expected a lookup request.');
  const r = input as Record<string, unknown>;
  if (typeof r.query !== 'string' || r.query.trim() === '') return fail('invalid_input', 'Type a domain or an e-mail address.', { field: 'query' });
  return ok({ query: r.query.trim(), resolver: typeof r.resolver === 'string' ? r.resolver : undefined, lookupId: typeof r.lookupId === 'string' ? r.lookupId : undefined });
}
