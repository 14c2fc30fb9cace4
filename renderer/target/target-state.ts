/**
 * Where and how to connect: the target form's data and the presets. Pure. The password is deliberately
 * not here: it lives only in an uncontrolled password field and goes straight into the start request.
 */
import type { AuthInput, AuthMechanism, CertPolicy, MxHostView, SessionRequest, Stage, Target, TlsMode, TlsPolicy } from '../../shared/model';
import type { AdvancedState } from './advanced-state';
import { advancedGroups, defaultAdvanced } from './advanced-state';

export type RelayPreset = 'local-postfix' | 'submission' | 'smtps' | 'lmtp-tcp' | 'lmtp-socket';

/** Dovecot's LMTP socket, the usual local delivery agent's; the user can edit the path after choosing it. */
export const LMTP_SOCKET_DEFAULT = '/run/dovecot/lmtp';

export interface TargetState {
  kind: 'mx' | 'host';
  /** Relay / specific server. */
  host: string;
  port: string;
  /** Port used for MX targets (25 unless testing). */
  mxPort: string;
  /** MX host / address the user picked to try first. */
  preferHost?: string;
  preferAddress?: string;
  preset?: RelayPreset;
  tls: TlsMode;
  certPolicy: CertPolicy;
  /** `mta`: as a DANE/MTA-STS-aware MTA would (STARTTLS and certificate per the domain's policy). */
  tlsPolicy?: TlsPolicy;
  heloName: string;
  /** False while the HELO name is the host's default, so a late default still fills it. */
  heloEdited: boolean;
  pipelining: boolean;
  chunking: boolean;
  authEnabled: boolean;
  authUser: string;
  authMechanism: AuthMechanism;
  allowPlaintextAuthOnLoopback: boolean;
  breakpoints: Stage[];
  /** DNS resolver for the MX plan (`host[:port]`); empty = the host's default. */
  resolver: string;
  /** The saved target (profile) the form was filled from; it applies while the form still matches it. */
  profileId?: string;
  /** Transport, TLS client and protocol options (advanced-state.ts). */
  advanced: AdvancedState;
}

export function defaultTarget(): TargetState {
  return {
    kind: 'mx',
    host: '',
    port: '25',
    mxPort: '25',
    tls: 'auto',
    certPolicy: 'verify',
    heloName: '',
    heloEdited: false,
    pipelining: true,
    chunking: true,
    authEnabled: false,
    authUser: '',
    authMechanism: 'auto',
    allowPlaintextAuthOnLoopback: false,
    breakpoints: [],
    resolver: '',
    advanced: defaultAdvanced(),
  };
}

/** AUTH mechanisms offered in the Send form and in a saved target; `auto` lets the engine pick the best offered. */
export const AUTH_MECHANISMS: ReadonlyArray<{ value: AuthMechanism; label: string }> = [
  { value: 'auto', label: 'best offered' },
  { value: 'PLAIN', label: 'PLAIN' },
  { value: 'LOGIN', label: 'LOGIN' },
  { value: 'CRAM-MD5', label: 'CRAM-MD5' },
  // RFC 7628 / Google's XOAUTH2: the bearer token goes in the password field and is kept like a password.
  { value: 'XOAUTH2', label: 'XOAUTH2 (bearer token)' },
  { value: 'OAUTHBEARER', label: 'OAUTHBEARER (bearer token)' },
];

/** True when the mechanism sends a bearer token where the password would go. */
export function usesBearerToken(m: AuthMechanism): boolean {
  return m === 'XOAUTH2' || m === 'OAUTHBEARER';
}

export const PRESETS: Record<RelayPreset, { label: string; detail: string }> = {
  'local-postfix': { label: 'Local Postfix', detail: 'localhost:25, TLS if offered, no AUTH' },
  submission: { label: 'Submission 587', detail: 'STARTTLS required, then AUTH (RFC 6409)' },
  smtps: { label: 'Implicit TLS 465', detail: 'TLS from the first byte, then AUTH (RFC 8314)' },
  'lmtp-tcp': { label: 'LMTP 24', detail: 'LMTP (RFC 2033) to localhost:24: LHLO, one reply per recipient' },
  'lmtp-socket': { label: 'LMTP socket', detail: `LMTP (RFC 2033) over the UNIX socket ${LMTP_SOCKET_DEFAULT} (editable under Advanced)` },
};

