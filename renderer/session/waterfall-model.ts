/**
 * The waterfall: every exchange of a session on one time axis. Pure; a fold over the same rows as the log.
 *
 * Each reply carries three times from the engine: when its command (or flight) was written, its first byte
 * and its completion. The TCP handshake takes one network round trip, so the fastest connect is our RTT
 * estimate. For each exchange, (first byte - sent) minus one RTT is what the server spent thinking. A long
 * think time is the server's doing, not the network's, and is named: a greet delay before the banner, a
 * tarpit after a command.
 */
import type { SessionEvent } from '../../shared/events';
import type { Stage } from '../../shared/model';
import type { LogRow } from './log-rows';

export type Phase = 'dns' | 'connect' | 'banner' | 'ehlo' | 'starttls' | 'handshake' | 'auth' | 'envelope' | 'data' | 'quit' | 'other';
export type SegmentKind = 'dns' | 'connect' | 'network' | 'server' | 'transfer' | 'tls' | 'failed';

export interface Segment {
  kind: SegmentKind;
  start: number;
  end: number;
}

export interface WaterfallBar {
  id: number;
  phase: Phase;
  label: string;
  start: number;
  end: number;
  segments: Segment[];
  /** Server think time (first byte - sent - RTT), for exchanges. */
  thinkMs?: number;
  /** Network time attributed to this exchange (one RTT, or less when the reply came sooner). */
  networkMs?: number;
  /** A named slowness: the server, not the network. */
  flag?: 'greet-delay' | 'tarpit' | 'failed';
  note?: string;
  code?: number;
}

export interface Waterfall {
  bars: WaterfallBar[];
  start: number;
  end: number;
  rttMs?: number;
  rttSource?: string;
  /** `delay`: the server, not the network, was slow; `rtt`: how the round trip was estimated. */
  notes: Array<{ kind: 'delay' | 'rtt'; text: string }>;
  /** Exchanges left out beyond the bar cap. */
  omitted: number;
}

export const PHASE_LABEL: Record<Phase, string> = {
  dns: 'DNS',
  connect: 'connect',
  banner: 'banner',
  ehlo: 'EHLO',
  starttls: 'STARTTLS',
  handshake: 'TLS',
  auth: 'AUTH',
  envelope: 'envelope',
  data: 'data',
  quit: 'QUIT',
  other: 'other',
};

export function phaseOfStage(stage: Stage): Phase {
  switch (stage) {
    case 'dns':
      return 'dns';
    case 'connect':
      return 'connect';
    case 'greeting':
      return 'banner';
    case 'ehlo':
      return 'ehlo';
    case 'starttls':
      return 'starttls';
    case 'tls':
      return 'handshake';
    case 'auth':
      return 'auth';
    case 'mail':
    case 'rcpt':
      return 'envelope';
    case 'data':
    case 'body':
      return 'data';
    case 'quit':
      return 'quit';
  }
}

/** Think time above this, and above 5 RTTs, is named as the server's delay (greet pauses start around here). */
export const SLOW_SERVER_MS = 500;
const MAX_BARS = 400;

/**
 * The network round trip. A TCP handshake is one RTT end to end, and the fastest command reply is an RTT plus
 * (usually near zero) server time. When the two agree, the connect time is used. When the connect was much
 * faster than any reply, something near us completed the handshake (a proxy or a load balancer), or the
 * server is slow on every command; the fastest reply is then the better estimate, and that is said.
 */
export function estimateRtt(events: readonly SessionEvent[]): { rttMs?: number; source?: string; note?: string } {
  let connect: number | undefined;
  let reply: number | undefined;
  for (const e of events) {
    if (e.kind === 'connect_result' && e.ok && (connect === undefined || e.ms < connect)) connect = e.ms;
    if (e.kind === 'reply' && e.stage !== 'greeting' && e.timing.sentAt !== undefined) {
      const rt = Math.max(0, e.timing.firstByteAt - e.timing.sentAt);
      if (reply === undefined || rt < reply) reply = rt;
    }
  }
  if (connect !== undefined && (reply === undefined || connect >= reply / 2)) return { rttMs: connect, source: 'fastest TCP connect' };
  if (reply !== undefined) {
    const note =
      connect !== undefined && reply > 5
        ? `TCP connected in ${ms(connect)} but no reply came faster than ${ms(reply)}: a proxy near this machine, or a server slow on every command.`
        : undefined;
    return { rttMs: reply, source: 'fastest reply, an upper bound', note };
  }
  return {};
}

interface Pending {
  text: string;
  stage: Stage;
}

