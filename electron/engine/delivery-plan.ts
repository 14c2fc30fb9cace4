// Where to connect: the host the user named, or the MX hosts of each recipient domain (RFC 5321 §5.1).
// Recipients are grouped per domain, one transaction each. Null MX (RFC 7505) and DNS failures end a group
// before any connection; implicit MX comes from lookupMx.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { SessionEventBody } from '../../shared/events';
import type { DnsQueryStat, MxReport, SessionRequest } from '../../shared/model';
import type { Mailbox } from '../../shared/validate/address';
import type { ConnectAddress } from './connector';
import { lookupMx, type MxLookupDeps } from './mx-lookup';
import { createNodeResolver, type DnsResolver } from './resolver';

export interface DeliveryHost {
  name: string;
  addresses: ConnectAddress[];
}

export interface DeliveryGroup {
  /** The recipient domain (MX targets) or `host:port`. */
  label: string;
  /** Recipients in wire form. */
  rcpts: string[];
  hosts: DeliveryHost[];
  port: number;
  /** Set when DNS already decided: nothing to connect to. */
  failure?: { reason: string; permanent: boolean };
  /** The MX lookup behind an MX group (DNSSEC of the MX set and of each host's addresses, for tlsPolicy). */
  mx?: MxReport;
}

export interface PlanDeps {
  emit: (e: SessionEventBody) => void;
  signal: AbortSignal;
  createResolver?: MxLookupDeps['createResolver'];
  defaultResolver?: string;
  random: () => number;
  dnsMs: number;
  /** Host-name lookup for `host` targets when no resolver is named (getaddrinfo: /etc/hosts included). */
  lookupHost?: (name: string) => Promise<ConnectAddress[]>;
}

