// Runs one session end to end: check the envelope, compose and measure the message, plan where to connect
// (host or MX per recipient domain), then for each group try hosts and addresses in order until one
// conversation reaches a decision (RFC 5321 §5.1). Emits every step as an event and exactly one `outcome`.
import { hostname as osHostname } from 'node:os';
import { isIP } from 'node:net';
import type { Outcome, SessionEventBody } from '../../shared/events';
import type { AuthInput, SessionRequest, Stage, StepCommand, Timeouts } from '../../shared/model';
import type { DialogConfig, TransactionResult } from '../../shared/smtp/dialog-types';
import type { ReaderLimits } from '../../shared/smtp/reply-reader';
import { NulByteError } from '../../shared/smtp/data-encoder';
import { envelopeAddress, validateMailbox, type Mailbox } from '../../shared/validate/address';
import { effectiveEnvelope } from '../../shared/validate/envelope';
import { validateHeloName } from '../../shared/validate/fields';
import { hasNonAscii } from '../../shared/validate/text-rules';
import { asClause, joinSentences } from '../../shared/smtp/sentences';
import { createAuthClient } from './auth';
import { protocolConfig } from './protocol-config';
import { createNetConnector, type ConnectAddress, type Connector } from './connector';
import { converse, tlsEvent } from './conversation';
import { resolveTimeouts } from './deadline';
import { planDelivery, type DeliveryGroup, type PlanDeps } from './delivery-plan';
import { buildMessage, measureMessage, type MessageInfo, type MessageSource } from './message';
import { dkimSignForSession, type DkimKeyLookup } from './dkim-sign-session';
import type { DnsResolver } from './resolver';
import { upgradeToTls } from './tls-upgrade';
import { createTransportConnector } from './transport/transport-connector';
import { describeTlsSetup, loadTlsClient, type TlsClientMaterial } from './transport/tls-client';
import type { HostTlsPolicy } from '../../shared/policy-send';
import type { StsFetchOptions } from './policy/mta-sts-fetch';
import { groupPolicies } from './policy/send-policy';
import { connectionPolicy } from './policy/send-tls';

export interface SessionDeps {
  sessionId: string;
  /** seq/at are added by the caller. */
  emit: (e: SessionEventBody) => void;
  signal?: AbortSignal;
  connector?: Connector;
  createResolver?: (server: string | undefined, timeoutMs: number) => DnsResolver;
  defaultResolver?: string;
  /** ms since the session started; the same clock the caller stamps events with. */
  clock?: () => number;
  random?: () => number;
  /** Default HELO name when the request names none (else the FQDN of this machine or an address literal). */
  heloName?: string;
  /** Step mode (and breakpoints): resolves with the user's next command. */
  nextStep?: (signal: AbortSignal) => Promise<StepCommand>;
  /** Extra trusted CA certificates (PEM), e.g. a test CA or a company CA. */
  tlsCa?: string[];
  /** Password for `auth.profileId` (main side only). */
  resolveSecret?: (auth: AuthInput, req: SessionRequest) => Promise<string | undefined>;
  /** The DKIM key saved for `dkim.domain` and `dkim.selector` (main side only). */
  resolveDkimKey?: DkimKeyLookup;
  readerLimits?: Partial<ReaderLimits>;
  /** Happy Eyeballs stagger (RFC 8305), default 250 ms. */
  staggerMs?: number;
  lookupHost?: PlanDeps['lookupHost'];
  /** os.hostname, injectable for tests. */
  hostname?: () => string;
  /** The message bytes from elsewhere than the draft (e.g. a file streamed by the CLI); the envelope still comes from the draft. */
  messageSource?: MessageSource;
  /** MTA-STS policy fetch for `tlsPolicy: 'mta'` (tests: the policy host mapped to a loopback server). */
  policyFetch?: StsFetchOptions;
}

/** Connection attempts per recipient domain at most (RELIABILITY "DNS": cap the attempts). */
export const MAX_ATTEMPTS_PER_GROUP = 16;

export function isLoopbackAddress(address: string): boolean {
  const a = address.replace(/^::ffff:/i, '');
  return a === '::1' || /^127\./.test(a);
}

