import type { SessionEvent } from '../events';
import { probeEventText } from '../probe/event-text';
import { escapeForDisplay as esc } from '../smtp/escape';
import { isIpLiteral } from './transport-words';

/**
 * The transcript as swaks prints it, so it reads familiar to people who know swaks: `=== ` for MX Desk's
 * own notes, ` -> ` for what was sent, `<-  ` for what was received, `<** ` for error replies (4xx/5xx)
 * and `*** ` for local errors. Each line starts with the time offset since the session started.
 */

export const MARK = { info: '=== ', sent: ' -> ', received: '<-  ', errorReply: '<** ', error: '*** ' } as const;

function offset(ms: number): string {
  return `[${(ms / 1000).toFixed(3).padStart(8)}s]`;
}

function replyLines(code: number, enhanced: string | undefined, lines: string[]): string[] {
  const list = lines.length > 0 ? lines : [''];
  return list.map((text, i) => {
    const withCode = i === 0 && enhanced && !text.startsWith(enhanced) ? `${enhanced} ${text}` : text;
    const sep = i === list.length - 1 ? ' ' : '-';
    return `${code}${sep}${esc(withCode)}`;
  });
}

/** One event → its transcript lines, each with its marker (without the time prefix). */
export function eventLines(e: SessionEvent): string[] {
  const I = MARK.info;
  switch (e.kind) {
    case 'session_start':
      return [`${I}Session started ${esc(e.startedAt)} (${e.mode}): target ${esc(e.target)}`, `${I}Envelope: MAIL FROM:<${esc(e.envelope.mailFrom)}> RCPT TO: ${e.envelope.rcptTo.map((r) => `<${esc(r)}>`).join(', ')}`];
    case 'dns':
      return [`${I}DNS ${e.query.type} ${esc(e.query.name)}: ${e.query.status} in ${Math.round(e.query.ms)} ms via ${esc(e.query.resolver)}${e.query.detail ? ` (${esc(e.query.detail)})` : ''}`];
    case 'mx_plan': {
      const hosts = e.report.hosts.map((h) => `${h.preference} ${esc(h.exchange)}`).join(', ');
      return [`${I}MX plan for ${esc(e.domain)}: ${esc(e.report.summary)}${hosts ? ` [${hosts}]` : ''}`];
    }
    case 'connect_attempt':
      return [`${I}Trying ${esc(e.host)} [${esc(e.address)}]:${e.port}...`];
    case 'connect_result':
      return e.ok
        ? [`${I}Connected to ${esc(e.host)} [${esc(e.address)}]:${e.port} in ${Math.round(e.ms)} ms.`]
        : [`${MARK.error}Could not connect to ${esc(e.host)} [${esc(e.address)}]:${e.port}: ${esc(e.error ?? 'failed')} (${Math.round(e.ms)} ms)${e.next ? `; next: ${esc(e.next)}` : ''}`];
    case 'tls':
      return tlsLines(e);
    case 'command':
      return [`${MARK.sent}${esc(e.text)}`];
    case 'reply': {
      const mark = e.code >= 400 ? MARK.errorReply : MARK.received;
      const lines = replyLines(e.code, e.enhanced, e.lines).map((l) => `${mark}${l}`);
      return e.code >= 400 && e.explanation ? [...lines, `${I}${esc(e.explanation)}`] : lines;
    }
    case 'data_body': {
      const head = `${I}Message body: ${e.bytes} bytes, ${e.lines} lines, sent with ${e.method}${e.truncated ? ' (preview shortened)' : ''}`;
      const preview = e.preview === '' ? [] : e.preview.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n').map((l) => `${MARK.sent}${esc(l)}`);
      return [head, ...preview];
    }
    case 'info':
      return [`${e.level === 'error' ? MARK.error : I}${e.level === 'warn' ? 'Warning: ' : ''}${esc(e.text)}`];
    case 'recipient':
      return [`${I}Recipient <${esc(e.rcpt)}> ${e.accepted ? 'accepted' : 'refused'} (${e.code} ${esc(e.text)})`];
    case 'step_prompt':
      return [`${I}Step mode: waiting for ${esc(e.waitingFor)}; suggested: ${esc(e.suggestion)}`];
    case 'wait':
      return [];
    case 'probe_start':
    case 'probe_result':
      return [`${I}${esc(probeEventText(e))}`];
    case 'check_start':
      return [`${I}Check of ${e.check === 'relay' ? 'relay ' : ''}${esc(e.target)} started ${esc(e.startedAt)}${e.port !== undefined ? ` (port ${e.port})` : ''}`];
    case 'check_end':
      return [`${e.result.verdict === 'error' ? MARK.error : I}Check verdict: ${esc(e.result.summary)} (${e.result.hostsPassed} of ${e.result.hostsTotal} hosts pass) after ${(e.result.durationMs / 1000).toFixed(3)} s`];
    case 'outcome': {
      const what =
        e.outcome === 'delivered'
          ? `delivered${e.queueId ? `, queue id ${esc(e.queueId)}` : ''}`
          : e.outcome === 'not_delivered'
            ? 'not delivered'
            : e.outcome === 'unknown'
              ? 'outcome unknown: the final dot was sent but no final reply arrived; do not resend blindly'
              : `cancelled${e.dotSent ? ' after the final dot was sent (it may have been delivered)' : ''}`;
      return [`${e.outcome === 'delivered' ? I : MARK.error}Outcome: ${what} (stage ${e.stage}: ${esc(e.reason)}) after ${(e.durationMs / 1000).toFixed(3)} s`];
    }
  }
}

