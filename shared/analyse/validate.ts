import { parseResolverSpec } from '../mx';
import type { Result } from '../result';
import { fail, ok } from '../result';
import type { AnalyseRequest } from './types';
import { ANALYSE_LIMITS } from './types';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `analyzeMessage({ text, resolver?, originalChars? })`. The text is capped at ANALYSE_LIMITS.maxInputChars
 * (16 MiB): a larger paste is cut by the caller, which passes `originalChars` so the answer can say so.
 */
export function parseAnalyseRequest(input: unknown): Result<AnalyseRequest> {
  if (!isRecord(input) || typeof input.text !== 'string') return fail('invalid_input', 'Paste a message, its headers or a bounce.', { field: 'text' });
  if (input.text.trim() === '') return fail('invalid_input', 'The message is empty: paste a message, its headers or a bounce.', { field: 'text' });
  if (input.text.length > ANALYSE_LIMITS.maxInputChars) {
    return fail('invalid_input', `The message is longer than ${ANALYSE_LIMITS.maxInputChars / (1024 * 1024)} MiB; cut it (the headers are what matters) and send again.`, { field: 'text' });
  }
  const req: AnalyseRequest = { text: input.text };
  if (typeof input.resolver === 'string' && input.resolver.trim() !== '') {
    const spec = parseResolverSpec(input.resolver);
    if (!spec.ok) return spec;
    req.resolver = input.resolver.trim();
  } else if (input.resolver !== undefined && typeof input.resolver !== 'string') {
    return fail('invalid_input', 'The resolver must be text such as 127.0.0.1:53.', { field: 'resolver' });
  }
  if (input.originalChars !== undefined) {
    if (typeof input.originalChars !== 'number' || !Number.isSafeInteger(input.originalChars) || input.originalChars < 0) {
      return fail('invalid_input', 'originalChars must be a whole number.', { field: 'originalChars' });
    }
    req.originalChars = input.originalChars;
  }
  return ok(req);
}
