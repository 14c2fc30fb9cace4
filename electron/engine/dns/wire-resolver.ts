// The resolver MX Desk uses: DNS messages built and read by dns-packet, sent over UDP with a retry, and
// again over TCP when the answer comes back truncated. One instance per lookup; cancel() ends it.
import { randomInt } from 'node:crypto';
import type { DnsAnswer, DnsRecordType, DnssecAnswer } from '../../../shared/dns-types';
import { parseResolverSpec } from '../../../shared/mx';
import type { DnsResolver } from '../resolver';
import { DnsError, isDnsError } from './dns-error';
import { dnssecOf } from './dnssec-status';
import { answerOf, checkQueryName, decodeResponse, encodeQuery, isTruncated, matchesQuery, type QuerySpec } from './message';
import { serverLabel, systemServers } from './system-servers';
import { tcpExchange, udpExchange, type Exchange, type ServerAddress } from './transport';

export interface WireResolverOptions {
  /** Overrides /etc/resolv.conf when no server is named (tests). */
  systemServers?: ServerAddress[];
  /**
   * The name whose DNSKEY tells whether the resolver validates: the root by default, since every validating
   * resolver holds the root's trust anchor (RFC 4033 §5) and sets AD on it.
   */
  validationProbe?: string;
}

function now(): number {
  return performance.now();
}

export function createWireResolver(server: string | undefined, timeoutMs: number, opts: WireResolverOptions = {}): DnsResolver {
  let servers: ServerAddress[];
  let label: string;
  if (server !== undefined && server.trim() !== '') {
    const spec = parseResolverSpec(server);
    if (!spec.ok) throw new Error(spec.error.message);
    servers = [{ host: spec.value.host, port: spec.value.port, family: spec.value.family }];
    label = spec.value.server;
  } else {
    servers = opts.systemServers ?? systemServers();
    label = `system (${servers.map(serverLabel).join(', ')})`;
  }
  const budget = Math.max(1, timeoutMs);
  const inflight = new Set<Exchange>();
  let epoch = 0;

  async function run(ex: Exchange, started: number): Promise<Buffer> {
    inflight.add(ex);
    let message: Buffer;
    try {
      message = await ex.promise;
    } finally {
      inflight.delete(ex);
    }
    if (epoch !== started) throw new DnsError('ECANCELLED', 'the lookup was cancelled');
    return message;
  }

  /** One question, two UDP tries within one absolute deadline (a third of it, then the rest), TCP on TC. */
  async function exchange(spec: Omit<QuerySpec, 'id'>): Promise<{ buf: Buffer; viaTcp: boolean }> {
    const what = `${spec.type} ${spec.name === '' ? '.' : spec.name}`;
    const started = epoch;
    const deadline = now() + budget;
    const firstTry = Math.max(1, Math.floor(budget / 3));
    for (let attempt = 0; attempt < 2; attempt++) {
      const remaining = Math.floor(deadline - now());
      if (remaining <= 0) break;
      const target = servers[attempt % servers.length];
      const q: QuerySpec = { ...spec, id: randomInt(0x10000) };
      const payload = encodeQuery(q);
      const accept = (m: Buffer) => matchesQuery(m, q);
      let buf: Buffer;
      try {
        buf = await run(udpExchange(target, payload, accept, attempt === 0 ? Math.min(firstTry, remaining) : remaining, what), started);
      } catch (error) {
        const retryable = isDnsError(error) && (error.code === 'ETIMEOUT' || (error.code === 'ECONNREFUSED' && servers.length > 1));
        if (retryable && attempt === 0) continue;
        if (isDnsError(error) && error.code === 'ETIMEOUT') break;
        throw error;
      }
      if (!isTruncated(buf)) return { buf, viaTcp: false };
      // RFC 7766 §5: a truncated UDP answer is asked again over TCP, within what is left of the deadline.
      const left = Math.floor(deadline - now());
      if (left <= 0) break;
      return { buf: await run(tcpExchange(target, payload, accept, left, what), started), viaTcp: true };
    }
    throw new DnsError('ETIMEOUT', `${what}: no answer within ${budget} ms`);
  }

  async function ask<T extends DnsRecordType>(name: string, type: T, cd: boolean): Promise<DnsAnswer<T>> {
    checkQueryName(name);
    const t0 = now();
    const { buf, viaTcp } = await exchange({ name, type, cd });
    const ms = Math.round((now() - t0) * 10) / 10;
    return answerOf(decodeResponse(buf, `${type} ${name}`), name, type, { ms, viaTcp });
  }

  let probe: Promise<boolean> | undefined;
  function validates(): Promise<boolean> {
    probe ??= (async () => {
      try {
        const name = opts.validationProbe ?? '';
        const { buf } = await exchange({ name, type: 'DNSKEY' });
        const d = decodeResponse(buf, `DNSKEY ${name || '.'}`);
        return d.rcode === 0 && d.packet.flag_ad && (d.packet.answers ?? []).some((a) => a.type === 'DNSKEY');
      } catch {
        return false;
      }
    })();
    return probe;
  }

  return {
    label,
    query: (name, type) => ask(name, type, false),
    dnssec: <T extends DnsRecordType>(name: string, type: T): Promise<DnssecAnswer<T>> =>
      dnssecOf(name, type, { ask: (cd) => ask(name, type, cd), validates }),
    validates,
    resolveMx: async (name) => (await ask(name, 'MX', false)).records.map((r) => ({ exchange: r.exchange, priority: r.priority, ttl: r.ttl ?? 0 })),
    resolve4: async (name) => (await ask(name, 'A', false)).records.map((r) => ({ address: r.address, ttl: r.ttl })),
    resolve6: async (name) => (await ask(name, 'AAAA', false)).records.map((r) => ({ address: r.address, ttl: r.ttl })),
    cancel: () => {
      epoch++;
      for (const ex of [...inflight]) ex.cancel();
      inflight.clear();
    },
  };
}
