import type { RequestApi, RequestMethod } from '../../shared/api';
import { REQUEST_CHANNELS } from '../../shared/ipc';
import type { Result } from '../../shared/result';
import { fail } from '../../shared/result';
import { REQUEST_VALIDATORS } from '../../shared/validate/requests';

/**
 * The one request path shared by IPC and web mode: method allow-list → validator → service.
 * It resolves a Result for every input and never throws, because Electron keeps only the message of a
 * thrown error and a WebSocket peer would get nothing at all.
 */
export function isRequestMethod(name: unknown): name is RequestMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(REQUEST_CHANNELS, name);
}

type AnyMethod = (arg: unknown) => Promise<Result<unknown>>;
type AnyValidator = (input: unknown) => Result<unknown>;

export async function dispatchRequest(service: RequestApi, method: unknown, payload: unknown): Promise<Result<unknown>> {
  if (!isRequestMethod(method)) return fail('unknown_method', 'That request is not part of the MX Desk API.');
  try {
    const parsed = (REQUEST_VALIDATORS[method] as AnyValidator)(payload);
    if (!parsed.ok) return parsed;
    const result = await (service[method] as AnyMethod).call(service, parsed.value);
    if (!isResult(result)) return fail('internal', `${method} returned no result.`);
    return result;
  } catch (err) {
    return fail('internal', `${method} failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function isResult(v: unknown): v is Result<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { ok?: unknown }).ok === 'boolean';
}
