/**
 * Before connecting under `tlsPolicy: 'mta'`: for one delivery group, ask TLSA (with its DNSSEC status) of
 * every host and, for MX delivery, the domain's MTA-STS record and policy, all at once; then decide per host
 * (shared/policy-send.ts). Every query is a `dns` event and every decision an `info` event with its RFC.
 */
import { isIP } from 'node:net';
import type { DnssecAnswer } from '../../../shared/dns-types';
import type { SessionEventBody } from '../../../shared/events';
import type { DnsQueryStat, SessionRequest } from '../../../shared/model';
import { tlsaOwnerName } from '../../../shared/dane';
import { parseStsRecord } from '../../../shared/mta-sts';
import { decideHostPolicy, describeHostPolicy, type HostTlsPolicy, type StsState } from '../../../shared/policy-send';
import type { DeliveryGroup } from '../delivery-plan';
import { createResolver, dnsStatusOf, type DnsResolver } from '../resolver';
import { fetchStsPolicy, type StsFetchOptions } from './mta-sts-fetch';
import { stsOptionsFromEnv } from './sts-env';

export interface SendPolicyDeps {
  resolver: DnsResolver;
  emit: (e: SessionEventBody) => void;
  /** MTA-STS fetch options (tests map the policy host to a loopback server and trust its CA). */
  sts?: StsFetchOptions;
  /** Bound for the policy fetch (RFC 8461 §3.3 leaves it to the sender). */
  fetchMs: number;
}

async function timed<T extends 'TLSA' | 'TXT'>(deps: SendPolicyDeps, name: string, type: T): Promise<DnssecAnswer<T>> {
  const t0 = performance.now();
  const a = await deps.resolver.dnssec(name, type);
  const query: DnsQueryStat = {
    type,
    name,
    status: a.answer ? 'ok' : dnsStatusOf(a.error),
    ms: Math.round((performance.now() - t0) * 10) / 10,
    resolver: deps.resolver.label,
    dnssec: a.status,
  };
  if (a.answer?.ttl !== undefined) query.ttl = a.answer.ttl;
  if (!a.answer) query.detail = a.reason;
  deps.emit({ kind: 'dns', query });
  return a;
}

/** RFC 8461 §3: the TXT record says a policy exists; the policy itself comes over HTTPS (§3.3). */
async function mtaStsState(deps: SendPolicyDeps, domain: string): Promise<StsState> {
  const host = `mta-sts.${domain}`;
  let sts: StsFetchOptions = { ...deps.sts, timeoutMs: deps.sts?.timeoutMs ?? deps.fetchMs };
  // The policy host is resolved through the session's resolver, never the system one, beside the TXT
  // question so that a policy costs no extra DNS round trip.
  const address = sts.connectTo?.[host] ? undefined : deps.resolver.resolve4(host).catch(() => []);
  const txt = await timed(deps, `_mta-sts.${domain}`, 'TXT');
  const record = parseStsRecord((txt.answer?.records ?? []).map((r) => r.text));
  if (!record.ok) return { kind: 'none', reason: record.error.message };
  if (address) {
    const v4 = await address;
    if (v4.length === 0) return { kind: 'none', reason: `MTA-STS: ${host} has no IPv4 address, so the policy cannot be fetched; without a cached policy the sender proceeds as if there were none (RFC 8461 §3.3, §5.1).` };
    sts = { ...sts, connectTo: { ...sts.connectTo, [host]: `${v4[0].address}:${sts.port ?? 443}` } };
  }
  const fetched = await fetchStsPolicy(domain, sts);
  if (!fetched.ok) return { kind: 'none', reason: `${fetched.error.message.replace(/\.$/, '')}; without a cached policy the sender proceeds as if there were none (RFC 8461 §5.1).` };
  return { kind: 'policy', policy: fetched.value.policy, url: fetched.value.url };
}

