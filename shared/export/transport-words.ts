/**
 * The transport and TLS options of a send (-4/-6, local address, UNIX socket, proxies, PROXY header, TLS name,
 * CA, client certificate, versions, ciphers) spelled for swaks, curl and openssl s_client. Every flag here was
 * checked in `swaks --help` (20201014), `curl --help all` (7.88) and `openssl s_client -help` (3.0); what a
 * tool cannot express becomes a comment line in the recipe instead of an invented flag.
 */
import type { SessionEvent } from '../events';
import { isIpLiteral } from '../ip-address';
import type { TlsClientOptions, TlsVersionName, TransportOptions } from '../model';
import { parseProxyUrl } from '../validate/transport';
import { shq } from './shell-quote';

export interface ProxyEnd {
  address: string;
  port: number;
}

/** What the transport exports need of a send: the options, and the PROXY header's ends as really sent. */
export interface TransportSpec {
  transport?: TransportOptions;
  tlsOptions?: TlsClientOptions;
  proxyEnds?: { src: ProxyEnd; dst: ProxyEnd };
}

export interface ToolWords {
  words: string[][];
  notes: string[];
}

const VERSIONS: TlsVersionName[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

function splitEnd(text: string): ProxyEnd | undefined {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  return m ? { address: m[1], port: Number(m[2]) } : undefined;
}

/** The ends the engine announced ("PROXY v2 header sent, 28 bytes, announcing A:P → B:Q."), from the events. */
export function announcedProxyEnds(events: SessionEvent[]): TransportSpec['proxyEnds'] {
  for (const e of events) {
    const m = e.kind === 'info' ? /^PROXY v[12] header sent, \d+ bytes, announcing (\S+) → (\S+?)(?: \(|\.$)/.exec(e.text) : null;
    const src = m ? splitEnd(m[1]) : undefined;
    const dst = m ? splitEnd(m[2]) : undefined;
    if (src && dst) return { src, dst };
  }
  return undefined;
}

/** One definition of "an IP literal" for the recipes and the transcript (shared/ip-address.ts). */
export { isIpLiteral };

function isV6(address: string): boolean {
  return address.includes(':');
}

/** TLS 1.3 suites (TLS_…) apart from the TLS 1.2-and-below cipher list: the tools take them separately. */
function splitCiphers(list: string | undefined): { tls12?: string; tls13?: string } {
  if (!list) return {};
  const parts = list.split(':').filter(Boolean);
  const tls13 = parts.filter((p) => /^TLS_/.test(p));
  const tls12 = parts.filter((p) => !/^TLS_/.test(p));
  return { tls12: tls12.length ? tls12.join(':') : undefined, tls13: tls13.length ? tls13.join(':') : undefined };
}

/** The versions allowed by min/max, for swaks' --tls-protocol list ("tlsv1_2,tlsv1_3"). */
function versionList(t: TlsClientOptions): string | undefined {
  if (!t.minVersion && !t.maxVersion) return undefined;
  const lo = VERSIONS.indexOf(t.minVersion ?? 'TLSv1');
  const hi = VERSIONS.indexOf(t.maxVersion ?? 'TLSv1.3');
  return VERSIONS.slice(lo, hi + 1)
    .map((v) => v.toLowerCase().replace('.', '_'))
    .join(',');
}

function hostPort(host: string, port: number): string {
  return isV6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

/** swaks: -4/-6, --local-interface/--local-port, --proxy-* (HAProxy), --tls-ca-path/-cert/-key/-protocol/-cipher (--tls-sni is in swaks.ts). */
export function swaksTransport(s: TransportSpec & { verify?: boolean }, host: string | null, tlsOn: boolean): ToolWords {
  const t = s.transport ?? {};
  const words: string[][] = [];
  const notes: string[] = [];
  if (t.family) words.push([`-${t.family}`]);
  if (t.localAddress) words.push(['--local-interface', shq(t.localAddress)]);
  if (t.localPort) words.push(['--local-port', String(t.localPort)]);
  if (t.proxy) notes.push(`# swaks cannot go through a SOCKS5 or HTTP CONNECT proxy (${shq(t.proxy)}); the curl export can.`);
  if (t.proxyProtocol) {
    const e = s.proxyEnds;
    const v = t.proxyProtocol === 'v2' ? '2' : '1';
    if (e) {
      const six = isV6(e.src.address);
      // swaks: v1 takes TCP4/TCP6, v2 the address family name (AF_INET/AF_INET6).
      const family = v === '1' ? (six ? 'TCP6' : 'TCP4') : six ? 'AF_INET6' : 'AF_INET';
      words.push(['--proxy-version', v], ['--proxy-family', family], ['--proxy-source', shq(e.src.address)], ['--proxy-source-port', String(e.src.port)]);
      words.push(['--proxy-dest', shq(e.dst.address)], ['--proxy-dest-port', String(e.dst.port)]);
    } else notes.push(`# swaks needs the PROXY header's addresses (--proxy-source, --proxy-dest and their ports); this session announced none.`);
  }
  const o = s.tlsOptions;
  if (tlsOn && o) {
    if (o.caFile) words.push(['--tls-ca-path', shq(o.caFile)]);
    if (o.certFile) words.push(['--tls-cert', shq(o.certFile)]);
    if (o.keyFile) words.push(['--tls-key', shq(o.keyFile)]);
    const versions = versionList(o);
    if (versions) words.push(['--tls-protocol', versions]);
    const c = splitCiphers(o.ciphers);
    if (c.tls12) words.push(['--tls-cipher', shq(c.tls12)]);
    if (c.tls13) notes.push(`# swaks --tls-cipher takes no TLS 1.3 suites (${shq(c.tls13)} not expressed).`);
  }
  if (tlsOn && !o?.name && host && isIpLiteral(host)) notes.push('# Connecting by IP address: no SNI is sent (RFC 6066 §3).');
  const name = o?.name ?? host;
  if (tlsOn && s.verify && name) notes.push(`# swaks --tls-verify checks the certificate chain but not the name in it (tried with swaks 20201014); MX Desk verified against ${shq(name)}.`);
  return { words, notes };
}

/** curl: -4/-6, --interface/--local-port, --unix-socket, --socks5(-hostname)/--proxy --proxytunnel, --haproxy-protocol, TLS. */
export function curlTransport(s: TransportSpec, tlsOn: boolean): ToolWords {
  const t = s.transport ?? {};
  const words: string[][] = [];
  const notes: string[] = [];
  if (t.family) words.push([`-${t.family}`]);
  if (t.localAddress) words.push(['--interface', shq(t.localAddress)]);
  if (t.localPort) words.push(['--local-port', String(t.localPort)]);
  if (t.socketPath) words.push(['--unix-socket', shq(t.socketPath)]);
  const p = t.proxy ? parseProxyUrl(t.proxy) : undefined;
  if (p?.ok) {
    const hp = hostPort(p.value.host, p.value.port);
    if (p.value.scheme === 'http') words.push(['--proxy', shq(`http://${hp}`)], ['--proxytunnel']);
    else if (p.value.user) words.push(['--proxy', shq(`${p.value.scheme}://${encodeURIComponent(p.value.user)}@${hp}`)]);
    else words.push([p.value.scheme === 'socks5h' ? '--socks5-hostname' : '--socks5', shq(hp)]);
  }
  if (t.proxyProtocol === 'v1') words.push(['--haproxy-protocol']);
  if (t.proxyProtocol === 'v2') notes.push('# curl sends only the PROXY v1 header (--haproxy-protocol): the v2 header is not expressed.');
  if (t.proxyProtocol && t.proxySource) notes.push(`# This curl announces the real connection in the PROXY header; it cannot announce ${shq(hostPort(t.proxySource.address, t.proxySource.port))}.`);
  const o = s.tlsOptions;
  if (tlsOn && o) {
    if (o.caFile) words.push(['--cacert', shq(o.caFile)]);
    if (o.certFile) words.push(['--cert', shq(o.certFile)]);
    if (o.keyFile) words.push(['--key', shq(o.keyFile)]);
    if (o.minVersion) words.push([`--tlsv${o.minVersion === 'TLSv1' ? '1.0' : o.minVersion.slice(4)}`]);
    if (o.maxVersion) words.push(['--tls-max', o.maxVersion === 'TLSv1' ? '1.0' : o.maxVersion.slice(4)]);
    const c = splitCiphers(o.ciphers);
    if (c.tls12) words.push(['--ciphers', shq(c.tls12)]);
    if (c.tls13) words.push(['--tls13-ciphers', shq(c.tls13)]);
  }
  return { words, notes };
}

/**
 * curl takes the SNI and the verification name from the URL's host: with --tls-name the URL names it and
 * --connect-to sends the connection to the real host.
 */
export function curlTlsName(s: TransportSpec, host: string, port: number, tlsOn: boolean): { urlHost: string; words: string[][] } {
  const name = tlsOn ? s.tlsOptions?.name : undefined;
  if (!name || name === host) return { urlHost: host, words: [] };
  const bare = (h: string): string => (isV6(h) ? `[${h}]` : h);
  return { urlHost: name, words: [['--connect-to', shq(`${bare(name)}:${port}:${bare(host)}:${port}`)]] };
}

/** openssl s_client: -4/-6, -bind, -unix (instead of -connect), -proxy (HTTP CONNECT), TLS options. */
export function opensslTransport(s: TransportSpec, host: string): ToolWords & { connect?: string[]; servername: string[] } {
  const t = s.transport ?? {};
  const words: string[][] = [];
  const notes: string[] = [];
  if (t.family) words.push([`-${t.family}`]);
  // -bind HOST:PORT (0 = any port; no address = any address of the forced family).
  if (t.localAddress || t.localPort) words.push(['-bind', shq(hostPort(t.localAddress ?? (t.family === 6 ? '::' : '0.0.0.0'), t.localPort ?? 0))]);
  const p = t.proxy ? parseProxyUrl(t.proxy) : undefined;
  if (p?.ok && p.value.scheme === 'http') words.push(['-proxy', shq(hostPort(p.value.host, p.value.port))]);
  else if (p?.ok) notes.push(`# openssl s_client cannot go through a SOCKS5 proxy (${shq(t.proxy ?? '')}); the curl export can.`);
  if (t.proxyProtocol) notes.push('# openssl s_client cannot send a PROXY protocol header; swaks --proxy-version can.');
  const o = s.tlsOptions;
  const name = o?.name ?? host;
  // RFC 6066 §3: an IP address is never sent as SNI; it is verified as an IP address.
  const servername = isIpLiteral(name) ? ['-noservername'] : ['-servername', shq(name)];
  if (o?.caFile) words.push(['-CAfile', shq(o.caFile)]);
  if (o?.certFile) words.push(['-cert', shq(o.certFile)]);
  if (o?.keyFile) words.push(['-key', shq(o.keyFile)]);
  if (o?.minVersion) words.push(['-min_protocol', o.minVersion]);
  if (o?.maxVersion) words.push(['-max_protocol', o.maxVersion]);
  const c = splitCiphers(o?.ciphers);
  if (c.tls12) words.push(['-cipher', shq(c.tls12)]);
  if (c.tls13) words.push(['-ciphersuites', shq(c.tls13)]);
  return { words, notes, servername, ...(t.socketPath ? { connect: ['-unix', shq(t.socketPath)] } : {}) };
}

/** The verification flags for s_client: -verify_hostname NAME, or -verify_ip for an IP literal. */
export function opensslVerifyName(s: TransportSpec, host: string): string[] {
  const name = s.tlsOptions?.name ?? host;
  return isIpLiteral(name) ? ['-verify_ip', shq(name)] : ['-verify_hostname', shq(name)];
}

/** The recipe's comment lines for every spec, each said once. */
export function uniqueNotes(lists: string[][]): string[] {
  return [...new Set(lists.flat())];
}

/** nc has no portable spelling for these options: the recipe says so instead of guessing flags. */
export function ncTransportNotes(s: TransportSpec): string[] {
  const t = s.transport ?? {};
  const asked = [t.family ? `-${t.family}` : '', t.localAddress || t.localPort ? 'a local address or port' : '', t.socketPath ? `the UNIX socket ${shq(t.socketPath)}` : '', t.proxy ? 'a proxy' : '', t.proxyProtocol ? 'a PROXY header' : ''].filter(Boolean);
  return asked.length ? [`# This send used ${asked.join(', ')}: netcat's options for them differ between versions, so they are not written here; the swaks and curl exports carry them.`] : [];
}