/** RFC 5321 §4.1.4: the FQDN of this host, or an address literal when it has none. */
export function defaultHeloName(localAddress: string, hostname: string): string {
  if (hostname.includes('.') && validateHeloName(hostname).ok) return hostname;
  // RFC 5321 §4.1.3: an IPv6 literal has no zone id (`fe80::1%eth0` as a link-local socket address gives it).
  const a = localAddress.replace(/^::ffff:/i, '').replace(/%.*$/, '');
  return isIP(a) === 6 ? `[IPv6:${a}]` : `[${a || '127.0.0.1'}]`;
}

function targetLabel(req: SessionRequest): string {
  return req.target.kind === 'host' ? `${req.target.host}:${req.target.port}` : `MX of each recipient domain, port ${req.port ?? 25}`;
}

type Measured = { ok: true; info: MessageInfo } | { ok: false; reason: string };

function measureFailure(e: unknown): string {
  return e instanceof NulByteError ? joinSentences(e.message, 'Nothing was sent.') : joinSentences(`The message could not be composed: ${(e as Error).message}`, 'Nothing was sent.');
}

interface Ctx {
  req: SessionRequest;
  deps: SessionDeps;
  timeouts: Timeouts;
  signal: AbortSignal;
  clock: () => number;
  emit: (e: SessionEventBody) => void;
  message: MessageSource;
  /** Measuring runs alongside DNS, connect, greeting and EHLO; the dialog waits for it before MAIL. */
  measuring: Promise<Measured>;
  /** `done` once measuring has settled (so that a failure known before connecting stops before connecting). */
  measureState: { done?: Measured };
  mailFrom: string;
  password?: string;
  /** --tls-name, --tls-ca, client certificate, versions, ciphers, read once per session. */
  tlsClient?: TlsClientMaterial;
}

export async function runSession(req: SessionRequest, deps: SessionDeps): Promise<Outcome> {
  const start = performance.now();
  const clock = deps.clock ?? (() => performance.now() - start);
  const local = new AbortController();
  const signal = deps.signal ? AbortSignal.any([deps.signal, local.signal]) : local.signal;
  let ended = false;
  const emit = (e: SessionEventBody): void => {
    if (!ended) deps.emit(e);
  };
  const end = (outcome: Outcome, stage: Stage, reason: string, extra: { queueId?: string; dotSent?: boolean; timedOut?: boolean } = {}): Outcome => {
    if (ended) return outcome;
    const e: SessionEventBody = { kind: 'outcome', outcome, stage, reason, queueId: extra.queueId, dotSent: extra.dotSent ?? false, durationMs: Math.round(clock() * 10) / 10 };
    if (extra.timedOut) e.timedOut = true;
    emit(e);
    ended = true;
    return outcome;
  };
  const envelope = effectiveEnvelope(req.draft);
  emit({ kind: 'session_start', startedAt: new Date().toISOString(), target: targetLabel(req), mode: req.mode, envelope });
  try {
    const timeouts = resolveTimeouts(req.timeouts);
    const from = validateMailbox(envelope.mailFrom, { allowNull: true, label: 'MAIL FROM' });
    if (!from.ok) return end('not_delivered', 'mail', joinSentences(from.message, 'Nothing was sent.'));
    if (envelope.rcptTo.length === 0) return end('not_delivered', 'rcpt', 'There is no recipient. Nothing was sent.');
    const rcpts: { wire: string; mailbox: Mailbox }[] = [];
    for (const [i, r] of envelope.rcptTo.entries()) {
      const m = validateMailbox(r, { label: `Recipient ${i + 1}` });
      if (!m.ok) return end('not_delivered', 'rcpt', joinSentences(m.message, 'Nothing was sent.'));
      rcpts.push({ wire: envelopeAddress(m.value, false), mailbox: m.value });
    }
    let password: string | undefined;
    if (req.auth) {
      password = req.auth.password ?? (await deps.resolveSecret?.(req.auth, req));
      if (password === undefined) return end('not_delivered', 'auth', 'AUTH was asked for but no password is available. Nothing was sent.');
    }
    const tlsClient = await loadTlsClient(req.tlsOptions);
    if (!tlsClient.ok) return end('not_delivered', 'tls', joinSentences(tlsClient.message, 'Nothing was sent.'));
    const built = deps.messageSource ? ({ ok: true, value: deps.messageSource } as const) : buildMessage(req.draft);
    if (!built.ok) return end('not_delivered', 'data', joinSentences(built.error.message, 'Nothing was sent.'));
    const signed = await dkimSignForSession(req, built.value, deps.resolveDkimKey, emit);
    if (!signed.ok) return end('not_delivered', 'data', joinSentences(signed.error.message, 'Nothing was sent.'));
    // Measuring (SIZE, 8-bit) runs while DNS, the connection, the greeting and EHLO go on; the dialog gets
    // the result before it plans MAIL FROM (see ConversationOptions.messageFacts).
    const measuring = measureMessage(signed.value, signal).then(
      (info): Measured => ({ ok: true, info }),
      (e: unknown): Measured => ({ ok: false, reason: measureFailure(e) }),
    );
    const measureState: { done?: Measured } = {};
    void measuring.then((m) => (measureState.done = m));
    const groups = await planDelivery(req, rcpts, {
      emit,
      signal,
      createResolver: deps.createResolver,
      defaultResolver: deps.defaultResolver,
      random: deps.random ?? Math.random,
      dnsMs: timeouts.dnsMs,
      lookupHost: deps.lookupHost,
    });
    if (signal.aborted) return end('cancelled', 'dns', 'Cancelled during the DNS lookup; nothing was sent.');
    if (req.quitAfter === 'dns') {
      const measured = await measuring;
      if (!measured.ok) return end('not_delivered', 'data', measured.reason);
      return end('not_delivered', 'dns', 'Stopped after DNS as asked; no connection was made.');
    }
    const ctx: Ctx = { req, deps, timeouts, signal, clock, emit, message: signed.value, measuring, measureState, mailFrom: envelopeAddress(from.value, false), password, tlsClient: tlsClient.value };
    const results: { group: DeliveryGroup; result: TransactionResult }[] = [];
    for (const group of groups) {
      const result = await deliverGroup(ctx, group);
      results.push({ group, result });
      if (result.outcome === 'cancelled' || signal.aborted) break;
    }
    const final = combine(results);
    return end(final.outcome, final.stage, final.reason, { queueId: final.queueId, dotSent: final.dotSent, timedOut: final.timedOut });
  } catch (e) {
    if (signal.aborted) return end('cancelled', 'connect', 'Cancelled.');
    emit({ kind: 'info', level: 'error', text: `Internal error: ${(e as Error).message}` });
    return end('not_delivered', 'connect', `Internal error: ${(e as Error).message}`);
  } finally {
    local.abort();
    if (!ended) end('cancelled', 'connect', 'The session ended unexpectedly.');
  }
}

