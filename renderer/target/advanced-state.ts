/**
 * The target form's Advanced options (transport, TLS client controls, protocol): the form's text as typed,
 * turned into the request's `transport`, `tlsOptions` and `protocol` groups and checked by the SAME shared
 * readers main and the CLI use (shared/validate/transport.ts, protocol.ts). Pure.
 */
import type { DsnOptions, ProtocolOptions, SessionRequest, TlsClientOptions, TlsVersionName, TransportOptions, XclientAttribute } from '../../shared/model';
import { XCLIENT_ATTRIBUTES } from '../../shared/smtp/xclient';
import { validateHostPort } from '../../shared/validate/fields';
import { validateProtocolGroup } from '../../shared/validate/protocol';
import { validateTransportGroups } from '../../shared/validate/transport';

export type NotifyValue = 'NEVER' | 'SUCCESS' | 'FAILURE' | 'DELAY';
export const NOTIFY_VALUES: readonly NotifyValue[] = ['NEVER', 'SUCCESS', 'FAILURE', 'DELAY'];

export interface AdvancedState {
  family: 'auto' | '4' | '6';
  /** `ADDR`, `ADDR:PORT`, `[v6]:PORT` or `*:PORT` (any address, this port). */
  localAddress: string;
  socketPath: string;
  proxy: string;
  proxyProtocol: '' | 'v1' | 'v2';
  /** `ADDR:PORT` the PROXY header announces. */
  proxySource: string;
  tlsName: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  tlsMin: '' | TlsVersionName;
  tlsMax: '' | TlsVersionName;
  ciphers: string;
  lmtp: boolean;
  notify: NotifyValue[];
  ret: '' | 'FULL' | 'HDRS';
  envid: string;
  orcpt: boolean;
  requireTls: boolean;
  xclient: Array<{ name: XclientAttribute; value: string }>;
}

export function defaultAdvanced(): AdvancedState {
  return {
    family: 'auto',
    localAddress: '',
    socketPath: '',
    proxy: '',
    proxyProtocol: '',
    proxySource: '',
    tlsName: '',
    caFile: '',
    certFile: '',
    keyFile: '',
    tlsMin: '',
    tlsMax: '',
    ciphers: '',
    lmtp: false,
    notify: [],
    ret: '',
    envid: '',
    orcpt: false,
    requireTls: false,
    xclient: [],
  };
}

/** The fields an error can sit by; `xclient.N` for the N-th XCLIENT row. */
export type AdvancedField =
  | 'family'
  | 'localAddress'
  | 'socketPath'
  | 'proxy'
  | 'proxyProtocol'
  | 'proxySource'
  | 'tlsName'
  | 'caFile'
  | 'certFile'
  | 'keyFile'
  | 'tlsMin'
  | 'tlsMax'
  | 'ciphers'
  | 'lmtp'
  | 'dsn'
  | 'xclient';

export type AdvancedErrors = Record<string, string>;

/** Labels for the form's live region ("Local address: …"), keyed like the errors. */
export const ADVANCED_LABELS: Record<string, string> = {
  'advanced.family': 'Address family',
  'advanced.localAddress': 'Local address',
  'advanced.socketPath': 'UNIX socket',
  'advanced.proxy': 'Proxy',
  'advanced.proxyProtocol': 'PROXY protocol',
  'advanced.proxySource': 'Announced source',
  'advanced.tlsName': 'TLS name',
  'advanced.caFile': 'CA bundle',
  'advanced.certFile': 'Client certificate',
  'advanced.keyFile': 'Client key',
  'advanced.tlsMin': 'Minimum TLS version',
  'advanced.tlsMax': 'Maximum TLS version',
  'advanced.ciphers': 'Cipher list',
  'advanced.lmtp': 'Protocol',
  'advanced.dsn': 'DSN',
  'advanced.xclient': 'XCLIENT',
  // One row per attribute, each given at most once.
  ...Object.fromEntries(XCLIENT_ATTRIBUTES.map((_, i) => [`advanced.xclient.${i}`, `XCLIENT attribute ${i + 1}`])),
};

