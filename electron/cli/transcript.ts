// Human output for `mxdesk send`: a transcript in the style of swaks. Markers: `=== ` info, ` -> ` sent,
// `<-  ` received, `<** ` error (a failure, a 4xx/5xx reply, or a refused recipient). Replies carry the time
// from the command that asked for them to the complete reply; connects and TLS carry their own durations.
import type { SessionEvent, SessionEventBody } from '../../shared/events';
import { probeEventText } from '../../shared/probe/event-text';
import { checkEventText } from '../../shared/probe/check-record';

// Server text should already arrive escaped from the engine; this is the terminal's own last line of
// defence against escape sequences (a raw ESC could rewrite the user's screen).
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
export function terminalSafe(text: string): string {
  return text.replace(RAW_CONTROL, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

const ms = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(1)} ms`);

const INFO = '=== ';
const SENT = ' -> ';
const RECV = '<-  ';
const ERR = '<** ';

const OUTCOME_WORDS: Record<string, string> = {
  delivered: 'delivered',
  not_delivered: 'NOT delivered',
  unknown: 'outcome UNKNOWN',
  cancelled: 'cancelled',
};

/** The transcript lines for one event (possibly none). */
export function formatEvent(e: SessionEvent | SessionEventBody): string[] {
  const safe = terminalSafe;
  switch (e.kind) {
    case 'session_start':
      return [`${INFO}MX Desk session (${e.mode}) to ${safe(e.target)}: MAIL FROM:<${safe(e.envelope.mailFrom)}>, ${e.envelope.rcptTo.length} recipient(s)`];
    case 'dns': {
      const q = e.query;
      const line = `DNS ${q.type} ${safe(q.name)}: ${q.status}${q.detail ? ` (${safe(q.detail)})` : ''} via ${safe(q.resolver)}, ${ms(q.ms)}`;
      return [`${q.status === 'ok' || q.status === 'nodata' ? INFO : ERR}${line}`];
    }
    case 'mx_plan': {
      const r = e.report;
      const out = [`${INFO}MX plan for ${safe(e.domain)}: ${safe(r.summary)}`];
      for (const h of r.hosts) out.push(`${INFO}  ${String(h.preference).padStart(5)}  ${safe(h.exchange)}  ${h.addresses.map((a) => a.address).join(' ')}`);
      return out;
    }
    case 'connect_attempt':
      return [`${INFO}Trying ${safe(e.host)} [${safe(e.address)}]:${e.port}…`];
    case 'connect_result':
      return e.ok
        ? [`${INFO}Connected to ${safe(e.host)} [${safe(e.address)}]:${e.port} in ${ms(e.ms)}`]
        : [`${ERR}Could not connect to ${safe(e.host)} [${safe(e.address)}]:${e.port} after ${ms(e.ms)}: ${safe(e.error ?? 'failed')}${e.next ? `; next: ${safe(e.next)}` : ''}`];
    case 'tls':
      return formatTls(e);
    case 'command':
      return [`${SENT}${safe(e.text)}`];
    case 'reply': {
      const marker = e.code >= 400 ? ERR : RECV;
      const took = e.timing.sentAt !== undefined ? `  (${ms(e.timing.completeAt - e.timing.sentAt)})` : '';
      const lines = e.lines.length > 0 ? e.lines : [''];
      return lines.map((l, i) => {
        const sep = i === lines.length - 1 ? ' ' : '-';
        const text = i === 0 && e.enhanced && !l.startsWith(e.enhanced) ? `${e.enhanced} ${l}` : l;
        return `${marker}${e.code}${sep}${safe(text)}${i === lines.length - 1 ? took : ''}`;
      });
    }
    case 'data_body': {
      const head = `${SENT}<message body: ${e.bytes} bytes, ${e.lines} lines, sent with ${e.method}>`;
      const preview = e.preview === '' ? [] : e.preview.split(/\r?\n/).map((l) => `${SENT}${safe(l)}`);
      return [...preview, ...(e.truncated ? [`${SENT}<… preview truncated …>`] : []), head];
    }
    case 'probe_start':
    case 'probe_result':
      return [`${INFO}${safe(probeEventText(e))}`];
    case 'check_start':
    case 'check_end':
      return [`${INFO}${safe(checkEventText(e))}`];
    case 'info':
      return [`${e.level === 'error' ? ERR : INFO}${e.level === 'warn' ? 'warning: ' : ''}${safe(e.text)}`];
    case 'recipient':
      return e.accepted ? [] : [`${ERR}recipient <${safe(e.rcpt)}> refused: ${e.code} ${safe(e.text)}`];
    case 'step_prompt':
      return [`${INFO}next: ${safe(e.suggestion)} (waiting for ${safe(e.waitingFor)})`];
    case 'wait':
      return [];
    case 'outcome': {
      const words = OUTCOME_WORDS[e.outcome] ?? e.outcome;
      const queue = e.queueId ? ` (queue id ${safe(e.queueId)})` : '';
      const marker = e.outcome === 'delivered' ? INFO : ERR;
      return [`${marker}${words}${queue} at stage ${e.stage} after ${ms(e.durationMs)}: ${safe(e.reason)}`];
    }
  }
}

function formatTls(e: Extract<SessionEventBody, { kind: 'tls' }>): string[] {
  const safe = terminalSafe;
  if (e.phase === 'start') return [`${INFO}Starting TLS (${e.mode}), SNI ${safe(e.servername)}…`];
  if (e.phase === 'failed') return [`${ERR}TLS failed with ${safe(e.servername)}: ${safe(e.verifyError ?? 'handshake failed')}`];
  const out = [`${INFO}TLS started: ${safe(e.protocol ?? '?')}, ${safe(e.cipher ?? '?')}${e.ms !== undefined ? ` in ${ms(e.ms)}` : ''}`];
  if (e.cert) {
    const c = e.cert;
    out.push(`${INFO}  subject ${safe(c.subject)}; SANs ${c.subjectAltNames.map(safe).join(', ') || 'none'}`);
    out.push(`${INFO}  issuer ${safe(c.issuer)}${c.selfSigned ? ' (self-signed)' : ''}; valid ${safe(c.validFrom)} to ${safe(c.validTo)}`);
    out.push(`${INFO}  SHA-256 ${safe(c.fingerprint256)}`);
  }
  if (e.verified) out.push(`${INFO}  certificate verified for ${safe(e.servername)}`);
  else out.push(`${e.overridden ? INFO : ERR}  certificate NOT verified: ${safe(e.verifyError ?? 'unknown reason')}${e.overridden ? ' (overridden for this run with --insecure)' : ''}`);
  return out;
}
