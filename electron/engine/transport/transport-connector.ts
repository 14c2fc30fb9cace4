// Wraps the Happy Eyeballs connector with the transport options: -4/-6, a local address and port, a UNIX
// socket, a SOCKS5 or HTTP CONNECT proxy, and the PROXY protocol header sent first. Each choice is said in
// the session log ("via SOCKS5 proxy 127.0.0.1:1080", "bound to 127.0.0.2:40000", "PROXY v2 header sent").
import { isIP, type Socket } from 'node:net';
import type { TransportOptions } from '../../../shared/model';
import { parseProxyUrl, type ParsedProxy } from '../../../shared/validate/transport';
import type { ConnectAddress, ConnectFailure, ConnectRequest, ConnectResult, Connector } from '../connector';
import { httpConnectTunnel } from './http-connect';
import { proxyHeader, sameFamily, type ProxyEndpoint } from './proxy-header';
import { socks5Tunnel, type TunnelResult } from './socks5';
import { openSocket } from './tcp-open';

function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** True when the proxy, not this machine, resolves the target's name (socks5h://, http:// CONNECT). */
export function proxyResolvesNames(t: TransportOptions | undefined): boolean {
  return t?.proxy !== undefined && /^(socks5h|http):/i.test(t.proxy);
}

function proxyLabel(p: ParsedProxy): string {
  const kind = p.scheme === 'http' ? 'HTTP CONNECT proxy' : p.scheme === 'socks5h' ? 'SOCKS5 proxy (names resolved by the proxy)' : 'SOCKS5 proxy';
  return `${kind} ${hostPort(p.host, p.port)}`;
}

export function createTransportConnector(base: Connector, t: TransportOptions | undefined): Connector {
  if (!t) return base;
  return { connect: (req) => connectWith(base, t, req) };
}

async function connectWith(base: Connector, t: TransportOptions, req: ConnectRequest): Promise<ConnectResult> {
  const info = (text: string): void => req.onEvent?.({ kind: 'info', level: 'info', text, stage: 'connect' });
  let result: ConnectResult;
  if (t.socketPath) result = await connectUnix(t.socketPath, req);
  else if (t.proxy) result = await connectProxy(t, req, info);
  else result = await connectDirect(base, t, req, info);
  if (!result.ok || !t.proxyProtocol) return result;
  return sendProxyHeader(t, req, result, info);
}

async function connectDirect(base: Connector, t: TransportOptions, req: ConnectRequest, info: (s: string) => void): Promise<ConnectResult> {
  // A bound local address decides the family too: an IPv4 source cannot reach an IPv6 destination.
  const family = t.family ?? (t.localAddress ? (isIP(t.localAddress) as 4 | 6) : undefined);
  const addresses = family ? req.addresses.filter((a) => a.family === family) : req.addresses;
  if (family && addresses.length === 0) {
    const error = `${req.host} has no IPv${family} address (${t.family ? `-${family} was asked` : `the local address ${t.localAddress} is IPv${family}`}).`;
    req.onEvent?.({ kind: 'info', level: 'error', text: error, stage: 'connect' });
    return { ok: false, cancelled: false, failures: [{ address: req.host, family, error, code: 'ENOFAMILY' }] };
  }
  if (t.family) info(`Forced to IPv${t.family}: ${addresses.length} of ${req.addresses.length} addresses of ${req.host} are tried.`);
  const r = await base.connect({ ...req, addresses, localAddress: t.localAddress, localPort: t.localPort });
  if (r.ok && (t.localAddress || t.localPort)) info(`Bound to ${hostPort(r.connection.socket.localAddress ?? '?', r.connection.socket.localPort ?? 0)} (asked: ${t.localAddress ?? 'any address'}${t.localPort ? `, port ${t.localPort}` : ''}).`);
  return r;
}

