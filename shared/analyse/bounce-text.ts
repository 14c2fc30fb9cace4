import type { BounceFormat } from './types';

/**
 * Bounces that are not (only) RFC 3464: the human-readable text of Postfix, Exim, qmail, Sendmail and
 * Exchange, split into one block per failed recipient. Each block keeps the text that explains it.
 */
export interface TextRecipient {
  recipient: string;
  text: string;
  remoteMta?: string;
  diagnostic?: string;
}

export function detectFormat(text: string, headerText: string): BounceFormat | undefined {
  if (/This is the mail system at host|X-Postfix-Queue-ID|in reply to (?:RCPT TO|MAIL FROM|end of DATA) command/i.test(text)) return 'postfix';
  if (/This is the qmail-send program/i.test(text)) return 'qmail';
  if (/This message was created automatically by mail delivery software|X-Failed-Recipients:/i.test(text + '\n' + headerText)) return 'exim';
  if (/----- The following addresses had permanent fatal errors -----|----- Transcript of session follows -----/i.test(text)) return 'sendmail';
  if (/RESOLVER\.ADR|Delivery has failed to these recipients|couldn't be delivered|X-MS-Exchange|Microsoft Outlook|outlook\.com|protection\.outlook/i.test(text + '\n' + headerText)) return 'exchange';
  if (/googlemail\.com|mx\.google\.com|The response from the remote server was|Address not found/i.test(text + '\n' + headerText)) return 'gmail';
  return undefined;
}

const ADDRESS = /[^\s<>"():;,]{1,64}@[A-Za-z0-9.-]{1,253}/;

function blocks(text: string): string[] {
  return text.split(/\r?\n(?:[ \t]*\r?\n)+/);
}

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function postfixRecipients(text: string): TextRecipient[] {
  const out: TextRecipient[] = [];
  for (const b of blocks(text)) {
    const m = /^\s*<([^>\s]{1,320})>(?:\s*\(expanded from <[^>]*>\))?:\s*([\s\S]*)$/.exec(b);
    if (!m || !ADDRESS.test(m[1])) continue;
    const body = clean(m[2]);
    const host = /(?:host|connect to)\s+([^\s[]+)\[([^\]]+)\]/.exec(body);
    const said = /said:\s*([\s\S]*?)(?:\s*\(in reply to [^)]*\))?$/.exec(body);
    out.push({ recipient: m[1], text: body, remoteMta: host ? `${host[1]} [${host[2]}]` : undefined, diagnostic: said ? said[1] : body });
  }
  return out;
}

function eximRecipients(text: string): TextRecipient[] {
  const out: TextRecipient[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^ {2}(\S+@\S+?)\s*$/.exec(lines[i]);
    if (!m) continue;
    const detail: string[] = [];
    for (let j = i + 1; j < lines.length && /^ {4}/.test(lines[j]); j++) detail.push(lines[j].trim());
    const body = detail.join('\n');
    const host = /host\s+(\S+)\s+\[([^\]]+)\]/.exec(body);
    const errorAt = detail.findIndex((d) => /SMTP error from remote mail server/i.test(d));
    const diagnostic = errorAt >= 0 ? detail.slice(errorAt + 1).join(' ') : detail.join(' ');
    out.push({ recipient: m[1].replace(/^<|>$/g, ''), text: clean(body), remoteMta: host ? `${host[1]} [${host[2]}]` : undefined, diagnostic: clean(diagnostic) || undefined });
  }
  return out;
}

function qmailRecipients(text: string): TextRecipient[] {
  const out: TextRecipient[] = [];
  for (const b of blocks(text)) {
    const m = /^\s*<([^>\s]{1,320})>:\s*\r?\n([\s\S]*)$/.exec(b);
    if (!m) continue;
    const body = clean(m[2]);
    const host = /^(\S+) does not like/.exec(body) ?? /Giving up on (\S+?)\.?$/.exec(body) ?? /Connected to (\S+)/.exec(body);
    const said = /Remote host said:\s*(.*?)(?:\s*Giving up on \S+)?$/.exec(body);
    out.push({ recipient: m[1], text: body, remoteMta: host ? host[1] : undefined, diagnostic: said ? said[1] : body });
  }
  return out;
}

function sendmailRecipients(text: string): TextRecipient[] {
  const out: TextRecipient[] = [];
  const section = /----- The following addresses had permanent fatal errors -----\s*([\s\S]*?)(?:-----|$)/i.exec(text);
  const transcript = /----- Transcript of session follows -----([\s\S]*?)(?:\r?\n\s*-{3,}|$)/i.exec(text)?.[1] ?? '';
  const talking = /while talking to ([^\s:]+?)\.?:/i.exec(transcript);
  const lines = (section?.[1] ?? '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*<?([^\s<>]+@[^\s<>]+?)>?\s*$/.exec(lines[i]);
    if (!m) continue;
    const reason = /^\s*\(reason:\s*(.*)\)\s*$/.exec(lines[i + 1] ?? '');
    const reply = transcript.split(/\r?\n/).find((l) => /^<<<\s*[45]\d\d/.test(l.trim()));
    out.push({
      recipient: m[1],
      text: clean(`${reason?.[1] ?? ''} ${transcript}`),
      remoteMta: talking ? talking[1] : undefined,
      diagnostic: reason ? reason[1] : reply?.trim().replace(/^<<<\s*/, ''),
    });
  }
  return out;
}

