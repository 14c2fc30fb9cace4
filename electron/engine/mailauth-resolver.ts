/**
 * STABLE INTERFACE (engineer D, issue 10): mailauth's `resolver` option, backed by MX Desk's own DnsResolver.
 * mailauth (SPF, DMARC, DKIM verify, ARC, BIMI) asks DNS through an async `(name, rrtype)` function shaped like
 * node's `dns.promises.resolve`. This adapter answers it from the DnsResolver the user chose, so the resolver
 * setting applies to authentication checks too, and reports every question as a DnsQueryStat (the same stat
 * the MX inspector and the session log show), in the order mailauth asked.
 *
 * Shapes returned (what mailauth reads): TXT → string[][] (one chunk per record; mailauth joins them),
 * MX → { exchange, priority }[], A / AAAA / PTR / CNAME → string[]. Errors keep the resolver's `code`
 * (ENOTFOUND, ENODATA, ETIMEOUT, ESERVFAIL, …), which mailauth maps to void lookups, temperror and so on.
 * Unsupported types reject with ENOTIMP.
 */
import type { DnsAnswer, DnsRecordType, RecordOf } from '../../shared/dns-types';
import type { DnsQueryStat } from '../../shared/model';
import { dnsErrorDetail, dnsStatusOf } from './resolver';
import type { DnsResolver } from './resolver';

/** What mailauth calls: `resolver(name, rrtype)`. */
export type MailauthResolver = (name: string, rrtype: string) => Promise<unknown[]>;

/** One question mailauth asked, with the answer as display strings (TXT text, `10 mx.example`, addresses). */
export interface MailauthQuery {
  stat: DnsQueryStat;
  /** Display form of each record; empty when the query failed or had no records. */
  values: string[];
  /** The resolver's error code when the query failed (ENOTFOUND, ENODATA, ETIMEOUT, …). */
  code?: string;
}

export interface MailauthResolverOptions {
  /** Called once per question, when its answer (or failure) is known. */
  onQuery?: (query: MailauthQuery) => void;
  /**
   * Upper bound on questions for one check, whatever mailauth does (hostile records cannot make it ask
   * forever; RFC 7208 §4.6.4 caps SPF at 10 lookups plus sub-lookups, far below this). Default 200.
   */
  maxQueries?: number;
}

export interface CountingMailauthResolver extends MailauthResolver {
  /** Every question asked so far, in order. */
  readonly queries: MailauthQuery[];
}

const SUPPORTED: readonly DnsRecordType[] = ['TXT', 'MX', 'A', 'AAAA', 'PTR', 'CNAME'];

function codedError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) return String((error as { code: unknown }).code);
  return undefined;
}

function toMailauth(answer: DnsAnswer<DnsRecordType>): { value: unknown[]; display: string[] } {
  switch (answer.type) {
    case 'TXT': {
      const records = answer.records as RecordOf['TXT'][];
      return { value: records.map((r) => [r.text]), display: records.map((r) => r.text) };
    }
    case 'MX': {
      const records = answer.records as RecordOf['MX'][];
      return {
        value: records.map((r) => ({ exchange: r.exchange, priority: r.priority })),
        display: records.map((r) => `${r.priority} ${r.exchange}`),
      };
    }
    case 'A':
    case 'AAAA': {
      const records = answer.records as RecordOf['A'][];
      const list = records.map((r) => r.address);
      return { value: list, display: list };
    }
    case 'PTR':
    case 'CNAME': {
      const records = answer.records as RecordOf['PTR'][];
      const list = records.map((r) => r.name);
      return { value: list, display: list };
    }
    default:
      return { value: [], display: [] };
  }
}

/** Builds the adapter. One instance per check, so its query list and cap cover that check only. */
export function createMailauthResolver(resolver: DnsResolver, options: MailauthResolverOptions = {}): CountingMailauthResolver {
  const queries: MailauthQuery[] = [];
  const maxQueries = options.maxQueries ?? 200;
  const record = (q: MailauthQuery): void => {
    queries.push(q);
    options.onQuery?.(q);
  };
  const ask = async (name: string, rrtype: string): Promise<unknown[]> => {
    const type = String(rrtype).toUpperCase() as DnsRecordType;
    const bare = String(name).replace(/\.$/, '');
    if (!SUPPORTED.includes(type)) throw codedError('ENOTIMP', `DNS ${String(rrtype)} ${bare}: MX Desk does not ask this record type`);
    if (queries.length >= maxQueries) throw codedError('ETOOMANY', `DNS ${type} ${bare}: more than ${maxQueries} questions in one check`);
    const t0 = performance.now();
    const ms = (): number => Math.round((performance.now() - t0) * 10) / 10;
    try {
      const answer = await resolver.query(bare, type);
      const { value, display } = toMailauth(answer as DnsAnswer<DnsRecordType>);
      const stat: DnsQueryStat = { type, name: bare, status: 'ok', ms: ms(), resolver: resolver.label };
      if (answer.ttl !== undefined) stat.ttl = answer.ttl;
      if (answer.viaTcp) stat.viaTcp = true;
      record({ stat, values: display });
      return value;
    } catch (error) {
      const code = errorCode(error) ?? 'EBADRESP';
      const stat: DnsQueryStat = { type, name: bare, status: dnsStatusOf(error), ms: ms(), resolver: resolver.label, detail: dnsErrorDetail(error) };
      record({ stat, values: [], code });
      throw codedError(code, dnsErrorDetail(error));
    }
  };
  return Object.assign(ask, { queries });
}