export function buildWaterfall(rows: readonly LogRow[], count = rows.length): Waterfall {
  const events = rows.slice(0, count).map((r) => r.event);
  const { rttMs, source, note } = estimateRtt(events);
  const rtt = rttMs ?? 0;
  const bars: WaterfallBar[] = [];
  const notes: Waterfall['notes'] = [];
  let omitted = 0;
  const pending: Pending[] = [];
  const attempts = new Map<string, number>();
  let tlsStart: number | undefined;
  let connectedAt: number | undefined;
  const push = (bar: Omit<WaterfallBar, 'id'>) => {
    if (bars.length >= MAX_BARS) omitted++;
    else bars.push({ ...bar, id: bars.length });
  };

  for (const e of events) {
    switch (e.kind) {
      case 'dns': {
        const start = Math.max(0, e.at - e.query.ms);
        push({ phase: 'dns', label: `${e.query.type} ${e.query.name}`, start, end: e.at, segments: [{ kind: e.query.status === 'ok' || e.query.status === 'nodata' ? 'dns' : 'failed', start, end: e.at }] });
        break;
      }
      case 'connect_attempt':
        attempts.set(`${e.address}|${e.port}`, e.at);
        break;
      case 'connect_result': {
        const start = attempts.get(`${e.address}|${e.port}`) ?? Math.max(0, e.at - e.ms);
        attempts.delete(`${e.address}|${e.port}`);
        push({
          phase: 'connect',
          label: `${e.host} [${e.address}]:${e.port}`,
          start,
          end: e.at,
          segments: [{ kind: e.ok ? 'connect' : 'failed', start, end: e.at }],
          flag: e.ok ? undefined : 'failed',
          note: e.ok ? undefined : e.error,
        });
        if (e.ok) connectedAt = e.at;
        break;
      }
      case 'tls':
        if (e.phase === 'start') tlsStart = e.at;
        else {
          const start = tlsStart ?? e.at - (e.ms ?? 0);
          push({
            phase: 'handshake',
            label: `${e.mode === 'implicit' ? 'implicit TLS' : 'TLS'} ${e.protocol ?? ''}`.trim(),
            start,
            end: e.at,
            segments: [{ kind: e.phase === 'done' ? 'tls' : 'failed', start, end: e.at }],
            flag: e.phase === 'failed' ? 'failed' : undefined,
            note: e.phase === 'failed' ? e.verifyError : undefined,
          });
          tlsStart = undefined;
          // Implicit TLS: the banner comes after the handshake, so the greeting is timed from here.
          if (e.phase === 'done') connectedAt = e.at;
        }
        break;
      case 'command':
        pending.push({ text: e.text, stage: e.stage });
        break;
      case 'data_body':
        // After DATA's 354 the body is its own exchange (answered by the final reply); a BDAT chunk travels
        // with its command, whose reply answers both.
        if (e.method === 'DATA') pending.push({ text: `message body (${e.bytes} bytes)`, stage: 'body' });
        break;
      case 'reply':
        push(exchangeBar(e, e.stage === 'greeting' ? undefined : takePending(pending, e.stage), connectedAt, rtt));
        break;
      default:
        break;
    }
  }

  if (note) notes.push({ kind: 'rtt', text: note });
  for (const b of bars) {
    if (b.flag === 'greet-delay') notes.push({ kind: 'delay', text: `The server waited ${ms(b.thinkMs)} before its banner: a greet delay (or tarpit), not the network.` });
    if (b.flag === 'tarpit') notes.push({ kind: 'delay', text: `“${b.label}” took ${ms(b.thinkMs)} of server time: the server is slow or tarpitting, not the network.` });
  }
  const start = bars.reduce((m, b) => Math.min(m, b.start), bars.length ? Infinity : 0);
  const end = bars.reduce((m, b) => Math.max(m, b.end), start);
  return { bars, start, end, rttMs, rttSource: source, notes, omitted };
}

/** Replies come in command order (RFC 2920 §3.1); the stage guards against a command the engine did not report. */
function takePending(pending: Pending[], stage: Stage): Pending | undefined {
  const i = pending.findIndex((p) => p.stage === stage);
  return pending.splice(i >= 0 ? i : 0, 1)[0];
}

function ms(v: number | undefined): string {
  if (v === undefined) return '?';
  return v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
}

function exchangeBar(e: Extract<SessionEvent, { kind: 'reply' }>, cmd: Pending | undefined, connectedAt: number | undefined, rtt: number): Omit<WaterfallBar, 'id'> {
  const greeting = e.stage === 'greeting';
  const sent = e.timing.sentAt ?? (greeting ? connectedAt : undefined) ?? e.timing.firstByteAt;
  const first = Math.max(sent, e.timing.firstByteAt);
  const done = Math.max(first, e.timing.completeAt);
  const wait = first - sent;
  const network = Math.min(rtt, wait);
  const think = Math.max(0, wait - network);
  const half = network / 2;
  const segments: Segment[] = [];
  if (half > 0) segments.push({ kind: 'network', start: sent, end: sent + half });
  if (think > 0) segments.push({ kind: 'server', start: sent + half, end: first - half });
  if (half > 0) segments.push({ kind: 'network', start: first - half, end: first });
  if (done > first) segments.push({ kind: 'transfer', start: first, end: done });
  const slow = think >= SLOW_SERVER_MS && think >= 5 * rtt;
  const stage: Stage = cmd && !greeting ? (cmd.stage === 'body' ? 'body' : e.stage) : e.stage;
  return {
    phase: phaseOfStage(stage),
    label: greeting ? 'banner' : (cmd?.text ?? e.stage),
    start: sent,
    end: done,
    segments,
    thinkMs: think,
    networkMs: network,
    flag: slow ? (greeting ? 'greet-delay' : 'tarpit') : undefined,
    code: e.code,
  };
}
