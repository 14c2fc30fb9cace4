/**
 * Turns one engine SessionEvent into one log row. Pure: no React, no DOM. The renderer never parses SMTP:
 * every field shown comes from a typed event (code, enhanced code, lines, explanation, timings).
 * Text is kept raw here; it is escaped when shown (EscapedText) and when copied (formatRowForCopy).
 */
import type { CertSummary, SessionEvent } from '../../shared/events';
import { isIpLiteral } from '../../shared/ip-address';
import type { Stage } from '../../shared/model';
import { probeEventText } from '../../shared/probe/event-text';
import { checkEventText } from '../../shared/probe/check-record';

export type Direction = 'client' | 'server' | 'dns' | 'tls' | 'info';
export type RowLevel = 'normal' | 'ok' | 'warn' | 'error';
/** Reply code class (RFC 5321 §4.2.1): 2yz done, 3yz go on, 4yz try later, 5yz refused. */
export type CodeClass = 'ok' | 'more' | 'transient' | 'permanent' | 'invalid';

export interface LogRow {
  /** Index in the session's row list (stable, for keys and selection). */
  index: number;
  seq: number;
  /** Milliseconds since the session started. */
  at: number;
  direction: Direction;
  level: RowLevel;
  stage?: Stage;
  /** The row's text; several lines for a multi-line reply or a certificate. Raw, escape when shown. */
  lines: string[];
  code?: number;
  codeClass?: CodeClass;
  enhanced?: string;
  explanation?: string;
  /** How long this step took: reply complete minus command sent, or the connect / TLS / DNS time. */
  latencyMs?: number;
  /** Sent in one flight with other commands (RFC 2920). */
  pipelined?: boolean;
  /** For a reply that ended a wait: how long it was waited for, of the deadline (the wait has no row). */
  waited?: { ms: number; deadlineMs: number };
  /** The DATA body: shown collapsed as one row. */
  body?: { bytes: number; lines: number; preview: string; previewLines: string[]; truncated: boolean; method: 'DATA' | 'BDAT' };
  event: SessionEvent;
}

export function codeClass(code: number): CodeClass {
  const first = Math.floor(code / 100);
  if (first === 2) return 'ok';
  if (first === 3) return 'more';
  if (first === 4) return 'transient';
  if (first === 5) return 'permanent';
  return 'invalid';
}

export function certLines(cert: CertSummary): string[] {
  return [
    `subject: ${cert.subject}${cert.selfSigned ? ' (self-signed)' : ''}`,
    `names: ${cert.subjectAltNames.join(', ') || '(none)'}`,
    `issuer: ${cert.issuer}`,
    `valid: ${cert.validFrom} to ${cert.validTo}`,
    `SHA-256: ${cert.fingerprint256}`,
  ];
}