function tlsLines(e: Extract<SessionEvent, { kind: 'tls' }>): string[] {
  const I = MARK.info;
  // RFC 6066 §3: the engine never sends an IP literal as SNI, so the transcript does not claim it did.
  if (e.phase === 'start') return [`${I}Starting TLS (${e.mode}), ${isIpLiteral(e.servername) ? `no SNI (verifying against the IP address ${esc(e.servername)})` : `SNI ${esc(e.servername)}`}`];
  if (e.phase === 'failed') return [`${MARK.error}TLS failed (${e.mode}, ${esc(e.servername)}): ${esc(e.verifyError ?? 'handshake error')}`];
  const out = [`${I}TLS started: ${esc(e.protocol ?? '?')} ${esc(e.cipher ?? '')}${e.ms !== undefined ? ` in ${Math.round(e.ms)} ms` : ''}`.trimEnd()];
  if (e.cert) {
    out.push(`${I}Certificate: subject ${esc(e.cert.subject)}, issuer ${esc(e.cert.issuer)}, valid ${esc(e.cert.validFrom)} to ${esc(e.cert.validTo)}${e.cert.selfSigned ? ', self-signed' : ''}`);
    if (e.cert.subjectAltNames.length) out.push(`${I}Certificate names: ${e.cert.subjectAltNames.map(esc).join(', ')}`);
    out.push(`${I}SHA-256 fingerprint ${esc(e.cert.fingerprint256)}`);
  }
  if (e.verified !== undefined) {
    const v = e.verified ? `verified for ${esc(e.servername)}` : `NOT verified for ${esc(e.servername)}: ${esc(e.verifyError ?? 'unknown reason')}`;
    out.push(`${e.verified ? I : MARK.error}Certificate ${v}${e.overridden ? ' (overridden for this run)' : ''}`);
  }
  return out;
}

export function transcriptText(events: SessionEvent[], opts: { title?: string } = {}): string {
  const out: string[] = [];
  if (opts.title) out.push(`${MARK.info}${esc(opts.title)}`);
  for (const e of events) {
    const prefix = offset(e.at);
    for (const line of eventLines(e)) out.push(`${prefix} ${line}`);
  }
  return `${out.join('\n')}\n`;
}
