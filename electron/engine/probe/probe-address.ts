// One probe of one address of one MX host: connect, banner, EHLO, STARTTLS with the certificate checked
// against the MX host name (SNI = that name), EHLO again over TLS, then QUIT. A probe never sends MAIL FROM
// and opens exactly one connection. Every step is an event, as in a session, and the socket is always closed.
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { SessionEventBody } from '../../../shared/events';
import type { Stage } from '../../../shared/model';
import type { AddressProbe, ConnectFailureKind, ProbeEhlo, ProbePtr } from '../../../shared/probe/types';
import { bannerName } from '../../../shared/probe/banner';
import { parseEhloReply } from '../../../shared/smtp/capabilities';
import { ehlo, helo, quit, starttls, type WireCommand } from '../../../shared/smtp/commands';
import { escapeAndTruncate } from '../../../shared/smtp/escape';
import { explainReply } from '../../../shared/smtp/explain';
import type { SmtpReply } from '../../../shared/smtp/reply-reader';
import { createNetConnector, type Connector } from '../connector';
import { upgradeToTls } from '../tls-upgrade';
import { ReplyChannel, type ReplyWait } from './reply-channel';
import { probeTlsInfo } from './probe-tls';

export interface ProbeTimeouts {
  connectMs: number;
  greetingMs: number;
  commandMs: number;
  tlsMs: number;
  quitMs: number;
}

export const DEFAULT_PROBE_TIMEOUTS: ProbeTimeouts = { connectMs: 5000, greetingMs: 15_000, commandMs: 10_000, tlsMs: 10_000, quitMs: 2000 };

/** One `--timeout-ms` for every stage (QUIT keeps a short grace). */
export function probeTimeouts(ms: number | undefined): ProbeTimeouts {
  if (ms === undefined) return DEFAULT_PROBE_TIMEOUTS;
  return { connectMs: ms, greetingMs: ms, commandMs: ms, tlsMs: ms, quitMs: Math.min(ms, DEFAULT_PROBE_TIMEOUTS.quitMs) };
}

export interface AddressProbeOptions {
  host: string;
  address: string;
  family: 4 | 6;
  port: number;
  tlsMode: 'starttls' | 'implicit';
  timeouts: ProbeTimeouts;
  signal: AbortSignal;
  emit: (e: SessionEventBody) => void;
  /** Milliseconds since the probe stream began (event timings). */
  clock: () => number;
  /** Extra trusted CA certificates (tests' private CA). */
  ca?: string[];
  /** PTR and FCrDNS of the address, looked up while the connection runs. */
  ptr?: Promise<ProbePtr>;
  connector?: Connector;
}

export function connectFailureKind(code: string): ConnectFailureKind {
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ETIMEDOUT':
      return 'filtered';
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'EADDRNOTAVAIL':
    case 'EAFNOSUPPORT':
      return 'unreachable';
    case 'ECONNRESET':
      return 'reset';
    default:
      return 'error';
  }
}

/** RFC 5321 §4.1.4: the client names itself with its FQDN or an address literal; a probe uses the literal. */
function heloName(localAddress: string, family: 4 | 6): string {
  if (!localAddress) return family === 6 ? '[IPv6:::1]' : '[127.0.0.1]';
  const bare = localAddress.replace(/^::ffff:/, '');
  return family === 6 && bare === localAddress ? `[IPv6:${bare}]` : `[${bare}]`;
}

function toEhlo(reply: SmtpReply, ms: number, heloOnly: boolean): ProbeEhlo {
  const c = parseEhloReply(reply);
  return {
    code: reply.code,
    ms: Math.round(ms * 10) / 10,
    keywords: c.keywords.slice(0, 50),
    size: c.size,
    pipelining: c.pipelining,
    chunking: c.chunking,
    eightBitMime: c.eightBitMime,
    smtputf8: c.smtputf8,
    starttls: c.starttls,
    dsn: c.dsn,
    requiretls: c.keywords.includes('REQUIRETLS'),
    auth: c.auth.slice(0, 20),
    name: c.domain ? escapeAndTruncate(c.domain, 255) : undefined,
    heloOnly: heloOnly || undefined,
  };
}

