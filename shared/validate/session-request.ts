/**
 * Untrusted SessionRequest / step request payloads → clean typed values (RELIABILITY "Input from the form:
 * refused before any socket opens; checked again in main"). Only known keys are copied.
 */
import { parseResolverSpec } from '../mx';
import type { AuthInput, Draft, SessionRequest, Stage, StepCommand, Target, Timeouts } from '../model';
import type { Result } from '../result';
import { fail, ok } from '../result';
import { firstError, readDraftShape, validateDraftFields } from './draft';
import { validateAuthUser, validateHeloName, validateHostPort } from './fields';
import { isRecord, ShapeReader } from './shape';
import { readTlsOptions, readTransport } from './transport';
import { oauthTokenProblem, protocolRequestProblem, readProtocol, secretMaxLength } from './protocol';
import { readDkimRequest } from '../sender-auth/dkim-validate';
import type { DkimRequest } from '../sender-auth/dkim-types';

export type { FieldErrors } from './shape';
export { DRAFT_LIMITS, parseDraft, validateDraftFields } from './draft';
export { effectiveEnvelope, envelopeDiffersFromHeaders, headerEnvelope } from './envelope';

export const STAGES: readonly Stage[] = ['dns', 'connect', 'greeting', 'ehlo', 'starttls', 'tls', 'auth', 'mail', 'rcpt', 'data', 'body', 'quit'];
const TIMEOUT_KEYS: readonly (keyof Timeouts)[] = ['dnsMs', 'connectMs', 'greetingMs', 'commandMs', 'mailMs', 'rcptMs', 'dataStartMs', 'dataBlockMs', 'dataEndMs', 'tlsMs', 'quitMs'];
/** One hour: longer than any RFC 5321 §4.5.3.2 default (the largest is 10 minutes). */
export const MAX_TIMEOUT_MS = 3_600_000;
export const MAX_STEP_LINE_CHARS = 4096;

function readTarget(o: Record<string, unknown>, s: ShapeReader): Target {
  const t = isRecord(o.target) ? o.target : undefined;
  if (!t) {
    s.error('target', 'Choose a target: the MX of the recipients, or a host and port.');
    return { kind: 'mx' };
  }
  const kind = s.oneOf(t, 'kind', 'target.kind', ['mx', 'host'] as const);
  if (kind === 'host') {
    const hostText = s.string(t, 'host', 'target.host', { max: 300 });
    const port = s.integer(t, 'port', 'target.port', 1, 65535) ?? 25;
    const h = validateHostPort(hostText, 'The server');
    if (!h.ok) s.error('target.host', h.message);
    else if (h.value.port !== undefined) s.error('target.host', 'Give the port in its own field, not after the host.');
    return { kind: 'host', host: h.ok ? h.value.host : hostText, port };
  }
  const target: Target = { kind: 'mx' };
  const preferHost = s.optionalString(t, 'preferHost', 'target.preferHost', 300);
  if (preferHost) {
    const h = validateHostPort(preferHost, 'The preferred MX host');
    if (!h.ok || h.value.port !== undefined) s.error('target.preferHost', h.ok ? 'The preferred MX host takes no port.' : h.message);
    else target.preferHost = h.value.host;
  }
  const preferAddress = s.optionalString(t, 'preferAddress', 'target.preferAddress', 100);
  if (preferAddress) {
    const a = validateHostPort(preferAddress, 'The preferred address');
    if (!a.ok || a.value.family === undefined || a.value.port !== undefined) s.error('target.preferAddress', 'The preferred address must be an IPv4 or IPv6 address.');
    else target.preferAddress = a.value.host;
  }
  return target;
}

