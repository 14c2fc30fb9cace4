// What a validating resolver says about an answer, from the AD bit and a CD retry (RFC 4035 §3.2, RFC 4033 §5).
import type { DnsAnswer, DnsFailure, DnsRecordType, DnssecAnswer } from '../../../shared/dns-types';
import { isDnsError } from './dns-error';

export interface DnssecAsk<T extends DnsRecordType> {
  /** The question, with checking disabled (CD) or not. */
  ask(cd: boolean): Promise<DnsAnswer<T>>;
  /** Whether the resolver validates at all. */
  validates(): Promise<boolean>;
}

function failureOf(error: unknown): DnsFailure {
  if (isDnsError(error)) return { code: error.code, message: error.message };
  return { code: 'EBADRESP', message: error instanceof Error ? error.message : String(error) };
}

const NOT_VALIDATING = 'this resolver does not validate DNSSEC (it never sets the AD bit), so nothing can be said';

/**
 * The DNSSEC status of one question. Never rejects:
 * - AD set on the answer, or on a NODATA/NXDOMAIN denial: `secure`;
 * - no AD from a resolver that validates: `insecure` (unsigned, provably so);
 * - SERVFAIL, then data with CD set: `bogus` (the signatures are broken, RFC 4035 §5.5);
 * - no AD from a resolver that never validates: `unknown`.
 */
export async function dnssecOf<T extends DnsRecordType>(name: string, type: T, q: DnssecAsk<T>): Promise<DnssecAnswer<T>> {
  const validating = q.validates();
  const insecureOr = async (what: string): Promise<Pick<DnssecAnswer<T>, 'status' | 'reason'>> =>
    (await validating)
      ? { status: 'insecure', reason: `the resolver validates, but ${what} is not signed (no AD bit)` }
      : { status: 'unknown', reason: NOT_VALIDATING };
  try {
    const answer = await q.ask(false);
    if (answer.authenticated) return { status: 'secure', answer, reason: 'the resolver validated the answer (AD bit set)' };
    return { ...(await insecureOr(`the ${type} answer`)), answer };
  } catch (error) {
    const failure = failureOf(error);
    if (isDnsError(error) && (error.code === 'ENODATA' || error.code === 'ENOTFOUND')) {
      if (error.authenticated) return { status: 'secure', error: failure, reason: 'the resolver validated that there is no such record (AD bit on the denial)' };
      return { ...(await insecureOr('the denial')), error: failure };
    }
    if (failure.code !== 'ESERVFAIL') return { status: 'unknown', error: failure, reason: `the question was not answered: ${failure.message}` };
    try {
      const answer = await q.ask(true);
      return {
        status: 'bogus',
        answer,
        error: failure,
        reason: `${type} ${name}: SERVFAIL, but with checking disabled (CD) the records came back: their DNSSEC signatures do not validate`,
      };
    } catch (again) {
      const cd = failureOf(again);
      if (cd.code === 'ENODATA' || cd.code === 'ENOTFOUND') {
        return { status: 'bogus', error: cd, reason: `${type} ${name}: SERVFAIL, but with checking disabled (CD) the denial came back: it does not validate` };
      }
      return { status: 'unknown', error: failure, reason: `${type} ${name}: SERVFAIL with and without checking disabled, so the failure is not a DNSSEC one` };
    }
  }
}