export async function probeAddress(o: AddressProbeOptions): Promise<AddressProbe> {
  const t0 = o.clock();
  const probe: AddressProbe = { host: o.host, address: o.address, family: o.family, port: o.port, tlsMode: o.tlsMode, connect: { ok: false, ms: 0 }, durationMs: 0 };
  o.emit({ kind: 'probe_start', host: o.host, address: o.address, port: o.port, family: o.family, tlsMode: o.tlsMode });
  let channel: ReplyChannel | undefined;
  const stop = (stage: AddressProbe['stoppedAt'], error: string, cancelled = false): void => {
    probe.stoppedAt = stage;
    probe.error = error;
    if (cancelled) probe.cancelled = true;
  };
  try {
    const connected = await (o.connector ?? createNetConnector()).connect({
      host: o.host,
      addresses: [{ address: o.address, family: o.family }],
      port: o.port,
      timeoutMs: o.timeouts.connectMs,
      signal: o.signal,
      onEvent: o.emit,
      now: o.clock,
    });
    probe.connect.ms = Math.round((o.clock() - t0) * 10) / 10;
    if (!connected.ok) {
      const f = connected.failures[0];
      probe.connect.failure = connected.cancelled ? undefined : connectFailureKind(f?.code ?? '');
      probe.connect.error = connected.cancelled ? 'cancelled' : (f?.error ?? 'no connection');
      stop('connect', `Connect to ${o.address} port ${o.port}: ${probe.connect.error}.`, connected.cancelled);
      return probe;
    }
    probe.connect.ok = true;
    let socket = connected.connection.socket;
    const name = heloName(connected.connection.localAddress, o.family);

    if (o.tlsMode === 'implicit') {
      const tls = await startTls(o, socket, probe, 'implicit');
      if (!tls) return probe;
      socket = tls;
    }
    channel = new ReplyChannel(socket, o.clock);
    const ch = channel;
    const connectedAt = o.clock();
    const greeting = await ch.next(o.timeouts.greetingMs, 'greeting', o.signal);
    if (!greeting.ok) {
      if (/reset|closed/.test(greeting.error) && !greeting.timedOut) {
        probe.connect.failure = 'reset';
        probe.connect.error = `${greeting.error} right after connecting, before any greeting`;
      }
      stop('greeting', `Greeting from ${o.host} (${o.address}): ${greeting.error}.`, greeting.cancelled);
      return probe;
    }
    emitReply(o, 'greeting', greeting, connectedAt);
    const text = escapeAndTruncate(greeting.reply.lines.join(' '), 300);
    probe.banner = { code: greeting.reply.code, text, ms: Math.round((greeting.at - connectedAt) * 10) / 10, name: bannerName(greeting.reply.lines[0] ?? '') };
    if (greeting.reply.code !== 220) {
      // RFC 5321 §3.1: 554 in the greeting means no service here; say goodbye politely.
      stop('greeting', `${o.host} (${o.address}) greets with ${greeting.reply.code}: it does not accept mail from this address.`);
      await sayQuit(o, ch);
      return probe;
    }

    const first = await sendEhlo(o, ch, name, 'ehlo');
    if (!first.ok) return (stop('ehlo', first.error, first.cancelled), probe);
    probe.ehlo = first.ehlo;
    if (o.tlsMode === 'implicit' || !first.ehlo.starttls) {
      if (o.tlsMode === 'starttls') probe.starttls = { offered: false };
      await sayQuit(o, ch);
      probe.stoppedAt = 'done';
      return probe;
    }

    const cmd = starttls();
    if (!cmd.ok) throw new Error(cmd.error.message);
    const sentAt = write(o, ch, cmd.value, 'starttls');
    const ready = await ch.next(o.timeouts.commandMs, 'reply to STARTTLS', o.signal);
    if (!ready.ok) return (stop('starttls', `STARTTLS: ${ready.error}.`, ready.cancelled), probe);
    emitReply(o, 'starttls', ready, sentAt);
    probe.starttls = { offered: true, code: ready.reply.code };
    if (ready.reply.code !== 220) {
      probe.starttls.error = `STARTTLS was offered but refused with ${ready.reply.code} ${escapeAndTruncate(ready.reply.lines.join(' '), 120)}`;
      stop('starttls', probe.starttls.error);
      await sayQuit(o, ch);
      return probe;
    }
    ch.detach();
    // RFC 3207 §4.2 / RELIABILITY: bytes after the 220 and before the handshake would be a desync or an injection.
    if (ch.unexpectedBytes > 0) o.emit({ kind: 'info', level: 'warn', stage: 'tls', text: `${ch.unexpectedBytes} unexpected bytes arrived after the STARTTLS 220; they were discarded.` });
    const tls = await startTls(o, socket, probe, 'starttls');
    channel = undefined;
    if (!tls) return probe;
    channel = new ReplyChannel(tls, o.clock);
    const second = await sendEhlo(o, channel, name, 'ehlo');
    if (!second.ok) return (stop('ehlo', `EHLO after TLS: ${second.error}`, second.cancelled), probe);
    probe.ehloTls = second.ehlo;
    await sayQuit(o, channel);
    probe.stoppedAt = 'done';
    return probe;
  } finally {
    channel?.socket.destroy();
    if (o.ptr) {
      probe.ptr = await o.ptr;
      const bn = probe.banner?.name?.toLowerCase();
      if (bn && probe.ptr.status === 'ok') probe.ptr.matchesBanner = probe.ptr.names.some((n) => n.toLowerCase() === bn);
    }
    probe.durationMs = Math.round((o.clock() - t0) * 10) / 10;
    o.emit({ kind: 'probe_result', probe: withoutDer(probe) });
  }
}

