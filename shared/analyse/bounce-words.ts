import type { BounceStage } from './types';

/**
 * Reading a bounce's diagnostic text: at which SMTP stage the refusal happened, the codes in it, and what the
 * sender can do about it. The patterns are the phrases Postfix, Exim, Sendmail, qmail, Exchange and Gmail
 * write; the RFC 3463 status is the fallback when the text names no stage.
 */
const STAGE_PATTERNS: [RegExp, BounceStage][] = [
  [/in reply to (?:end of DATA|the end of data)|after end of data|failed after I sent the message|after DATA body|message content rejected/i, 'after-data'],
  [/in reply to (?:RCPT TO|RCPT)|after RCPT(?: TO)?|does not like recipient|>>> RCPT|relay(?:ing)? (?:access )?denied|relay not permitted/i, 'rcpt'],
  [/in reply to MAIL FROM|after MAIL(?: FROM)?|does not like sender|>>> MAIL/i, 'mail'],
  [/in reply to DATA command|after DATA\b|>>> DATA/i, 'data'],
  [/in reply to (?:EHLO|HELO)|after (?:EHLO|HELO)|>>> (?:EHLO|HELO)/i, 'helo'],
  [/greeting failed|after initial connection|in reply to the greeting|while talking to .*: ?<<< ?[45]\d\d/i, 'greeting'],
  [/Host or domain name not found|Name service error|couldn't find any host|No MX|DNS (?:error|lookup)|domain (?:does not exist|not found)|unrouteable (?:mail )?(?:domain|address)|all relevant MX records point to non-existent hosts/i, 'dns'],
  [/connection refused|connection timed out|network is unreachable|connect to .*(?:timed out|refused)|wasn't able to establish an SMTP connection|did not accept our requests to connect|retry time not reached|no route to host/i, 'connect'],
  [/user unknown in local recipient table|mailbox is full|local delivery|delivery to the following recipient failed permanently.*local/i, 'local'],
];

export function stageOf(text: string, status: string | undefined): BounceStage {
  const subjectOf = status ? Number(status.split('.')[1]) : undefined;
  for (const [re, stage] of STAGE_PATTERNS) {
    if (!re.test(text)) continue;
    // With PIPELINING (RFC 2920) a refused RCPT's reply can follow the DATA command in a transcript; an
    // addressing status (X.1.x) still means the recipient was refused.
    if ((stage === 'data' || stage === 'greeting') && subjectOf === 1) return 'rcpt';
    return stage;
  }
  // The status says what kind of problem it was, which pins the stage when the text does not (RFC 3463 §3).
  if (status) {
    const [, subject, detail] = status.split('.').map(Number);
    if (subject === 1) return detail === 2 ? 'dns' : 'rcpt';
    if (subject === 4 && (detail === 4 || detail === 3)) return 'dns';
    if (subject === 4 && (detail === 1 || detail === 2)) return 'connect';
    if (subject === 6 || (subject === 3 && detail === 4)) return 'data';
    if (subject === 2) return 'rcpt';
  }
  return 'unknown';
}

const ENHANCED = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;

/** The first RFC 3463 code in the text, normalised (`5.01.1` → `5.1.1`). */
export function enhancedCodeIn(text: string): string | undefined {
  const m = ENHANCED.exec(text);
  return m ? `${m[1]}.${Number(m[2])}.${Number(m[3])}` : undefined;
}

/** The first SMTP reply code (RFC 5321 §4.2): three digits starting 4 or 5, followed by space, dash or end. */
export function replyCodeIn(text: string): number | undefined {
  const m = /(?:^|[\s:;(<])([45][0-5]\d)(?=[\s-]|$)/.exec(text);
  return m ? Number(m[1]) : undefined;
}

export const STAGE_WORDS: Record<BounceStage, string> = {
  dns: 'the DNS lookup of the recipient domain',
  connect: 'the connection to the recipient’s mail server',
  greeting: 'the server’s greeting',
  helo: 'EHLO/HELO',
  mail: 'MAIL FROM (the sender was refused)',
  rcpt: 'RCPT TO (the recipient was refused)',
  data: 'DATA',
  'after-data': 'the end of DATA (the content was refused)',
  local: 'local delivery on the final server',
  unknown: 'a stage the bounce does not name',
};

export interface AdviceInput {
  action?: string;
  status?: string;
  stage: BounceStage;
  text: string;
  willRetryUntil?: string;
}

/** One "what to do" line for the person who sent the message. */
export function adviceFor(a: AdviceInput): string {
  const action = a.action?.toLowerCase();
  if (action === 'delivered' || action === 'relayed' || action === 'expanded') {
    return 'Nothing to do: this is a delivery report, not a failure.';
  }
  const [cls, subject, detail] = (a.status ?? '').split('.').map(Number);
  const t = a.text;
  if (action === 'delayed' || cls === 4) {
    if (subject === 4 && detail === 7) return 'Delivery was retried until it gave up: check that the recipient’s MX hosts answer (MX health check), then send again.';
    const until = a.willRetryUntil ? ` until ${a.willRetryUntil}` : '';
    return `Temporary: the sending server keeps trying${until}. Nothing to do yet unless it keeps failing.`;
  }
  if (/\b(?:spf|dkim|dmarc)\b|authenticat|not authorized to send/i.test(t)) {
    return 'The receiver refused the message for failed sender authentication: check the sending domain’s SPF, DKIM and DMARC (the sender check does this), then send again.';
  }
  if (/spamhaus|blocklist|blacklist|block ?list|listed|reputation|rbl|\bspam\b|banned/i.test(t)) {
    return 'The sending server or its address was judged spam or is on a blocklist: check the sending IP on blocklists and ask the recipient’s postmaster to delist it; rewording will not help.';
  }
  if (/relay(?:ing)? (?:access )?denied|not permitted to relay|relay not permitted/i.test(t)) {
    return 'The server refused to relay: send to the recipient domain’s own MX, or authenticate to your relay (587 with AUTH).';
  }
  if (a.stage === 'dns' || (subject === 1 && detail === 2) || (subject === 4 && detail === 4)) {
    return 'The recipient’s domain does not exist or has no working mail server: check the spelling of the domain after the @, and its MX records.';
  }
  if (subject === 1 || /user unknown|no such user|does not exist|not found|recipient ?not ?found|unknown recipient|invalid recipient/i.test(t)) {
    return 'Check the address for typos: the recipient’s server says this mailbox does not exist. Ask the recipient for an address that works.';
  }
  if (subject === 2 && detail === 2) return 'The recipient’s mailbox is full: tell them another way, or send again later.';
  if (subject === 2 && detail === 1) return 'The recipient’s mailbox is disabled: it no longer receives mail; ask for another address.';
  if ((subject === 3 && detail === 4) || (subject === 2 && detail === 3) || /too (?:big|large)|size limit|exceeds? .*size/i.test(t)) {
    return 'The message is too large for the recipient’s server: send a link or a smaller attachment.';
  }
  if (a.stage === 'connect') return 'The recipient’s mail server could not be reached: check its MX records and whether it accepts connections (MX health check).';
  if (subject === 7) return 'Refused by the recipient’s policy: the server’s text gives the reason; if it is unclear, ask the recipient’s postmaster.';
  if (subject === 6 || a.stage === 'after-data') return 'The content was refused: check attachments, links and encoding against the server’s text, then send a changed message.';
  return 'Permanent failure: read the remote server’s text; resending the same message will not help.';
}
