/**
 * Transport and TLS options of a session request (family, local address, UNIX socket, proxies, PROXY header,
 * SNI / verify name, CA, client certificate, versions, ciphers). The same readers serve the form, the CLI and
 * main, so the three cannot drift apart. Only known keys are copied.
 */
import type { TlsClientOptions, TlsVersionName, TransportOptions } from '../model';
import type { FieldErrors } from './shape';
import { isRecord, ShapeReader } from './shape';
import { validateHostPort } from './fields';

export const TLS_VERSIONS: readonly TlsVersionName[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
const MAX_PATH = 1024;

/** Accepts `1.2`, `tls1.2`, `tlsv1_2`, `TLSv1.2` … and returns Node's name, or undefined. */
export function tlsVersionName(text: string): TlsVersionName | undefined {
  const m = /^(?:tls)?v?1(?:[._]([0-3]))?$/i.exec(text.trim());
  if (!m) return undefined;
  const minor = m[1] ?? '0';
  return minor === '0' ? 'TLSv1' : (`TLSv1.${minor}` as TlsVersionName);
}

export interface ParsedProxy {
  scheme: 'socks5' | 'socks5h' | 'http';
  host: string;
  port: number;
  user?: string;
}

/** `socks5://[user@]HOST:PORT`, `socks5h://…`, `http://HOST:PORT`. The port is required (no guessing). */
export function parseProxyUrl(text: string): { ok: true; value: ParsedProxy } | { ok: false; message: string } {
  const m = /^(socks5h?|http):\/\/(?:([^@/:\s]+)@)?([^/\s@]+?)\/?$/i.exec(text.trim());
  if (!m) return { ok: false, message: 'The proxy must look like socks5://HOST:PORT, socks5h://[user@]HOST:PORT or http://HOST:PORT.' };
  const hp = validateHostPort(m[3], 'The proxy');
  if (!hp.ok) return { ok: false, message: hp.message };
  if (hp.value.port === undefined) return { ok: false, message: 'The proxy needs a port, e.g. socks5://127.0.0.1:1080 or http://proxy:3128.' };
  const scheme = m[1].toLowerCase() as ParsedProxy['scheme'];
  if (m[2] && scheme === 'http') return { ok: false, message: 'A user in an http:// proxy address is not supported (it would be a password on the command line).' };
  return { ok: true, value: { scheme, host: hp.value.host, port: hp.value.port, ...(m[2] ? { user: decodeURIComponent(m[2]) } : {}) } };
}

function pathField(s: ShapeReader, o: Record<string, unknown>, key: string, field: string, label: string): string | undefined {
  const v = s.optionalString(o, key, field, MAX_PATH);
  if (v === undefined || v.trim() === '') return undefined;
  if (/[\0\r\n]/.test(v)) {
    s.error(field, `${label} contains a line break or NUL character.`);
    return undefined;
  }
  return v;
}

export function readTransport(input: Record<string, unknown>, s: ShapeReader): TransportOptions | undefined {
  if (input.transport === undefined || input.transport === null) return undefined;
  if (!isRecord(input.transport)) {
    s.error('transport', 'transport must be an object.');
    return undefined;
  }
  const t = input.transport;
  const out: TransportOptions = {};
  if (t.family !== undefined && t.family !== null) {
    if (t.family !== 4 && t.family !== 6) s.error('transport.family', 'The address family must be 4 or 6.');
    else out.family = t.family;
  }
  const local = s.optionalString(t, 'localAddress', 'transport.localAddress', 100);
  if (local !== undefined && local.trim() !== '') {
    const a = validateHostPort(local, 'The local address');
    if (!a.ok) s.error('transport.localAddress', a.message);
    else if (a.value.family === undefined) s.error('transport.localAddress', 'The local address must be an IPv4 or IPv6 address of this machine.');
    else if (a.value.port !== undefined) s.error('transport.localAddress', 'Give the local port in its own field.');
    else {
      out.localAddress = a.value.host;
      if (out.family !== undefined && out.family !== a.value.family) s.error('transport.localAddress', `The local address is IPv${a.value.family} but the connection is forced to IPv${out.family}.`);
    }
  }
  const localPort = s.integer(t, 'localPort', 'transport.localPort', 1, 65535);
  if (localPort !== undefined) out.localPort = localPort;
  const socketPath = pathField(s, t, 'socketPath', 'transport.socketPath', 'The socket path');
  if (socketPath !== undefined) out.socketPath = socketPath;
  const proxy = s.optionalString(t, 'proxy', 'transport.proxy', 300);
  if (proxy !== undefined && proxy.trim() !== '') {
    const p = parseProxyUrl(proxy);
    if (!p.ok) s.error('transport.proxy', p.message);
    else out.proxy = proxy.trim();
  }
  if (t.proxyProtocol !== undefined && t.proxyProtocol !== null) out.proxyProtocol = s.oneOf(t, 'proxyProtocol', 'transport.proxyProtocol', ['v1', 'v2'] as const);
  if (isRecord(t.proxySource)) {
    const addr = s.string(t.proxySource, 'address', 'transport.proxySource.address', { max: 100 });
    const port = s.integer(t.proxySource, 'port', 'transport.proxySource.port', 0, 65535);
    const a = validateHostPort(addr, 'The announced PROXY source');
    if (!a.ok || a.value.family === undefined || a.value.port !== undefined) s.error('transport.proxySource.address', 'The announced PROXY source must be an IPv4 or IPv6 address.');
    else if (port === undefined) s.error('transport.proxySource.port', 'The announced PROXY source needs a port (0 to 65535).');
    else out.proxySource = { address: a.value.host, port };
  } else if (t.proxySource !== undefined && t.proxySource !== null) s.error('transport.proxySource', 'transport.proxySource must be an object {address, port}.');
  if (out.proxySource && !out.proxyProtocol) s.error('transport.proxySource', 'An announced PROXY source needs a PROXY protocol version (v1 or v2).');
  if (out.socketPath && (out.proxy || out.localAddress || out.localPort || out.family)) {
    s.error('transport.socketPath', 'A UNIX socket cannot be combined with a proxy, a local address or port, or -4/-6.');
  }
  if (out.proxy && (out.localAddress || out.localPort)) s.error('transport.proxy', 'A local address or port cannot be combined with a proxy (the proxy makes the connection).');
  return Object.keys(out).length > 0 ? out : undefined;
}

export function readTlsOptions(input: Record<string, unknown>, s: ShapeReader): TlsClientOptions | undefined {
  if (input.tlsOptions === undefined || input.tlsOptions === null) return undefined;
  if (!isRecord(input.tlsOptions)) {
    s.error('tlsOptions', 'tlsOptions must be an object.');
    return undefined;
  }
  const t = input.tlsOptions;
  const out: TlsClientOptions = {};
  const name = s.optionalString(t, 'name', 'tlsOptions.name', 300);
  if (name !== undefined && name.trim() !== '') {
    const h = validateHostPort(name, 'The TLS name');
    if (!h.ok) s.error('tlsOptions.name', h.message);
    else if (h.value.port !== undefined) s.error('tlsOptions.name', 'The TLS name takes no port.');
    else out.name = h.value.host;
  }
  const caFile = pathField(s, t, 'caFile', 'tlsOptions.caFile', 'The CA file path');
  if (caFile) out.caFile = caFile;
  const certFile = pathField(s, t, 'certFile', 'tlsOptions.certFile', 'The client certificate path');
  if (certFile) out.certFile = certFile;
  const keyFile = pathField(s, t, 'keyFile', 'tlsOptions.keyFile', 'The client key path');
  if (keyFile) out.keyFile = keyFile;
  if (Boolean(out.certFile) !== Boolean(out.keyFile)) s.error(out.certFile ? 'tlsOptions.keyFile' : 'tlsOptions.certFile', 'A client certificate needs both the certificate file and its key file.');
  for (const k of ['minVersion', 'maxVersion'] as const) {
    if (t[k] === undefined || t[k] === null || t[k] === '') continue;
    const v = typeof t[k] === 'string' ? tlsVersionName(t[k]) : undefined;
    if (!v) s.error(`tlsOptions.${k}`, `The ${k === 'minVersion' ? 'minimum' : 'maximum'} TLS version must be one of 1, 1.1, 1.2, 1.3.`);
    else out[k] = v;
  }
  if (out.minVersion && out.maxVersion && TLS_VERSIONS.indexOf(out.minVersion) > TLS_VERSIONS.indexOf(out.maxVersion)) s.error('tlsOptions.maxVersion', 'The maximum TLS version is below the minimum.');
  const ciphers = s.optionalString(t, 'ciphers', 'tlsOptions.ciphers', 2000);
  if (ciphers !== undefined && ciphers.trim() !== '') {
    // OpenSSL cipher-list syntax: names, and : , + - ! @ = separators (no spaces or quotes).
    if (!/^[A-Za-z0-9_:,+\-!@=.]+$/.test(ciphers.trim())) s.error('tlsOptions.ciphers', 'The cipher list may hold only OpenSSL cipher names and the separators : , + - ! @ =.');
    else out.ciphers = ciphers.trim();
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Validates both groups standalone (the CLI builds them from flags). Errors are keyed like the request's. */
export function validateTransportGroups(input: { transport?: unknown; tlsOptions?: unknown }): { transport?: TransportOptions; tlsOptions?: TlsClientOptions; errors: FieldErrors } {
  const s = new ShapeReader();
  const o = input as Record<string, unknown>;
  const transport = readTransport(o, s);
  const tlsOptions = readTlsOptions(o, s);
  return { transport, tlsOptions, errors: s.errors };
}