/** Validator key (`transport.localPort`, `protocol.dsn.notify` …) → the form field it belongs to. */
function fieldOf(key: string): string {
  const fixed: Record<string, AdvancedField> = {
    'transport.family': 'family',
    'transport.localAddress': 'localAddress',
    'transport.localPort': 'localAddress',
    'transport.socketPath': 'socketPath',
    'transport.proxy': 'proxy',
    'transport.proxyProtocol': 'proxyProtocol',
    'tlsOptions.name': 'tlsName',
    'tlsOptions.caFile': 'caFile',
    'tlsOptions.certFile': 'certFile',
    'tlsOptions.keyFile': 'keyFile',
    'tlsOptions.minVersion': 'tlsMin',
    'tlsOptions.maxVersion': 'tlsMax',
    'tlsOptions.ciphers': 'ciphers',
    'protocol.lmtp': 'lmtp',
  };
  if (fixed[key]) return fixed[key];
  if (key.startsWith('transport.proxySource')) return 'proxySource';
  if (key.startsWith('protocol.dsn')) return 'dsn';
  const row = /^protocol\.xclient\.(\d+)$/.exec(key);
  if (row) return `xclient.${row[1]}`;
  if (key.startsWith('protocol.xclient')) return 'xclient';
  return key;
}

/** `*:PORT` / `:PORT` is "any address, this port"; else the shared host:port splitter. */
function localParts(text: string): Record<string, unknown> {
  const t = text.trim();
  if (t === '') return {};
  const anyAddr = /^\*?:(\d{1,5})$/.exec(t);
  if (anyAddr) return { localPort: Number(anyAddr[1]) };
  const hp = validateHostPort(t, 'The local address');
  // Not splittable: hand the raw text to the shared reader, whose message then names the problem.
  if (!hp.ok) return { localAddress: t };
  return { localAddress: hp.value.host, ...(hp.value.port !== undefined ? { localPort: hp.value.port } : {}) };
}

function sourceParts(text: string): unknown {
  const t = text.trim();
  if (t === '') return undefined;
  const hp = validateHostPort(t, 'The announced PROXY source');
  if (!hp.ok) return { address: t, port: undefined };
  return { address: hp.value.host, port: hp.value.port };
}

/** The raw groups, shaped like the request's, before validation. */
function rawGroups(a: AdvancedState): { transport: Record<string, unknown>; tlsOptions: Record<string, unknown>; protocol: Record<string, unknown> } {
  const transport: Record<string, unknown> = { ...localParts(a.localAddress) };
  if (a.family !== 'auto') transport.family = Number(a.family);
  if (a.socketPath.trim()) transport.socketPath = a.socketPath.trim();
  if (a.proxy.trim()) transport.proxy = a.proxy.trim();
  if (a.proxyProtocol) transport.proxyProtocol = a.proxyProtocol;
  const source = sourceParts(a.proxySource);
  if (source !== undefined) transport.proxySource = source;
  const tlsOptions: Record<string, unknown> = { name: a.tlsName, caFile: a.caFile.trim(), certFile: a.certFile.trim(), keyFile: a.keyFile.trim(), minVersion: a.tlsMin, maxVersion: a.tlsMax, ciphers: a.ciphers };
  const dsn: Record<string, unknown> = {};
  if (a.notify.length > 0) dsn.notify = a.notify;
  if (a.ret) dsn.ret = a.ret;
  if (a.envid !== '') dsn.envid = a.envid;
  if (a.orcpt) dsn.orcpt = true;
  const protocol: Record<string, unknown> = {};
  if (a.lmtp) protocol.lmtp = true;
  if (a.requireTls) protocol.requireTls = true;
  if (Object.keys(dsn).length > 0) protocol.dsn = dsn;
  if (a.xclient.length > 0) protocol.xclient = a.xclient;
  return { transport, tlsOptions, protocol };
}

export interface AdvancedResult {
  transport?: TransportOptions;
  tlsOptions?: TlsClientOptions;
  protocol?: ProtocolOptions;
  /** Form field → the shared validator's message. */
  errors: AdvancedErrors;
}

/** The request groups and the field errors, from the shared validators (the ones main runs again). */
export function advancedGroups(a: AdvancedState): AdvancedResult {
  const raw = rawGroups(a);
  const t = validateTransportGroups({ transport: Object.keys(raw.transport).length > 0 ? raw.transport : undefined, tlsOptions: raw.tlsOptions });
  const p = validateProtocolGroup(Object.keys(raw.protocol).length > 0 ? raw.protocol : undefined);
  const errors: AdvancedErrors = {};
  for (const [k, v] of Object.entries({ ...t.errors, ...p.errors })) {
    const f = fieldOf(k);
    errors[f] ??= v;
  }
  return { transport: t.transport, tlsOptions: t.tlsOptions, protocol: p.protocol, errors };
}