function groupFailed(group: DeliveryGroup, stage: Stage, reason: string, extra: Partial<TransactionResult> = {}): TransactionResult {
  return { outcome: 'not_delivered', stage, reason, dotSent: false, tryNext: false, timedOut: false, recipients: group.rcpts.map((rcpt) => ({ rcpt, accepted: false, code: 0, text: reason })), ...extra };
}

async function deliverGroup(ctx: Ctx, group: DeliveryGroup): Promise<TransactionResult> {
  if (group.failure) {
    ctx.emit({ kind: 'info', level: 'error', text: group.failure.reason, stage: 'dns' });
    return groupFailed(group, 'dns', group.failure.reason);
  }
  const known = ctx.measureState.done;
  if (known && !known.ok) return groupFailed(group, 'data', known.reason);
  // tlsPolicy 'mta': TLSA and MTA-STS of every host, decided before the first connection.
  const { deps, timeouts } = ctx;
  const policies = ctx.req.tlsPolicy === 'mta' ? await groupPolicies(ctx.req, group, { emit: ctx.emit, createResolver: deps.createResolver, defaultResolver: deps.defaultResolver, dnsMs: timeouts.dnsMs, fetchMs: timeouts.tlsMs, sts: deps.policyFetch, signal: ctx.signal }) : undefined;
  if (ctx.signal.aborted) return { ...groupFailed(group, 'dns', 'Cancelled while looking up the TLS policy; nothing was sent.'), outcome: 'cancelled' };
  const reasons: string[] = [];
  let attempts = 0;
  let timedOut = false;
  for (const [hi, host] of group.hosts.entries()) {
    const nextHost = group.hosts[hi + 1]?.name;
    const hostPolicy = policies?.get(host.name);
    if (hostPolicy?.kind === 'skip') {
      reasons.push(`${host.name}: ${asClause(hostPolicy.reason)}`);
      if (nextHost) ctx.emit({ kind: 'info', level: 'info', text: `${host.name} is not used under the TLS policy; trying the next MX host, ${nextHost}.`, stage: 'connect' });
      continue;
    }
    if (host.addresses.length === 0) {
      reasons.push(`${host.name}: no address`);
      ctx.emit({ kind: 'info', level: 'warn', text: `${host.name} has no address${nextHost ? `; trying ${nextHost} next` : ''}.`, stage: 'connect' });
      continue;
    }
    let remaining: ConnectAddress[] = host.addresses;
    while (remaining.length > 0 && attempts < MAX_ATTEMPTS_PER_GROUP) {
      attempts++;
      const conn = await createTransportConnector(ctx.deps.connector ?? createNetConnector(), ctx.req.transport).connect({
        host: host.name,
        addresses: remaining,
        port: group.port,
        timeoutMs: ctx.timeouts.connectMs,
        staggerMs: ctx.deps.staggerMs,
        signal: ctx.signal,
        onEvent: ctx.emit,
        now: ctx.clock,
      });
      if (!conn.ok && conn.cancelled) return { ...groupFailed(group, 'connect', 'Cancelled while connecting; nothing was sent.'), outcome: 'cancelled' };
      const failed = new Set(conn.failures.map((f) => f.address));
      for (const f of conn.failures) reasons.push(`${host.name} [${f.address}]: ${asClause(f.error)}`);
      if (conn.failures.some((f) => f.code === 'ETIMEDOUT')) timedOut = true;
      if (!conn.ok) break;
      remaining = remaining.filter((a) => a.address !== conn.connection.address && !failed.has(a.address));
      const result = await runConnection(ctx, group, host.name, conn.connection.socket, conn.connection.address, conn.connection.localAddress, hostPolicy ?? (policies ? { kind: 'opportunistic', reason: 'DANE and MTA-STS need a host name.', rfc: 'RFC 7672 §2.2' } : undefined));
      if (!result.tryNext) return result;
      if (result.timedOut) timedOut = true;
      reasons.push(`${host.name} [${conn.connection.address}]: ${asClause(result.reason)}`);
      const next = remaining[0]?.address ?? nextHost;
      ctx.emit({ kind: 'info', level: 'warn', text: joinSentences(result.reason, next ? `Trying ${next} next (RFC 5321 §5.1).` : ''), stage: result.stage });
    }
    if (remaining.length > 0 && attempts >= MAX_ATTEMPTS_PER_GROUP) break;
    if (nextHost) ctx.emit({ kind: 'info', level: 'info', text: `No usable address of ${host.name}; trying the next MX host, ${nextHost}.`, stage: 'connect' });
  }
  const summary = reasons.length > 0 ? reasons.join('; ') : 'no host to try';
  // RFC 5321 §4.5.4.1: connection failures and 4xx greetings are transient — a later attempt may work.
  return groupFailed(group, 'connect', joinSentences(`Could not reach a mail server for ${group.label}: ${summary}`, 'Nothing was sent; this is temporary, try again later.'), { timedOut });
}