function exchangeRecipients(text: string): TextRecipient[] {
  const out: TextRecipient[] = [];
  const seen = new Set<string>();
  // "Diagnostic information for administrators": each failed address on its own line, then what happened:
  // `Remote Server returned '550 5.1.10 …'` (Exchange Online) or `host #550 5.7.1 text ##` (Exchange 2010+).
  const admin = /Diagnostic information for administrators:([\s\S]*)$/i.exec(text)?.[1] ?? text;
  const lines = admin.split(/\r?\n/);
  for (let i = 0; i < lines.length && out.length < 100; i++) {
    const m = /^\s*<?([^\s<>'"]+@[^\s<>'"]+?)>?\s*$/.exec(lines[i]);
    if (!m) continue;
    const next = lines.slice(i + 1, i + 4).find((l) => l.trim() !== '')?.trim() ?? '';
    const returned = /Remote Server returned '([^']{1,1000})'/i.exec(next);
    const hashed = /^(\S+)?\s*#([45]\d\d[^#]{0,1000}?)\s*##/.exec(next);
    if (!returned && !hashed) continue;
    const recipient = m[1];
    if (seen.has(recipient.toLowerCase())) continue;
    seen.add(recipient.toLowerCase());
    out.push({ recipient, text: clean(next), remoteMta: hashed?.[1], diagnostic: returned?.[1] ?? hashed?.[2]?.trim() });
  }
  if (out.length > 0) return out;
  const re = /Your message to\s*<?([^\s<>'"]+@[^\s<>'"]+?)>?\s*couldn't be delivered/gi;
  for (let m = re.exec(text); m && out.length < 100; m = re.exec(text)) {
    const returned = /Remote Server returned '([^']{1,1000})'/i.exec(text.slice(m.index));
    // "Generating server" is the Exchange server that wrote the report, not the one that refused.
    out.push({ recipient: m[1], text: clean(text.slice(m.index, m.index + 1500)), diagnostic: returned?.[1] });
  }
  return out;
}

function gmailRecipients(text: string): TextRecipient[] {
  const m = /(?:wasn't delivered to|delivery to the following recipient failed permanently:)\s*<?([^\s<>]+@[^\s<>]+?)>?[\s.]/i.exec(text);
  if (!m) return [];
  const said = /The response (?:from the remote server )?was:\s*([\s\S]*?)(?:\r?\n\s*\r?\n|$)/i.exec(text);
  return [{ recipient: m[1], text: clean(text.slice(m.index, m.index + 1500)), diagnostic: said ? clean(said[1]) : undefined }];
}

/** Failed recipients as the human-readable text names them, for the formats this module knows. */
export function textRecipients(format: BounceFormat, text: string): TextRecipient[] {
  const bounded = text.length > 256 * 1024 ? text.slice(0, 256 * 1024) : text;
  switch (format) {
    case 'postfix':
      return postfixRecipients(bounded);
    case 'exim':
      return eximRecipients(bounded);
    case 'qmail':
      return qmailRecipients(bounded);
    case 'sendmail':
      return sendmailRecipients(bounded);
    case 'exchange':
      return exchangeRecipients(bounded);
    case 'gmail':
      return gmailRecipients(bounded);
    default:
      return [];
  }
}

// The markers after which text bounces quote the returned message (Exim, qmail, Sendmail, Exchange).
const ORIGINAL_MARKERS =
  /^[ \t]*(?:-{2,} ?This is a copy of the message, including all the headers\. ?-{2,}|-{2,} ?Below this line is a copy of the message\.|-{3,} ?Original message follows ?-{3,}|Original message headers:)[ \t]*$/im;

/** The header section of the returned message quoted in a text bounce, when there is one. */
export function inlineOriginalHeaders(text: string): string | undefined {
  const m = ORIGINAL_MARKERS.exec(text.length > 256 * 1024 ? text.slice(0, 256 * 1024) : text);
  if (!m) return undefined;
  const rest = text.slice(m.index + m[0].length).replace(/^(?:[ \t]*\r?\n)+/, '');
  const headers = rest.split(/\r?\n[ \t]*\r?\n/)[0];
  return /^[\x21-\x39\x3b-\x7e]+:/.test(headers) ? headers.slice(0, 64 * 1024) : undefined;
}

/** The reporting server named in the text, when there is no Reporting-MTA field. */
export function reportingMtaInText(text: string): string | undefined {
  const m =
    /This is the mail system at host ([^\s.]+(?:\.[^\s.]+)*)\./i.exec(text) ??
    /This is the qmail-send program at ([^\s]+?)\.?\s/i.exec(text) ??
    /Generating server:\s*(\S+)/i.exec(text);
  return m?.[1];
}
