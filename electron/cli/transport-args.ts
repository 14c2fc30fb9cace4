// `mxdesk send` transport and TLS flags (swaks' -4/-6, --local-interface, --socket, --tls-*, proxies). The
// flags are turned into the request's `transport` and `tlsOptions` groups, then checked by the same shared
// validators the form and main use (shared/validate/transport.ts).
import type { TlsClientOptions, TransportOptions } from '../../shared/model';
import { validateTransportGroups } from '../../shared/validate/transport';
import type { ArgError } from './args';

export const TRANSPORT_FLAGS = {
  ipv4: { type: 'boolean', short: '4' },
  ipv6: { type: 'boolean', short: '6' },
  'local-address': { type: 'string' },
  socket: { type: 'string' },
  proxy: { type: 'string' },
  'proxy-protocol': { type: 'string' },
  'proxy-source': { type: 'string' },
  'tls-name': { type: 'string' },
  'tls-ca': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-min': { type: 'string' },
  'tls-max': { type: 'string' },
  'tls-ciphers': { type: 'string' },
} as const;

export const TRANSPORT_USAGE = `              [-4|-6] [--local-address ADDR[:PORT]] [--socket PATH]
              [--proxy socks5://[USER@]HOST:PORT|socks5h://…|http://HOST:PORT]
              [--proxy-protocol v1|v2] [--proxy-source ADDR:PORT] [--tls-name NAME] [--tls-ca FILE]
              [--tls-cert FILE --tls-key FILE] [--tls-min 1.2|1.3] [--tls-max 1.2|1.3] [--tls-ciphers LIST]`;

export interface TransportArgs {
  transport?: TransportOptions;
  tlsOptions?: TlsClientOptions;
}

type Values = { [K in keyof typeof TRANSPORT_FLAGS]?: (typeof TRANSPORT_FLAGS)[K]['type'] extends 'boolean' ? boolean : string };

/** Request field → the flag that sets it, so that a validator's error names the flag. */
const FIELD_FLAGS: Record<string, string> = {
  'transport.family': '-4/-6',
  'transport.localAddress': '--local-address',
  'transport.localPort': '--local-address',
  'transport.socketPath': '--socket',
  'transport.proxy': '--proxy',
  'transport.proxyProtocol': '--proxy-protocol',
  'transport.proxySource': '--proxy-source',
  'transport.proxySource.address': '--proxy-source',
  'transport.proxySource.port': '--proxy-source',
  'tlsOptions.name': '--tls-name',
  'tlsOptions.caFile': '--tls-ca',
  'tlsOptions.certFile': '--tls-cert',
  'tlsOptions.keyFile': '--tls-key',
  'tlsOptions.minVersion': '--tls-min',
  'tlsOptions.maxVersion': '--tls-max',
  'tlsOptions.ciphers': '--tls-ciphers',
};

/** `ADDR`, `ADDR:PORT`, `[v6]:PORT`, bare IPv6. */
function splitAddressPort(text: string): { address: string; port?: number } | undefined {
  const t = text.trim();
  const b = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(t);
  if (b) return { address: b[1], port: b[2] === undefined ? undefined : Number(b[2]) };
  if ((t.match(/:/g) ?? []).length > 1) return { address: t };
  const m = /^([^:]+)(?::(\d{1,5}))?$/.exec(t);
  return m ? { address: m[1], port: m[2] === undefined ? undefined : Number(m[2]) } : undefined;
}

export function readTransportArgs(v: Values): { ok: true; value: TransportArgs } | { ok: false; error: ArgError } {
  const bad = (field: string, message: string): { ok: false; error: ArgError } => ({ ok: false, error: { field, message } });
  if (v.ipv4 && v.ipv6) return bad('-4', '-4 and -6 cannot both be given');
  const transport: Record<string, unknown> = {};
  if (v.ipv4) transport.family = 4;
  if (v.ipv6) transport.family = 6;
  if (v['local-address'] !== undefined) {
    const a = splitAddressPort(v['local-address']);
    if (!a) return bad('--local-address', `--local-address must be ADDR[:PORT], not ${JSON.stringify(v['local-address'])}`);
    if (a.address !== '' && a.address !== '*') transport.localAddress = a.address;
    if (a.port !== undefined) transport.localPort = a.port;
  }
  if (v.socket !== undefined) transport.socketPath = v.socket;
  if (v.proxy !== undefined) transport.proxy = v.proxy;
  if (v['proxy-protocol'] !== undefined) transport.proxyProtocol = v['proxy-protocol'].toLowerCase().replace(/^(\d)$/, 'v$1');
  if (v['proxy-source'] !== undefined) {
    const a = splitAddressPort(v['proxy-source']);
    if (!a || a.port === undefined) return bad('--proxy-source', '--proxy-source must be ADDR:PORT (the client the PROXY header announces)');
    transport.proxySource = { address: a.address, port: a.port };
  }
  const tls: Record<string, unknown> = {
    name: v['tls-name'],
    caFile: v['tls-ca'],
    certFile: v['tls-cert'],
    keyFile: v['tls-key'],
    minVersion: v['tls-min'],
    maxVersion: v['tls-max'],
    ciphers: v['tls-ciphers'],
  };
  const r = validateTransportGroups({ transport: Object.keys(transport).length > 0 ? transport : undefined, tlsOptions: tls });
  const first = Object.entries(r.errors)[0];
  if (first) {
    const flag = FIELD_FLAGS[first[0]] ?? first[0];
    return bad(flag, `${flag}: ${first[1]}`);
  }
  return { ok: true, value: { transport: r.transport, tlsOptions: r.tlsOptions } };
}
