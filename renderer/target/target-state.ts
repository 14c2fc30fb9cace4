/**
 * Where and how to connect: the target form's data and the presets. Pure. The password is deliberately
 * not here: it lives only in an uncontrolled password field and goes straight into the start request.
 */
import type { AuthInput, AuthMechanism, CertPolicy, MxHostView, SessionRequest, Stage, Target, TlsMode } from '../../shared/model';

export type RelayPreset = 'local-postfix' | 'submission' | 'smtps';

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
  };
}

/** AUTH mechanisms offered in the Send form and in a saved target; `auto` lets the engine pick the best offered. */
export const AUTH_MECHANISMS: ReadonlyArray<{ value: AuthMechanism; label: string }> = [
  { value: 'auto', label: 'best offered' },
  { value: 'PLAIN', label: 'PLAIN' },
  { value: 'LOGIN', label: 'LOGIN' },
  { value: 'CRAM-MD5', label: 'CRAM-MD5' },
];

export const PRESETS: Record<RelayPreset, { label: string; detail: string }> = {
  'local-postfix': { label: 'Local Postfix', detail: 'localhost:25, TLS if offered, no AUTH' },
  submission: { label: 'Submission 587', detail: 'STARTTLS required, then AUTH (RFC 6409)' },
  smtps: { label: 'Implicit TLS 465', detail: 'TLS from the first byte, then AUTH (RFC 8314)' },
};

export function applyPreset(s: TargetState, preset: RelayPreset): TargetState {
  switch (preset) {
    case 'local-postfix':
      return { ...s, kind: 'host', preset, host: 'localhost', port: '25', tls: 'auto', authEnabled: false };
    case 'submission':
      return { ...s, kind: 'host', preset, host: s.host === 'localhost' ? '' : s.host, port: '587', tls: 'starttls', authEnabled: true };
    case 'smtps':
      return { ...s, kind: 'host', preset, host: s.host === 'localhost' ? '' : s.host, port: '465', tls: 'implicit', authEnabled: true };
  }
}

/** A short line for the run bar: where the session will go. */
export function describeTarget(s: TargetState, firstDomain: string | undefined): string {
  if (s.kind === 'host') return `${s.host || '?'}:${s.port || '?'}`;
  const first = s.preferAddress ? `${s.preferHost ?? ''} [${s.preferAddress}]` : s.preferHost;
  return `MX of ${firstDomain ?? 'the recipient domain'}${s.mxPort !== '25' ? ` port ${s.mxPort}` : ''}${first ? `, ${first} first` : ''}`;
}

function toPort(text: string): number {
  return Number.parseInt(text, 10);
}

export function buildTarget(s: TargetState): Target {
  if (s.kind === 'host') return { kind: 'host', host: s.host.trim(), port: toPort(s.port) };
  return { kind: 'mx', preferHost: s.preferHost, preferAddress: s.preferAddress };
}

/** Everything of a SessionRequest that comes from the target form (no draft, no password, no mode). */
export function targetRequestParts(s: TargetState): Omit<SessionRequest, 'draft' | 'mode' | 'auth'> {
  return {
    target: buildTarget(s),
    port: s.kind === 'mx' ? toPort(s.mxPort) : undefined,
    tls: s.tls,
    certPolicy: s.certPolicy,
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
}