function describeSts(domain: string, s: StsState): SessionEventBody {
  if (s.kind === 'none') return { kind: 'info', level: 'info', text: `MTA-STS for ${domain}: no policy. ${s.reason}`, stage: 'dns' };
  const p = s.policy;
  return { kind: 'info', level: 'info', text: `MTA-STS for ${domain}: policy in ${p.mode} mode from ${s.url}, mx ${p.mx.join(', ') || '(none)'}, max_age ${p.maxAge} s (RFC 8461 §3.2).`, stage: 'dns' };
}

/**
 * Decides every host of the group; the map is keyed by host name. A host missing from it (an address
 * literal) gets opportunistic TLS: DANE and MTA-STS need a name.
 */
export async function prepareSendPolicy(group: DeliveryGroup, kind: 'mx' | 'host', deps: SendPolicyDeps): Promise<Map<string, HostTlsPolicy>> {
  const domain = group.label;
  const named = group.hosts.filter((h) => !isIP(h.name));
  const [sts, tlsas] = await Promise.all([
    kind === 'mx' && !isIP(domain.replace(/^\[|\]$/g, '')) ? mtaStsState(deps, domain) : Promise.resolve(undefined),
    Promise.all(named.map((h) => timed(deps, tlsaOwnerName(h.name, group.port), 'TLSA'))),
  ]);
  if (sts) deps.emit(describeSts(domain, sts));
  const out = new Map<string, HostTlsPolicy>();
  for (const [i, h] of named.entries()) {
    const a = tlsas[i];
    const view = group.mx?.hosts.find((v) => v.exchange === h.name);
    const mxStatus = kind === 'mx' ? (group.mx?.dnssec?.mx ?? 'unknown') : undefined;
    const d = decideHostPolicy({
      host: h.name,
      mxStatus,
      addressStatus: view?.addressDnssec,
      tlsa: { owner: tlsaOwnerName(h.name, group.port), status: a.status, records: a.answer?.records ?? [], errorCode: a.error?.code },
      sts,
    });
    for (const w of d.warnings) deps.emit({ kind: 'info', level: 'warn', text: w, stage: 'dns' });
    deps.emit({ kind: 'info', level: d.policy.kind === 'skip' ? 'warn' : 'info', text: describeHostPolicy(h.name, d.policy), stage: 'dns' });
    out.set(h.name, d.policy);
  }
  return out;
}

export interface GroupPolicyOptions {
  emit: (e: SessionEventBody) => void;
  createResolver?: (server: string | undefined, timeoutMs: number) => DnsResolver;
  defaultResolver?: string;
  dnsMs: number;
  fetchMs: number;
  sts?: StsFetchOptions;
  /** Cancel ends the wait at once (the resolver's queries are abandoned); the map is then empty. */
  signal?: AbortSignal;
}

/** The per-host policies of one group, through the session's resolver (the one the user chose). */
export async function groupPolicies(req: SessionRequest, group: DeliveryGroup, opts: GroupPolicyOptions): Promise<Map<string, HostTlsPolicy>> {
  if (req.certPolicy === 'override-once') {
    opts.emit({ kind: 'info', level: 'warn', text: 'The certificate override does not apply under the TLS policy: DANE and MTA-STS decide which certificates are accepted.', stage: 'tls' });
  }
  const server = req.resolver?.trim() || opts.defaultResolver?.trim() || undefined;
  const resolver = (opts.createResolver ?? createResolver)(server, opts.dnsMs);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<Map<string, HostTlsPolicy>>((resolve) => {
    onAbort = () => resolve(new Map());
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    // The same MXDESK_MTA_STS_PORT / _CA_FILE as `mxdesk check` when the caller gives nothing (sts-env.ts).
    const emit = (e: SessionEventBody): void => {
      if (!opts.signal?.aborted) opts.emit(e);
    };
    return await Promise.race([prepareSendPolicy(group, req.target.kind, { resolver, emit, sts: opts.sts ?? stsOptionsFromEnv(), fetchMs: opts.fetchMs }), aborted]);
  } finally {
    if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
    resolver.cancel();
  }
}
