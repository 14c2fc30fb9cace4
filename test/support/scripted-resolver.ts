import type { DnsAnswer, DnsRecordType, RecordOf } from '../../shared/dns-types';
import type { DnsResolver } from '../../electron/engine/resolver';
import { DnsError } from '../../electron/engine/dns/dns-error';
import { dnssecOf } from '../../electron/engine/dns/dnssec-status';

/**
 * A resolver that answers from a script, for cases no zone file produces on demand. Keys are `'TYPE name'`
 * (`'MX big.test'`, `'A mx.big.test'`); each step returns the records or rejects with a coded error.
 * Unscripted questions get ENODATA. Answers carry no AD bit and the resolver does not validate, unless
 * `opts.secure` lists keys whose answers are validated.
 */
export type ResolverScript = Partial<Record<string, () => Promise<unknown>>>;

export function scriptedResolver(script: ResolverScript, opts: { label?: string; secure?: string[]; validates?: boolean } = {}): DnsResolver {
  const query = async <T extends DnsRecordType>(name: string, type: T): Promise<DnsAnswer<T>> => {
    const key = `${type} ${name}`;
    const step = script[key];
    if (!step) throw new DnsError('ENODATA', `ENODATA ${key}`, false);
    const records = (await step()) as RecordOf[T][];
    const ttls = records.map((r) => r.ttl ?? 0);
    return { name, type, records, ttl: ttls.length ? Math.min(...ttls) : undefined, authenticated: opts.secure?.includes(key) ?? false, cnames: [], ms: 0, viaTcp: false };
  };
  const validates = async () => opts.validates ?? (opts.secure?.length ?? 0) > 0;
  const records = <T extends DnsRecordType>(type: T) => async (name: string) => (await query(name, type)).records;
  return {
    label: opts.label ?? 'scripted',
    cancel: () => undefined,
    query,
    dnssec: (name, type) => dnssecOf(name, type, { ask: () => query(name, type), validates }),
    validates,
    resolveMx: async (n) => (await records('MX')(n)).map((r) => ({ exchange: r.exchange, priority: r.priority, ttl: r.ttl ?? 0 })),
    resolve4: async (n) => (await records('A')(n)).map((r) => ({ address: r.address, ttl: r.ttl })),
    resolve6: async (n) => (await records('AAAA')(n)).map((r) => ({ address: r.address, ttl: r.ttl })),
  };
}