/** The event keeps the chain's summaries, not its DER (up to 64 KiB per address): that stays in the report. */
function withoutDer(p: AddressProbe): AddressProbe {
  const tls = p.starttls?.tls;
  if (!tls || tls.chainDer.length === 0) return p;
  return { ...p, starttls: { ...p.starttls!, tls: { ...tls, chainDer: [] } } };
}

function write(o: AddressProbeOptions, ch: ReplyChannel, cmd: WireCommand, stage: Stage): number {
  const at = o.clock();
  o.emit({ kind: 'command', stage, text: cmd.display, pipelined: false, bytes: Buffer.byteLength(cmd.wire) });
  ch.write(cmd.wire);
  return at;
}

function emitReply(o: AddressProbeOptions, stage: Stage, r: Extract<ReplyWait, { ok: true }>, sentAt: number): void {
  o.emit({
    kind: 'reply',
    stage,
    code: r.reply.code,
    enhanced: r.reply.enhanced,
    lines: r.reply.lines.slice(0, 100).map((l) => escapeAndTruncate(l, 512)),
    explanation: explainReply(r.reply.code, r.reply.enhanced, stage),
    timing: { sentAt, firstByteAt: r.firstByteAt, completeAt: r.at },
  });
}

type EhloOutcome = { ok: true; ehlo: ProbeEhlo } | { ok: false; error: string; cancelled?: boolean };

/** EHLO, or HELO when EHLO is refused (RFC 5321 §4.1.4: a 5xx to EHLO means an old server). */
async function sendEhlo(o: AddressProbeOptions, ch: ReplyChannel, name: string, stage: Stage): Promise<EhloOutcome> {
  const cmd = ehlo(name);
  if (!cmd.ok) return { ok: false, error: cmd.error.message };
  const sentAt = write(o, ch, cmd.value, stage);
  const r = await ch.next(o.timeouts.commandMs, 'reply to EHLO', o.signal);
  if (!r.ok) return { ok: false, error: `EHLO: ${r.error}.`, cancelled: r.cancelled };
  emitReply(o, stage, r, sentAt);
  if (r.reply.code === 250) return { ok: true, ehlo: toEhlo(r.reply, r.at - sentAt, false) };
  if (r.reply.code < 500) return { ok: false, error: `EHLO was answered ${r.reply.code} ${escapeAndTruncate(r.reply.lines.join(' '), 120)}.` };
  const h = helo(name);
  if (!h.ok) return { ok: false, error: h.error.message };
  const hSent = write(o, ch, h.value, stage);
  const hr = await ch.next(o.timeouts.commandMs, 'reply to HELO', o.signal);
  if (!hr.ok) return { ok: false, error: `HELO: ${hr.error}.`, cancelled: hr.cancelled };
  emitReply(o, stage, hr, hSent);
  if (hr.reply.code !== 250) return { ok: false, error: `EHLO and HELO were both refused (${hr.reply.code}).` };
  return { ok: true, ehlo: toEhlo({ code: 250, lines: [hr.reply.lines[0] ?? ''] }, hr.at - sentAt, true) };
}

/** QUIT and a short grace for the 221; the probe's findings are already known. */
async function sayQuit(o: AddressProbeOptions, ch: ReplyChannel): Promise<void> {
  const cmd = quit();
  if (!cmd.ok) return;
  const sentAt = write(o, ch, cmd.value, 'quit');
  const r = await ch.next(o.timeouts.quitMs, 'reply to QUIT', o.signal);
  if (r.ok) emitReply(o, 'quit', r, sentAt);
}

/** TLS on the socket; records what it found on the probe. Undefined when the handshake failed (probe stopped). */
async function startTls(o: AddressProbeOptions, socket: Socket, probe: AddressProbe, mode: 'starttls' | 'implicit'): Promise<TLSSocket | undefined> {
  const t = o.clock();
  o.emit({ kind: 'tls', phase: 'start', mode, servername: o.host });
  // A probe records a certificate failure and goes on (it never sends mail), so it asks for the override.
  const res = await upgradeToTls(socket, { hostname: o.host, certPolicy: 'override-once', timeoutMs: o.timeouts.tlsMs, signal: o.signal, ca: o.ca, mode, port: o.port });
  const ms = o.clock() - t;
  probe.starttls ??= { offered: true };
  if (!res.ok) {
    probe.starttls.error = res.message;
    o.emit({ kind: 'tls', phase: 'failed', mode, servername: o.host, cert: res.info?.cert, verified: false, verifyError: res.message, ms });
    probe.stoppedAt = 'tls';
    probe.error = `TLS with ${o.host} (${o.address}): ${res.message}`;
    if (res.cancelled) probe.cancelled = true;
    socket.destroy();
    return undefined;
  }
  const i = res.info;
  probe.starttls.tls = probeTlsInfo(res.socket, i, ms);
  o.emit({ kind: 'tls', phase: 'done', mode, servername: o.host, protocol: i.protocol, cipher: i.cipher, cert: i.cert, verified: i.verified, verifyError: i.verifyError, ms });
  return res.socket;
}
