/** Handlers resolve with a Result; they never throw domain errors across a boundary. */
export interface AppError {
  /** Stable machine code, e.g. `invalid_input`, `dns_timeout`, `not_found`. */
  code: string;
  /** Plain-language message for people. */
  message: string;
  /** The field of a form or request that is wrong, when there is one. */
  field?: string;
  /** The protocol stage the error belongs to, when there is one. */
  stage?: string;
  /** The server reply that caused it, escaped and truncated. */
  reply?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: string, message: string, extra: Omit<AppError, 'code' | 'message'> = {}): Result<T> {
  return { ok: false, error: { code, message, ...extra } };
}