async function runConnection(ctx: Ctx, group: DeliveryGroup, hostName: string, socket: import('node:net').Socket, address: string, localAddress: string, hostPolicy?: HostTlsPolicy): Promise<TransactionResult> {
  const { req, timeouts } = ctx;
  const policy = hostPolicy ? connectionPolicy(hostName, hostPolicy, ctx.emit) : undefined;
  const implicit = req.tls === 'implicit' || (req.tls === 'require' && group.port === 465);
  let sock = socket;
  if (req.tlsOptions && req.tls !== 'none') ctx.emit({ kind: 'info', level: 'info', text: describeTlsSetup(hostName, ctx.tlsClient), stage: 'connect' });
  if (implicit) {
    const sni = ctx.tlsClient?.name ?? hostName;
    ctx.emit({ kind: 'tls', phase: 'start', mode: 'implicit', servername: sni });
    const t0 = ctx.clock();
    const res = await upgradeToTls(socket, { hostname: hostName, certPolicy: req.certPolicy, timeoutMs: timeouts.tlsMs, signal: ctx.signal, ca: ctx.deps.tlsCa, mode: 'implicit', port: group.port, client: ctx.tlsClient, authenticate: policy?.authenticate });
    ctx.emit(tlsEvent(res, 'implicit', sni, ctx.clock() - t0));
    if (!res.ok) {
      socket.destroy();
      if (res.cancelled) return { ...groupFailed(group, 'tls', 'Cancelled during the TLS handshake; nothing was sent.'), outcome: 'cancelled' };
      const failed = groupFailed(group, 'tls', res.message, { timedOut: res.timedOut === true });
      return policy ? policy.settle(failed) : failed;
    }
    if (res.info.overridden) ctx.emit({ kind: 'info', level: 'warn', text: `Certificate problem overridden for this run only: ${res.info.verifyError ?? ''}`, stage: 'tls' });
    sock = res.socket;
  }
  const password = ctx.password;
  const auth = req.auth;
  const envelopeUtf8 = hasNonAscii([ctx.mailFrom, ...group.rcpts].join(''));
  const config: DialogConfig = {
    mode: req.mode,
    breakpoints: req.breakpoints ?? [],
    quitAfter: req.quitAfter,
    heloName: req.heloName?.trim() || ctx.deps.heloName || defaultHeloName(localAddress, (ctx.deps.hostname ?? osHostname)()),
    mailFrom: ctx.mailFrom,
    rcptTo: group.rcpts,
    // A stand-in until measuring ends: the conversation swaps in the real facts before MAIL is planned.
    message: { sizeBytes: 0, needs8bit: false, needsSmtpUtf8: false },
    tls: policy ? policy.tlsMode(req.tls) : req.tls,
    implicitTls: implicit,
    auth: auth && password !== undefined ? { user: auth.user, mechanism: auth.mechanism, createClient: (m) => createAuthClient(m, auth.user, password) } : undefined,
    plaintextAuthAllowed: req.allowPlaintextAuthOnLoopback === true && isLoopbackAddress(address),
    pipelining: req.pipelining,
    chunking: req.chunking,
    ...protocolConfig(req.protocol),
  };
  const result = await converse({
    socket: sock,
    secure: implicit,
    hostname: hostName,
    port: group.port,
    config,
    message: ctx.message,
    timeouts,
    certPolicy: req.certPolicy,
    ca: ctx.deps.tlsCa,
    tlsClient: ctx.tlsClient,
    authenticate: policy?.authenticate,
    emit: ctx.emit,
    clock: ctx.clock,
    signal: ctx.signal,
    nextStep: ctx.deps.nextStep,
    readerLimits: ctx.deps.readerLimits,
    messageFacts: ctx.measuring.then((m) =>
      m.ok ? { sizeBytes: m.info.sizeBytes, needs8bit: m.info.needs8bit, needsSmtpUtf8: m.info.needsSmtpUtf8 || envelopeUtf8 } : { sizeBytes: 0, needs8bit: false, needsSmtpUtf8: false, unsendable: m.reason },
    ),
  });
  return policy ? policy.settle(result) : result;
}