async function connectUnix(path: string, req: ConnectRequest): Promise<ConnectResult> {
  const address = `unix:${path}`;
  const started = (req.now ?? (() => performance.now()))();
  req.onEvent?.({ kind: 'connect_attempt', host: req.host, address, port: 0, family: 4 });
  const r = await openSocket({ path }, req.timeoutMs, req.signal);
  const ms = (req.now ?? (() => performance.now()))() - started;
  if (!r.ok) {
    if (r.cancelled) return { ok: false, failures: [], cancelled: true };
    const error = `the UNIX socket ${path}: ${r.error}`;
    req.onEvent?.({ kind: 'connect_result', host: req.host, address, port: 0, ok: false, ms, error });
    return { ok: false, cancelled: false, failures: [{ address, family: 4, error, code: r.code }] };
  }
  r.socket.setNoDelay?.(true);
  req.onEvent?.({ kind: 'connect_result', host: req.host, address, port: 0, ok: true, ms });
  return { ok: true, failures: [], connection: { socket: r.socket, address, family: 4, localAddress: '' } };
}

async function connectProxy(t: TransportOptions, req: ConnectRequest, info: (s: string) => void): Promise<ConnectResult> {
  const parsed = parseProxyUrl(t.proxy ?? '');
  if (!parsed.ok) return { ok: false, cancelled: false, failures: [{ address: req.host, family: 4, error: parsed.message, code: 'EPROXY' }] };
  const p = parsed.value;
  const byName = p.scheme !== 'socks5' && !isIP(req.host);
  // socks5h:// and http://: the proxy resolves the name; socks5://: each address resolved here, in order.
  const family = t.family;
  const targets: ConnectAddress[] = byName ? [{ address: req.host, family: family ?? 4 }] : req.addresses.filter((a) => !family || a.family === family);
  const failures: ConnectFailure[] = [];
  info(`Connecting via ${proxyLabel(p)}.`);
  const clock = req.now ?? (() => performance.now());
  for (const a of targets) {
    const started = clock();
    req.onEvent?.({ kind: 'connect_attempt', host: req.host, address: a.address, port: req.port, family: a.family });
    const dest = { host: a.address, port: req.port };
    const r: TunnelResult = p.scheme === 'http' ? await httpConnectTunnel(p, dest, req.timeoutMs, req.signal) : await socks5Tunnel(p, dest, req.timeoutMs, req.signal);
    if (!r.ok) {
      if (r.cancelled) return { ok: false, failures, cancelled: true };
      failures.push({ address: a.address, family: a.family, error: r.error, code: r.code });
      req.onEvent?.({ kind: 'connect_result', host: req.host, address: a.address, port: req.port, ok: false, ms: clock() - started, error: r.error });
      continue;
    }
    r.socket.on('error', () => undefined);
    req.onEvent?.({ kind: 'connect_result', host: req.host, address: a.address, port: req.port, ok: true, ms: clock() - started });
    info(`Via ${proxyLabel(p)}: tunnel to ${hostPort(a.address, req.port)} open.`);
    return { ok: true, failures, connection: { socket: r.socket, address: a.address, family: a.family, localAddress: r.socket.localAddress ?? '' } };
  }
  return { ok: false, failures, cancelled: false };
}

function sendProxyHeader(t: TransportOptions, req: ConnectRequest, result: ConnectResult & { ok: true }, info: (s: string) => void): ConnectResult {
  const s: Socket = result.connection.socket;
  const viaUnix = result.connection.address.startsWith('unix:');
  const src: ProxyEndpoint | undefined = t.proxySource ?? (viaUnix || !s.localAddress ? undefined : { address: s.localAddress, port: s.localPort ?? 0 });
  const dst: ProxyEndpoint | undefined = viaUnix || !isIP(result.connection.address) ? undefined : { address: result.connection.address, port: req.port };
  const version = t.proxyProtocol ?? 'v1';
  const header = proxyHeader(version, src, dst);
  s.write(header);
  // The ends as the header carries them: an IPv4 end beside an IPv6 one is sent IPv4-mapped.
  const ends = src && dst ? sameFamily(src, dst) : undefined;
  const mapped = ends?.family === 6 && [ends.src.address, ends.dst.address].some((a) => /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(a)) ? ' (the IPv4 end mapped into IPv6)' : '';
  const announced = ends ? `announcing ${hostPort(ends.src.address, ends.src.port)} → ${hostPort(ends.dst.address, ends.dst.port)}${mapped}` : 'announcing no addresses (UNKNOWN/LOCAL)';
  info(`PROXY ${version} header sent, ${header.length} bytes, ${announced}.`);
  return result;
}
