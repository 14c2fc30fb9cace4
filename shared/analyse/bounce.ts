import { describeEnhancedCode } from '../smtp/explain';
import { adviceFor, enhancedCodeIn, replyCodeIn, STAGE_WORDS, stageOf } from './bounce-words';
import { detectFormat, inlineOriginalHeaders, reportingMtaInText, textRecipients, type TextRecipient } from './bounce-text';
import { parseDsnFields, typedValue } from './dsn-fields';
import type { HeaderField } from './header-block';
import { headerValues, readHeaderBlock, shown } from './header-block';
import type { BounceRecipient, BounceReport } from './types';

/** The pieces of a bounce, as the MIME parser found them. */
export interface BounceParts {
  headers: HeaderField[];
  /** The human-readable part (text/plain, or text/html reduced to text). */
  humanText: string;
  /** The body of the message/delivery-status part (RFC 3464 §2), when there is one. */
  deliveryStatus?: string;
  /** The header section of the returned message (text/rfc822-headers or message/rfc822). */
  originalHeaders?: string;
}

const MAX_RECIPIENTS = 100;

/** RFC 3462 / RFC 6522 report, a mailer-daemon sender, or a subject and text that read like a bounce. */
export function looksLikeBounce(headers: HeaderField[], text: string): boolean {
  const type = headerValues(headers, 'content-type').join(' ');
  if (/multipart\/report/i.test(type) && /report-type\s*=\s*"?delivery-status/i.test(type)) return true;
  if (headerValues(headers, 'x-failed-recipients').length > 0) return true;
  const from = headerValues(headers, 'from').join(' ');
  const subject = headerValues(headers, 'subject').join(' ');
  const daemon = /mailer-daemon|postmaster|mail delivery (?:system|subsystem)/i.test(from);
  const bouncy = /undeliver|delivery status notification|failure notice|returned mail|delivery (?:has )?failed|non-?delivery|could not be delivered|couldn't be delivered/i.test(subject);
  return (daemon && bouncy) || ((daemon || bouncy) && detectFormat(text.slice(0, 64 * 1024), '') !== undefined);
}

function finish(base: Omit<BounceRecipient, 'stage' | 'whatToDo' | 'statusExplanation' | 'replyCode'>, extraText: string): BounceRecipient {
  // The phrase patterns run on a bounded text: hostile bounces cannot make them scan megabytes.
  const diagnosticRaw = (base.diagnostic ?? '').slice(0, 2000);
  extraText = extraText.slice(0, 4000);
  const all = `${diagnosticRaw} ${extraText}`;
  const fromText = enhancedCodeIn(diagnosticRaw) ?? enhancedCodeIn(extraText);
  // A generic X.0.0 Status says less than the server's own code in the diagnostic (same class): use that.
  const generic = base.status !== undefined && /^\d\.0\.0$/.test(base.status) && fromText?.[0] === base.status[0];
  const status = generic ? fromText : base.status ?? fromText;
  const stage = stageOf(all, status);
  const out: BounceRecipient = {
    ...base,
    recipient: shown(base.recipient, 320),
    status,
    replyCode: replyCodeIn(diagnosticRaw) ?? replyCodeIn(extraText),
    stage,
    whatToDo: adviceFor({ action: base.action, status, stage, text: all, willRetryUntil: base.willRetryUntil }),
  };
  if (status) out.statusExplanation = describeEnhancedCode(status);
  if (base.diagnostic !== undefined) out.diagnostic = shown(base.diagnostic, 1000);
  for (const k of ['originalRecipient', 'action', 'remoteMta', 'lastAttempt', 'willRetryUntil'] as const) {
    const v = out[k];
    if (v !== undefined) out[k] = shown(v, 320);
  }
  return out;
}

/** `mx.example.com. (192.0.2.1, the server for …)` → `mx.example.com`: the name, without comments. */
function mtaName(value: string | undefined): string | undefined {
  return value?.split(/\s+/)[0].replace(/\.$/, '') || undefined;
}

/** `Mailer-Daemon@relay.example` → `relay.example`, when the bounce names its reporting server nowhere else. */
function daemonDomain(headers: HeaderField[]): string | undefined {
  const from = headerValues(headers, 'from')[0] ?? '';
  return /(?:mailer-daemon|postmaster)@([A-Za-z0-9.-]+)/i.exec(from)?.[1];
}

function fromDsn(group: Map<string, string>, text: TextRecipient | undefined): Omit<BounceRecipient, 'stage' | 'whatToDo'> {
  const statusField = group.get('status');
  const status = statusField ? enhancedCodeIn(statusField) : undefined;
  return {
    recipient: typedValue(group.get('final-recipient')) ?? typedValue(group.get('original-recipient')) ?? text?.recipient ?? '(not named)',
    originalRecipient: typedValue(group.get('original-recipient')),
    action: group.get('action')?.toLowerCase(),
    status,
    remoteMta: mtaName(typedValue(group.get('remote-mta'))) ?? text?.remoteMta,
    diagnostic: typedValue(group.get('diagnostic-code')) ?? text?.diagnostic,
    lastAttempt: group.get('last-attempt-date'),
    willRetryUntil: group.get('will-retry-until'),
  };
}

function summaryOf(r: BounceRecipient | undefined, reportingMta: string | undefined): string {
  if (!r) return `A bounce${reportingMta ? ` from ${reportingMta}` : ''}, but no failed recipient could be read from it.`;
  if (r.action === 'delivered' || r.action === 'relayed' || r.action === 'expanded') return `${r.recipient}: ${r.action} (a success report).`;
  const unreachable = r.stage === 'dns' || r.stage === 'connect';
  const who = (unreachable ? reportingMta : r.remoteMta ?? reportingMta) ?? 'The receiving side';
  const verb = r.action === 'delayed' || r.status?.startsWith('4.') ? 'delayed' : unreachable ? 'could not deliver' : 'refused';
  const code = r.status ? ` with ${r.status}` : r.replyCode ? ` with ${r.replyCode}` : '';
  const stage = r.stage === 'unknown' ? '' : ` at ${STAGE_WORDS[r.stage]}`;
  return `${who} ${verb} mail to ${r.recipient}${stage}${code}.`;
}

export function readBounce(parts: BounceParts): BounceReport {
  const headerText = parts.headers.map((h) => `${h.name}: ${h.value}`).join('\n');
  const dsn = parts.deliveryStatus ? parseDsnFields(parts.deliveryStatus) : undefined;
  const textFormat = detectFormat(parts.humanText.slice(0, 256 * 1024), headerText);
  const fromText = textRecipients(textFormat ?? 'text', parts.humanText);
  const byAddress = new Map(fromText.map((t) => [t.recipient.toLowerCase(), t]));
  const recipients: BounceRecipient[] = [];
  if (dsn && dsn.recipients.length > 0) {
    for (const group of dsn.recipients.slice(0, MAX_RECIPIENTS)) {
      const address = typedValue(group.get('final-recipient'))?.toLowerCase() ?? '';
      const t = byAddress.get(address) ?? (dsn.recipients.length === 1 ? fromText[0] : undefined);
      recipients.push(finish(fromDsn(group, t), t?.text ?? ''));
    }
  } else {
    for (const t of fromText.slice(0, MAX_RECIPIENTS)) recipients.push(finish({ recipient: t.recipient, remoteMta: t.remoteMta, diagnostic: t.diagnostic }, t.text));
    if (recipients.length === 0) {
      const failed = headerValues(parts.headers, 'x-failed-recipients').join(',').split(',').map((s) => s.trim()).filter(Boolean);
      for (const f of failed.slice(0, MAX_RECIPIENTS)) recipients.push(finish({ recipient: f }, parts.humanText.slice(0, 4000)));
    }
  }
  const reportingRaw =
    mtaName(typedValue(dsn?.perMessage.get('reporting-mta'))) ?? reportingMtaInText(parts.humanText.slice(0, 64 * 1024)) ?? daemonDomain(parts.headers);
  const reportingMta = reportingRaw === undefined ? undefined : shown(reportingRaw, 255);
  const format = textFormat ?? (dsn ? 'rfc3464' : 'text');
  const report: BounceReport = {
    format,
    reportingMta,
    recipients,
    summary: shown(summaryOf(recipients[0], reportingMta), 1000),
  };
  const arrival = dsn?.perMessage.get('arrival-date');
  if (arrival) report.arrivalDate = shown(arrival, 100);
  const original = parts.originalHeaders ?? inlineOriginalHeaders(parts.humanText);
  if (original) {
    const block = readHeaderBlock(original, { maxHeaderChars: 64 * 1024, maxHeaderFields: 60 });
    report.originalHeaders = block.fields.map((f) => ({ name: shown(f.name, 80), value: shown(f.value, 300) }));
  }
  return report;
}