async function systemLookup(name: string): Promise<ConnectAddress[]> {
  const all = await dnsLookup(name, { all: true, verbatim: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

function moveFirst<T>(list: T[], pick: (t: T) => boolean): T[] {
  const i = list.findIndex(pick);
  if (i <= 0) return list;
  return [list[i], ...list.slice(0, i), ...list.slice(i + 1)];
}

async function planHost(req: SessionRequest & { target: { kind: 'host' } }, rcpts: string[], deps: PlanDeps): Promise<DeliveryGroup> {
  const { host, port } = req.target;
  const label = `${host}:${port}`;
  const bare = host.replace(/^\[(?:IPv6:)?|\]$/gi, '');
  const family = isIP(bare);
  if (family) return { label, rcpts, port, hosts: [{ name: bare, addresses: [{ address: bare, family: family === 6 ? 6 : 4 }] }] };
  // A UNIX socket needs no address; socks5h:// and http:// proxies resolve the name themselves.
  if (req.transport?.socketPath || (req.transport?.proxy && /^(socks5h|http):/i.test(req.transport.proxy))) {
    return { label, rcpts, port, hosts: [{ name: host, addresses: [{ address: host, family: req.transport.family ?? 4 }] }] };
  }
  const server = req.resolver?.trim() || deps.defaultResolver?.trim();
  const t0 = performance.now();
  const stat = (type: DnsQueryStat['type'], status: DnsQueryStat['status'], resolver: string, detail?: string): void =>
    deps.emit({ kind: 'dns', query: { type, name: host, status, ms: Math.round((performance.now() - t0) * 10) / 10, resolver, detail } });
  try {
    let addresses: ConnectAddress[];
    if (server) {
      const r: DnsResolver = (deps.createResolver ?? createNodeResolver)(server, deps.dnsMs);
      const [a, aaaa] = await Promise.allSettled([r.resolve4(host), r.resolve6(host)]);
      addresses = [
        ...(a.status === 'fulfilled' ? a.value.map((x) => ({ address: x.address, family: 4 as const })) : []),
        ...(aaaa.status === 'fulfilled' ? aaaa.value.map((x) => ({ address: x.address, family: 6 as const })) : []),
      ];
      stat('A', a.status === 'fulfilled' ? 'ok' : 'error', r.label);
      stat('AAAA', aaaa.status === 'fulfilled' ? 'ok' : 'error', r.label);
    } else {
      addresses = await (deps.lookupHost ?? systemLookup)(host);
      stat('A', 'ok', 'system (getaddrinfo)');
    }
    if (addresses.length === 0) return { label, rcpts, port, hosts: [], failure: { reason: `The host ${host} has no address.`, permanent: true } };
    return { label, rcpts, port, hosts: [{ name: host, addresses }] };
  } catch (e) {
    stat('A', 'error', 'system (getaddrinfo)', (e as Error).message);
    return { label, rcpts, port, hosts: [], failure: { reason: `The host ${host} could not be resolved: ${(e as Error).message}`, permanent: false } };
  }
}

async function planDomain(req: SessionRequest, domain: string, rcpts: string[], deps: PlanDeps): Promise<DeliveryGroup> {
  const port = req.port ?? 25;
  const literal = /^\[(?:IPv6:)?([^\]]+)\]$/i.exec(domain);
  if (literal && isIP(literal[1])) {
    // RFC 5321 §5.1: an address literal names the host directly; no MX lookup.
    return { label: domain, rcpts, port, hosts: [{ name: literal[1], addresses: [{ address: literal[1], family: isIP(literal[1]) === 6 ? 6 : 4 }] }] };
  }
  const report = await lookupMx(
    { query: domain, resolver: req.resolver, timeoutMs: deps.dnsMs },
    { createResolver: deps.createResolver, signal: deps.signal, random: deps.random, defaultResolver: deps.defaultResolver, onQuery: (q) => deps.emit({ kind: 'dns', query: q }) },
  );
  if (!report.ok) return { label: domain, rcpts, port, hosts: [], failure: { reason: report.error.message, permanent: true } };
  const r = report.value;
  deps.emit({ kind: 'mx_plan', domain, report: r });
  switch (r.verdict) {
    case 'null_mx':
      return { label: domain, rcpts, port, hosts: [], failure: { reason: `${domain} accepts no mail (null MX, RFC 7505); no connection was made.`, permanent: true } };
    case 'nxdomain':
    case 'no_mail_host':
      return { label: domain, rcpts, port, hosts: [], failure: { reason: r.summary, permanent: true } };
    case 'dns_failure':
    case 'cancelled':
      return { label: domain, rcpts, port, hosts: [], failure: { reason: r.summary, permanent: false } };
    default:
      break;
  }
  let hosts: DeliveryHost[] = r.hosts.map((h) => ({ name: h.exchange, addresses: h.addresses.map((a) => ({ address: a.address, family: a.family })) }));
  const t = req.target.kind === 'mx' ? req.target : undefined;
  if (t?.preferHost) {
    const want = t.preferHost.toLowerCase().replace(/\.$/, '');
    hosts = moveFirst(hosts, (h) => h.name === want);
  }
  if (t?.preferAddress) {
    const want = t.preferAddress;
    const owner = hosts.find((h) => h.addresses.some((a) => a.address === want));
    if (owner) {
      owner.addresses = moveFirst(owner.addresses, (a) => a.address === want);
      hosts = moveFirst(hosts, (h) => h === owner);
    }
  }
  return { label: domain, rcpts, port, hosts, mx: r };
}

/** One group per recipient domain (MX targets), or one group with every recipient (host target). */
export async function planDelivery(req: SessionRequest, rcpts: { wire: string; mailbox: Mailbox }[], deps: PlanDeps): Promise<DeliveryGroup[]> {
  if (req.target.kind === 'host') return [await planHost(req as SessionRequest & { target: { kind: 'host' } }, rcpts.map((r) => r.wire), deps)];
  const byDomain = new Map<string, string[]>();
  for (const r of rcpts) {
    const d = r.mailbox.domainAscii.toLowerCase();
    byDomain.set(d, [...(byDomain.get(d) ?? []), r.wire]);
  }
  const groups: DeliveryGroup[] = [];
  for (const [domain, list] of byDomain) groups.push(await planDomain(req, domain, list, deps));
  return groups;
}