function readAuth(o: Record<string, unknown>, s: ShapeReader): AuthInput | undefined {
  if (o.auth === undefined || o.auth === null) return undefined;
  if (!isRecord(o.auth)) {
    s.error('auth', 'auth must be an object.');
    return undefined;
  }
  const a = o.auth;
  const user = s.string(a, 'user', 'auth.user', { max: 1000 });
  const u = validateAuthUser(user);
  if (!u.ok) s.error('auth.user', u.message);
  const auth: AuthInput = { user, mechanism: s.oneOf(a, 'mechanism', 'auth.mechanism', ['auto', 'PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2', 'OAUTHBEARER'] as const, 'auto') };
  // The password is never quoted in a message, only described.
  const password = s.optionalString(a, 'password', 'auth.password', secretMaxLength(auth.mechanism));
  if (password !== undefined) {
    if (/[\r\n\0]/.test(password)) s.error('auth.password', 'The password contains a line break or a NUL character, which cannot be sent.');
    else auth.password = password;
    const tokenProblem = oauthTokenProblem(auth.mechanism, auth.password);
    if (tokenProblem) s.error('auth.password', tokenProblem);
  }
  const profileId = s.optionalString(a, 'profileId', 'auth.profileId', 100);
  if (profileId !== undefined) auth.profileId = profileId;
  if (auth.password === undefined && auth.profileId === undefined && !s.errors['auth.password']) s.error('auth.password', 'AUTH needs a password (or a saved profile).');
  return auth;
}

function readStages(o: Record<string, unknown>, s: ShapeReader): Stage[] {
  const list = s.array(o, 'breakpoints', 'breakpoints', STAGES.length * 2);
  const out: Stage[] = [];
  for (const [i, v] of list.entries()) {
    if (typeof v !== 'string' || !(STAGES as readonly string[]).includes(v)) s.error(`breakpoints.${i}`, `breakpoints.${i} must be a stage: ${STAGES.join(', ')}.`);
    else if (!out.includes(v as Stage)) out.push(v as Stage);
  }
  return out;
}