export function applyPreset(s: TargetState, preset: RelayPreset): TargetState {
  // The SMTP presets leave LMTP and a UNIX socket behind; the LMTP ones set them.
  const smtp = { ...s.advanced, lmtp: false, socketPath: '' };
  switch (preset) {
    case 'local-postfix':
      return { ...s, kind: 'host', preset, host: 'localhost', port: '25', tls: 'auto', authEnabled: false, advanced: smtp };
    case 'submission':
      return { ...s, kind: 'host', preset, host: s.host === 'localhost' ? '' : s.host, port: '587', tls: 'starttls', authEnabled: true, advanced: smtp };
    case 'smtps':
      return { ...s, kind: 'host', preset, host: s.host === 'localhost' ? '' : s.host, port: '465', tls: 'implicit', authEnabled: true, advanced: smtp };
    case 'lmtp-tcp':
      return { ...s, kind: 'host', preset, host: 'localhost', port: '24', tls: 'auto', authEnabled: false, advanced: { ...s.advanced, lmtp: true, socketPath: '' } };
    case 'lmtp-socket':
      return { ...s, kind: 'host', preset, host: 'localhost', port: '24', tls: 'none', authEnabled: false, advanced: { ...s.advanced, lmtp: true, socketPath: s.advanced.socketPath.trim() || LMTP_SOCKET_DEFAULT } };
  }
}

/** A short line for the run bar: where the session will go. */
export function describeTarget(s: TargetState, firstDomain: string | undefined): string {
  if (s.kind === 'host' && s.advanced.socketPath.trim()) return `${s.host.trim() || 'localhost'} over ${s.advanced.socketPath.trim()}${s.advanced.lmtp ? ' (LMTP)' : ''}`;
  if (s.kind === 'host') return `${s.host || '?'}:${s.port || '?'}${s.advanced.lmtp ? ' (LMTP)' : ''}`;
  const first = s.preferAddress ? `${s.preferHost ?? ''} [${s.preferAddress}]` : s.preferHost;
  return `MX of ${firstDomain ?? 'the recipient domain'}${s.mxPort !== '25' ? ` port ${s.mxPort}` : ''}${first ? `, ${first} first` : ''}`;
}

function toPort(text: string): number {
  return Number.parseInt(text, 10);
}

export function buildTarget(s: TargetState): Target {
  // Over a UNIX socket the server name only names the peer (HELO, TLS, log): `localhost` when left empty.
  if (s.kind === 'host') return { kind: 'host', host: s.host.trim() || (s.advanced.socketPath.trim() ? 'localhost' : ''), port: toPort(s.port) };
  return { kind: 'mx', preferHost: s.preferHost, preferAddress: s.preferAddress };
}

/** Everything of a SessionRequest that comes from the target form (no draft, no password, no mode). */
export function targetRequestParts(s: TargetState): Omit<SessionRequest, 'draft' | 'mode' | 'auth'> {
  const adv = advancedGroups(s.advanced);
  return {
    ...(adv.transport ? { transport: adv.transport } : {}),
    ...(adv.tlsOptions ? { tlsOptions: adv.tlsOptions } : {}),
    ...(adv.protocol ? { protocol: adv.protocol } : {}),
    target: buildTarget(s),
    port: s.kind === 'mx' ? toPort(s.mxPort) : undefined,
    tls: s.tls,
    certPolicy: s.certPolicy,
    ...(s.tlsPolicy ? { tlsPolicy: s.tlsPolicy } : {}),
    heloName: s.heloName.trim() || undefined,
    pipelining: s.pipelining,
    chunking: s.chunking,
    breakpoints: s.breakpoints.length ? s.breakpoints : undefined,
    allowPlaintextAuthOnLoopback: s.authEnabled && s.allowPlaintextAuthOnLoopback ? true : undefined,
    resolver: s.resolver.trim() || undefined,
  };
}

/** AUTH for the request; the password is read from its field at the moment of sending, never stored. */
export function buildAuth(s: TargetState, password: string): AuthInput | undefined {
  if (!s.authEnabled) return undefined;
  return { user: s.authUser, password, mechanism: s.authMechanism };
}

export interface MxChoice {
  preferHost?: string;
  preferAddress?: string;
}

/** Which host and address the engine will try first, given the user's pick (RFC 5321 §5.1 order otherwise). */
export function firstTried(hosts: MxHostView[], choice: MxChoice): { host?: MxHostView; address?: string; tie: boolean } {
  const host = hosts.find((h) => h.exchange === choice.preferHost) ?? hosts[0];
  if (!host) return { tie: false };
  const tie = !choice.preferHost && hosts.length > 1 && hosts[1].preference === host.preference;
  const address = host.addresses.find((a) => a.address === choice.preferAddress)?.address ?? host.addresses[0]?.address;
  return { host, address, tie };
}

/** Field errors of the target form, shown next to each field. */
export interface TargetErrors {
  host?: string;
  port?: string;
  mxPort?: string;
  heloName?: string;
  authUser?: string;
  /** Advanced options, keyed `advanced.<field>` (advanced-state.ts AdvancedField, `xclient.N` per row). */
  [advanced: `advanced.${string}`]: string | undefined;
}