/** One outcome for the session: a single group as is; several groups summed up conservatively. */
export function combine(results: { group: DeliveryGroup; result: TransactionResult }[]): TransactionResult {
  if (results.length === 1) return results[0].result;
  const all = results.map((r) => r.result);
  const dotSent = all.some((r) => r.dotSent);
  const reason = joinSentences(...results.map((r) => `${r.group.label}: ${r.result.reason}`));
  const queueId = all
    .map((r) => r.queueId)
    .filter(Boolean)
    .join(', ');
  const recipients = all.flatMap((r) => r.recipients);
  const base = { dotSent, reason, recipients, tryNext: false, timedOut: all.some((r) => r.timedOut), queueId: queueId || undefined };
  const firstNot = all.find((r) => r.outcome !== 'delivered');
  if (all.some((r) => r.outcome === 'cancelled')) return { ...base, outcome: 'cancelled', stage: all.find((r) => r.outcome === 'cancelled')!.stage };
  if (all.some((r) => r.outcome === 'unknown')) return { ...base, outcome: 'unknown', stage: 'body' };
  if (!firstNot) return { ...base, outcome: 'delivered', stage: 'body' };
  // Delivered to some domains and not to others: not "delivered" — someone did not get it.
  return { ...base, outcome: 'not_delivered', stage: firstNot.stage };
}