function readTimeouts(o: Record<string, unknown>, s: ShapeReader): Partial<Timeouts> | undefined {
  if (o.timeouts === undefined || o.timeouts === null) return undefined;
  if (!isRecord(o.timeouts)) {
    s.error('timeouts', 'timeouts must be an object.');
    return undefined;
  }
  const out: Partial<Timeouts> = {};
  for (const k of TIMEOUT_KEYS) {
    const v = s.integer(o.timeouts, k, `timeouts.${k}`, 1, MAX_TIMEOUT_MS);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export function parseSessionRequest(input: unknown): Result<SessionRequest> {
  if (!isRecord(input)) return fail('invalid_input', 'Expected a session request.');
  const s = new ShapeReader();
  const draft = readDraftShape(input.draft, s);
  const req: SessionRequest = {
    draft,
    target: readTarget(input, s),
    tls: s.oneOf(input, 'tls', 'tls', ['auto', 'starttls', 'require', 'implicit', 'none'] as const, 'auto'),
    certPolicy: s.oneOf(input, 'certPolicy', 'certPolicy', ['verify', 'override-once'] as const, 'verify'),
    pipelining: s.boolean(input, 'pipelining', 'pipelining', true),
    chunking: s.boolean(input, 'chunking', 'chunking', true),
    mode: s.oneOf(input, 'mode', 'mode', ['auto', 'step'] as const, 'auto'),
  };
  const port = s.integer(input, 'port', 'port', 1, 65535);
  if (port !== undefined) req.port = port;
  if (input.tlsPolicy !== undefined && input.tlsPolicy !== null) {
    req.tlsPolicy = s.oneOf(input, 'tlsPolicy', 'tlsPolicy', ['mta'] as const);
    // DANE and MTA-STS are about STARTTLS on port 25 (RFC 7672 §1.3, RFC 8461 §4): not plaintext, not port 465.
    if (req.tls === 'none' || req.tls === 'implicit') s.error('tlsPolicy', `The "DANE/MTA-STS-aware MTA" policy uses STARTTLS; it cannot be combined with TLS mode "${req.tls}".`);
  }
  const helo = s.optionalString(input, 'heloName', 'heloName', 300);
  if (helo !== undefined && helo.trim() !== '') {
    const h = validateHeloName(helo);
    if (!h.ok) s.error('heloName', h.message);
    else req.heloName = h.value;
  }
  const auth = readAuth(input, s);
  if (auth) req.auth = auth;
  if (input.allowPlaintextAuthOnLoopback !== undefined) req.allowPlaintextAuthOnLoopback = s.boolean(input, 'allowPlaintextAuthOnLoopback', 'allowPlaintextAuthOnLoopback');
  const breakpoints = readStages(input, s);
  if (breakpoints.length > 0) req.breakpoints = breakpoints;
  if (input.quitAfter !== undefined && input.quitAfter !== null) req.quitAfter = s.oneOf(input, 'quitAfter', 'quitAfter', STAGES);
  const resolver = s.optionalString(input, 'resolver', 'resolver', 300);
  if (resolver !== undefined && resolver.trim() !== '') {
    const r = parseResolverSpec(resolver);
    if (!r.ok) s.error('resolver', r.error.message);
    else req.resolver = r.value.server;
  }
  const timeouts = readTimeouts(input, s);
  if (timeouts) req.timeouts = timeouts;
  const transport = readTransport(input, s);
  if (transport) req.transport = transport;
  const tlsOptions = readTlsOptions(input, s);
  if (tlsOptions) req.tlsOptions = tlsOptions;
  const protocol = readProtocol(input, s);
  if (protocol) req.protocol = protocol;
  const dkim = readDkimRequest(input.dkim);
  if (!dkim.ok) s.error(dkim.field, dkim.message);
  else if (dkim.value) req.dkim = dkim.value;
  const crossProblem = protocolRequestProblem(req);
  if (crossProblem) s.error(crossProblem.field, crossProblem.message);
  // RELIABILITY "TLS": never AUTH without TLS, except the explicit loopback-relay allowance.
  if (req.auth && req.tls === 'none' && !req.allowPlaintextAuthOnLoopback) {
    s.error('tls', 'AUTH needs TLS: choose a TLS mode, or explicitly allow plaintext AUTH to a loopback relay.');
  }
  const shapeErr = firstError<SessionRequest>(s.errors);
  if (shapeErr) return shapeErr;
  return firstError<SessionRequest>(validateDraftFields(draft), 'draft.') ?? ok(req);
}

export function parseStepRequest(input: unknown): Result<{ sessionId: string; command: StepCommand }> {
  if (!isRecord(input)) return fail('invalid_input', 'Expected a step request.');
  const s = new ShapeReader();
  const sessionId = s.string(input, 'sessionId', 'sessionId', { max: 100 });
  const c = isRecord(input.command) ? input.command : {};
  const kind = s.oneOf(c, 'kind', 'command.kind', ['send', 'data-body', 'run-to-end'] as const);
  let command: StepCommand = { kind: 'run-to-end' };
  if (kind === 'send') {
    const line = s.string(c, 'line', 'command.line', { max: MAX_STEP_LINE_CHARS });
    // RELIABILITY "Step mode": any command may be typed, but CR/LF injection is still refused.
    const bad = /[\r\n\0]/.exec(line);
    if (bad) s.error('command.line', `The command contains ${bad[0] === '\0' ? 'a NUL character' : 'a line break'}; type one command per line.`);
    command = { kind: 'send', line };
  } else if (kind === 'data-body') {
    command = { kind: 'data-body' };
  }
  return firstError(s.errors) ?? ok({ sessionId, command });
}

export function parsePreviewRequest(input: unknown): Result<{ draft: Draft; dkim?: DkimRequest }> {
  if (!isRecord(input)) return fail('invalid_input', 'Expected a preview request.');
  const s = new ShapeReader();
  const draft = readDraftShape(input.draft, s);
  const dkim = readDkimRequest(input.dkim);
  if (!dkim.ok) s.error(dkim.field, dkim.message);
  const req = dkim.ok && dkim.value ? { draft, dkim: dkim.value } : { draft };
  return firstError(s.errors) ?? firstError(validateDraftFields(draft, { forSending: false }), 'draft.') ?? ok(req);
}
