/** A resolver failure with a code callers switch on (ENODATA, ENOTFOUND, ESERVFAIL, ETIMEOUT, …). */
export class DnsError extends Error {
  readonly code: string;
  /** For ENODATA / ENOTFOUND: the AD bit of the negative response (a validated denial, RFC 4035 §5.4). */
  readonly authenticated?: boolean;

  constructor(code: string, message: string, authenticated?: boolean) {
    super(message);
    this.name = 'DnsError';
    this.code = code;
    if (authenticated !== undefined) this.authenticated = authenticated;
  }
}

export function isDnsError(error: unknown): error is DnsError {
  return error instanceof DnsError;
}