/** How many options differ from their defaults: shown on the closed section. */
export function advancedCount(a: AdvancedState): number {
  const d = defaultAdvanced();
  let n = 0;
  for (const k of Object.keys(d) as Array<keyof AdvancedState>) {
    const v = a[k];
    if (Array.isArray(v)) n += v.length > 0 ? 1 : 0;
    else if (typeof v === 'string') n += v.trim() !== (d[k] as string) ? 1 : 0;
    else n += v !== d[k] ? 1 : 0;
  }
  return n;
}

/** Short names of the options set, for the closed section ("IPv4 only, local address, NOTIFY"). */
export function advancedSetNames(a: AdvancedState): string[] {
  const names: Array<[boolean, string]> = [
    [a.family !== 'auto', a.family === '4' ? 'IPv4 only' : 'IPv6 only'],
    [a.localAddress.trim() !== '', 'local address'],
    [a.socketPath.trim() !== '', 'UNIX socket'],
    [a.proxy.trim() !== '', 'proxy'],
    [a.proxyProtocol !== '' || a.proxySource.trim() !== '', `PROXY ${a.proxyProtocol || 'header'}`],
    [a.tlsName.trim() !== '', 'TLS name'],
    [a.caFile.trim() !== '', 'CA bundle'],
    [a.certFile.trim() !== '' || a.keyFile.trim() !== '', 'client certificate'],
    [a.tlsMin !== '' || a.tlsMax !== '', 'TLS versions'],
    [a.ciphers.trim() !== '', 'ciphers'],
    [a.lmtp, 'LMTP'],
    [a.requireTls, 'REQUIRETLS'],
    [a.notify.length > 0 || a.ret !== '' || a.envid !== '' || a.orcpt, 'DSN'],
    [a.xclient.length > 0, 'XCLIENT'],
  ];
  return names.filter(([on]) => on).map(([, name]) => name);
}

/** NEVER is exclusive (RFC 3461 §4.1): checking it clears the others, checking another clears it. */
export function toggleNotify(list: readonly NotifyValue[], value: NotifyValue, on: boolean): NotifyValue[] {
  if (!on) return list.filter((v) => v !== value);
  if (value === 'NEVER') return ['NEVER'];
  return NOTIFY_VALUES.filter((v) => v !== 'NEVER' && (v === value || list.includes(v)));
}

function hostPortText(address: string, port: number | undefined): string {
  const a = address.includes(':') ? `[${address}]` : address;
  return port === undefined ? a : `${a}:${port}`;
}

/** A stored request's groups back into the form (History's Run again). */
export function advancedFromRequest(req: Pick<SessionRequest, 'transport' | 'tlsOptions' | 'protocol'>): AdvancedState {
  const a = defaultAdvanced();
  const t = req.transport;
  if (t) {
    if (t.family) a.family = t.family === 4 ? '4' : '6';
    if (t.localAddress) a.localAddress = hostPortText(t.localAddress, t.localPort);
    else if (t.localPort) a.localAddress = `*:${t.localPort}`;
    a.socketPath = t.socketPath ?? '';
    a.proxy = t.proxy ?? '';
    a.proxyProtocol = t.proxyProtocol ?? '';
    if (t.proxySource) a.proxySource = hostPortText(t.proxySource.address, t.proxySource.port);
  }
  const tls = req.tlsOptions;
  if (tls) {
    a.tlsName = tls.name ?? '';
    a.caFile = tls.caFile ?? '';
    a.certFile = tls.certFile ?? '';
    a.keyFile = tls.keyFile ?? '';
    a.tlsMin = tls.minVersion ?? '';
    a.tlsMax = tls.maxVersion ?? '';
    a.ciphers = tls.ciphers ?? '';
  }
  const p = req.protocol;
  if (p) {
    a.lmtp = p.lmtp === true;
    a.requireTls = p.requireTls === true;
    const dsn: DsnOptions = p.dsn ?? {};
    a.notify = dsn.notify ? [...dsn.notify] : [];
    a.ret = dsn.ret ?? '';
    a.envid = dsn.envid ?? '';
    a.orcpt = dsn.orcpt === true;
    a.xclient = p.xclient ? p.xclient.map((x) => ({ ...x })) : [];
  }
  return a;
}
