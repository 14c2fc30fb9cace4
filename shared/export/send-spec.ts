import type { SessionEvent } from '../events';
import type { ProtocolOptions, SessionRequest, Stage, TlsMode } from '../model';
import { announcedProxyEnds, type TransportSpec } from './transport-words';

/**
 * What the command-line exports reproduce: one transaction per target host. Built from the stored request
 * (which never holds a password) and from the events, which say what really happened: the envelope that
 * was sent, the MX host that answered, the HELO name and the AUTH mechanism used.
 */
/** TransportSpec: -4/-6, local address, socket, proxies, PROXY header and TLS options (transport-words.ts). */
export interface SendSpec extends TransportSpec {
  /** Host name to connect to; null for "the MX of `domain`", when no host answered in the session. */
  host: string | null;
  domain: string;
  port: number;
  tls: TlsMode;
  /** Verify the certificate (false when the user overrode it for that run). */
  verify: boolean;
  heloName?: string;
  mailFrom: string;
  rcptTo: string[];
  authUser?: string;
  authMechanism?: string;
  pipelining: boolean;
  chunking: boolean;
  quitAfter?: Stage;
  /** LMTP, DSN, REQUIRETLS, XCLIENT as asked (protocol-flags.ts says what each tool can do with them). */
  protocol?: ProtocolOptions;
}

function domainOf(addr: string): string {
  const at = addr.lastIndexOf('@');
  return at >= 0 ? addr.slice(at + 1).replace(/>$/, '').toLowerCase() : '';
}

function groupByDomain(rcpts: string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const r of rcpts) {
    const d = domainOf(r);
    groups.set(d, [...(groups.get(d) ?? []), r]);
  }
  return groups;
}

/** The first host that accepted a connection, per MX domain (mx_plan events announce the domain). */
function connectedHosts(events: SessionEvent[]): { perDomain: Map<string, string>; first?: string } {
  const perDomain = new Map<string, string>();
  let domain = '';
  let first: string | undefined;
  for (const e of events) {
    if (e.kind === 'mx_plan') domain = e.domain.toLowerCase();
    if (e.kind === 'connect_result' && e.ok) {
      first ??= e.host;
      if (!perDomain.has(domain)) perDomain.set(domain, e.host);
    }
  }
  return { perDomain, first };
}

function usedHelo(events: SessionEvent[]): string | undefined {
  for (const e of events) {
    const m = e.kind === 'command' ? /^(?:EHLO|HELO)\s+(\S+)/i.exec(e.text) : null;
    if (m) return m[1];
  }
  return undefined;
}

function usedMechanism(events: SessionEvent[]): string | undefined {
  for (const e of events) {
    const m = e.kind === 'command' ? /^AUTH\s+([A-Z0-9-]+)/i.exec(e.text) : null;
    if (m) return m[1].toUpperCase();
  }
  return undefined;
}

export function sendSpecs(req: SessionRequest, events: SessionEvent[]): SendSpec[] {
  const start = events.find((e) => e.kind === 'session_start');
  const envelope = start?.kind === 'session_start' ? start.envelope : { mailFrom: req.draft.mailFrom, rcptTo: req.draft.rcptTo };
  const mech = req.auth ? (req.auth.mechanism !== 'auto' ? req.auth.mechanism : (usedMechanism(events) ?? 'auto')) : undefined;
  const common = {
    tls: req.tls,
    verify: req.certPolicy === 'verify',
    heloName: req.heloName || usedHelo(events),
    mailFrom: envelope.mailFrom,
    authUser: req.auth?.user || undefined,
    authMechanism: req.auth ? mech : undefined,
    pipelining: req.pipelining,
    chunking: req.chunking,
    quitAfter: req.quitAfter,
    protocol: req.protocol,
    transport: req.transport,
    tlsOptions: req.tlsOptions,
    proxyEnds: announcedProxyEnds(events),
  };
  if (req.target.kind === 'host') {
    return [{ ...common, host: req.target.host, domain: domainOf(envelope.rcptTo[0] ?? ''), port: req.target.port, rcptTo: envelope.rcptTo }];
  }
  // RFC 5321 §5.1: recipients are delivered per domain, one transaction to each domain's MX.
  const hosts = connectedHosts(events);
  const groups = groupByDomain(envelope.rcptTo);
  return [...groups].map(([domain, rcptTo]) => ({
    ...common,
    host: hosts.perDomain.get(domain) ?? (groups.size === 1 ? (hosts.first ?? null) : null),
    domain,
    port: req.port ?? 25,
    rcptTo,
  }));
}