function kib(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KiB`;
}

function base(e: SessionEvent, index: number): Pick<LogRow, 'index' | 'seq' | 'at' | 'event'> {
  return { index, seq: e.seq, at: e.at, event: e };
}

/** Context the row builder needs from earlier events (for latencies that the event does not carry). */
export interface RowContext {
  /** `at` of the last successful connect or TLS handshake: the greeting's latency is counted from it. */
  lastConnectAt?: number;
}

/** Every event but a wait makes a row: a wait shows live under the log, then folds into its reply. */
export type RowEvent = Exclude<SessionEvent, { kind: 'wait' }>;

export function eventToRow(e: RowEvent, index: number, ctx: RowContext): LogRow {
  const b = base(e, index);
  switch (e.kind) {
    case 'session_start':
      return {
        ...b,
        direction: 'info',
        level: 'normal',
        lines: [
          `Session started (${e.mode === 'step' ? 'step mode' : 'automatic'}) to ${e.target}`,
          `envelope: MAIL FROM:<${e.envelope.mailFrom}>  RCPT TO: ${e.envelope.rcptTo.map((r) => `<${r}>`).join(' ') || '(none)'}`,
        ],
      };
    case 'dns': {
      const q = e.query;
      const failed = q.status !== 'ok' && q.status !== 'nodata';
      return {
        ...b,
        direction: 'dns',
        stage: 'dns',
        level: failed ? 'warn' : 'normal',
        lines: [`${q.type} ${q.name}: ${q.status}${q.detail ? ` (${q.detail})` : ''} via ${q.resolver}`],
        latencyMs: q.ms,
      };
    }
    case 'mx_plan': {
      const hosts = e.report.hosts.map((h) => `${h.exchange} (${h.implicit ? 'implicit' : h.preference})`);
      return {
        ...b,
        direction: 'dns',
        stage: 'dns',
        level: e.report.verdict === 'mx' || e.report.verdict === 'implicit_mx' ? 'normal' : 'warn',
        lines: [`MX plan for ${e.domain}: ${hosts.join(', ') || 'no hosts'}`, e.report.summary],
      };
    }
    case 'connect_attempt':
      return {
        ...b,
        direction: 'info',
        stage: 'connect',
        level: 'normal',
        lines: [`Connecting to ${e.host} [${e.address}]:${e.port} (IPv${e.family})`],
      };
    case 'connect_result':
      return {
        ...b,
        direction: 'info',
        stage: 'connect',
        level: e.ok ? 'normal' : 'warn',
        latencyMs: e.ms,
        lines: e.ok
          ? [`Connected to ${e.host} [${e.address}]:${e.port}`]
          : [`Could not connect to ${e.host} [${e.address}]:${e.port}: ${e.error ?? 'failed'}${e.next ? `; next: ${e.next}` : ''}`],
      };
    case 'tls': {
      const what = e.mode === 'implicit' ? 'Implicit TLS' : 'STARTTLS';
      if (e.phase === 'start') {
        return { ...b, direction: 'tls', stage: 'tls', level: 'normal', lines: [`${what} handshake, ${isIpLiteral(e.servername) ? `no SNI (RFC 6066 §3), verifying against ${e.servername}` : `SNI ${e.servername}`}`] };
      }
      const cert = e.cert ? certLines(e.cert) : [];
      if (e.phase === 'failed') {
        return {
          ...b,
          direction: 'tls',
          stage: 'tls',
          level: 'error',
          latencyMs: e.ms,
          lines: [`${what} failed: ${e.verifyError ?? 'handshake error'}`, ...cert],
        };
      }
      const verdict = e.verified
        ? 'certificate verified'
        : e.overridden
          ? `certificate NOT verified (${e.verifyError ?? 'unknown reason'}), accepted for this run only`
          : `certificate NOT verified (${e.verifyError ?? 'unknown reason'})`;
      return {
        ...b,
        direction: 'tls',
        stage: 'tls',
        level: e.verified ? 'ok' : 'warn',
        latencyMs: e.ms,
        lines: [`${what} up: ${e.protocol ?? '?'} ${e.cipher ?? ''}, ${verdict}`.replace(/ ,/, ','), ...cert],
      };
    }
    case 'command':
      return { ...b, direction: 'client', stage: e.stage, level: 'normal', lines: [e.text], pipelined: e.pipelined };
    case 'reply': {
      const from = e.timing.sentAt ?? ctx.lastConnectAt;
      const cls = codeClass(e.code);
      return {
        ...b,
        direction: 'server',
        stage: e.stage,
        level: cls === 'ok' || cls === 'more' ? 'normal' : cls === 'transient' ? 'warn' : 'error',
        lines: e.lines.length > 0 ? e.lines : [''],
        code: e.code,
        codeClass: cls,
        enhanced: e.enhanced,
        explanation: e.explanation,
        latencyMs: from === undefined ? undefined : Math.max(0, e.timing.completeAt - from),
      };
    }
    case 'data_body':
      return {
        ...b,
        direction: 'client',
        stage: 'body',
        level: 'normal',
        lines: [`message body via ${e.method}: ${e.lines} lines, ${kib(e.bytes)}${e.truncated ? ' (preview truncated)' : ''}`],
        body: { bytes: e.bytes, lines: e.lines, preview: e.preview, previewLines: e.preview.split(/\r?\n/), truncated: e.truncated, method: e.method },
      };
    case 'probe_start':
    case 'probe_result':
      return { ...b, direction: 'info', level: 'normal', lines: [probeEventText(e)] };
    case 'check_start':
    case 'check_end':
      return { ...b, direction: 'info', level: 'normal', lines: [checkEventText(e)] };
    case 'info':
      return { ...b, direction: 'info', stage: e.stage, level: e.level === 'info' ? 'normal' : e.level, lines: [e.text] };
    case 'recipient':
      return {
        ...b,
        direction: 'info',
        stage: 'rcpt',
        level: e.accepted ? 'ok' : 'error',
        lines: [`Recipient <${e.rcpt}> ${e.accepted ? 'accepted' : 'refused'}: ${e.code} ${e.text}`],
      };
    case 'step_prompt':
      return {
        ...b,
        direction: 'info',
        stage: e.stage,
        level: 'normal',
        lines: [`Step mode: waiting for ${e.waitingFor === 'data-body' ? 'you to send the message body' : 'your command'}${e.suggestion ? `; suggested: ${e.suggestion}` : ''}`],
      };
    case 'outcome':
      return {
        ...b,
        direction: 'info',
        stage: e.stage,
        // Same tones as the banner: an unknown outcome is a warning (do not resend blindly), not a failure.
        level: e.outcome === 'delivered' ? 'ok' : e.outcome === 'cancelled' || e.outcome === 'unknown' ? 'warn' : 'error',
        lines: [`Outcome: ${e.outcome.replace('_', ' ')}${e.queueId ? `, queue id ${e.queueId}` : ''} (${e.stage}): ${e.reason}`],
        latencyMs: e.durationMs,
      };
  }
}

/** A generic success (`2.0.0`, `2.1.0`) says nothing the code doesn't; its words stay in the badge's tooltip. */
export function showsEnhancedWords(row: LogRow): boolean {
  if (!row.enhanced) return false;
  if (row.codeClass === 'transient' || row.codeClass === 'permanent') return true;
  return !/\.0$/.test(row.enhanced);
}

export function hasExplainLine(row: LogRow): boolean {
  return Boolean(row.explanation) || showsEnhancedWords(row);
}

/** Text lines a row occupies on screen (lines never wrap: the log scrolls sideways, like a terminal). */
export function rowLineCount(row: LogRow, expanded: boolean): number {
  let n = row.lines.length + (hasExplainLine(row) ? 1 : 0);
  if (row.body) n += 1 + (expanded ? row.body.previewLines.length + (row.body.truncated ? 1 : 0) : 0);
  return n;
}

export function formatSeconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  return `${Math.floor(ms / 60_000)} min ${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')} s`;
}

/** `+1.234` for offsets under a minute, `+1:02.345` above. */
export function formatOffset(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `+${s.toFixed(3)}`;
  const m = Math.floor(s / 60);
  return `+${m}:${(s - m * 60).toFixed(3).padStart(6, '0')}`;
}

export function formatLatency(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}
