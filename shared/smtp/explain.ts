/**
 * Plain-language explanations of SMTP replies for the session log. Wording is for sysadmins who know the
 * protocol but should not have to look up every code. Sources: RFC 5321 §4.2.2–§4.2.3 (reply codes),
 * RFC 4954 (AUTH), RFC 3207 (STARTTLS), RFC 7504 (521/556), RFC 3463 (enhanced codes).
 */
import type { Stage } from '../model';
import { ENHANCED_CLASS, ENHANCED_DETAIL, ENHANCED_SUBJECT } from './enhanced-codes';

/** Generic meaning of each reply code, whatever the stage. */
const CODE_TEXT: Record<number, string> = {
  211: 'system status or help reply',
  214: 'help message',
  220: 'the service is ready',
  221: 'the server is closing the connection',
  235: 'authentication succeeded',
  250: 'OK: the command was accepted',
  251: 'the user is not local; the server will forward the message',
  252: 'the server cannot verify the user but will accept the message and try to deliver it',
  334: 'the server waits for the next part of the authentication exchange (a base64 challenge)',
  354: 'send the message now, end with a line holding one dot',
  421: 'the server is closing the connection: temporary, try later',
  432: 'a password transition is needed',
  450: 'the mailbox is unavailable right now (busy, or greylisting)',
  451: 'the server had a local error while processing',
  452: 'the server is short of storage, or there are too many recipients for now',
  453: 'the server is not accepting mail right now',
  454: 'TLS or authentication is temporarily unavailable',
  455: 'the server cannot accept the parameters right now',
  500: 'the server did not recognise the command (syntax error, or line too long)',
  501: 'the arguments of the command are not valid',
  502: 'the command is not implemented by this server',
  503: 'the command came in the wrong order (bad sequence)',
  504: 'a parameter of the command is not implemented',
  521: 'this host does not accept mail at all',
  523: 'the message would need an encrypted connection',
  530: 'authentication required',
  534: 'the authentication mechanism is too weak',
  535: 'the user name or password was rejected',
  538: 'this authentication mechanism needs an encrypted connection',
  550: 'the mailbox is unavailable (it does not exist, or the server refuses mail for it)',
  551: 'the user is not local here',
  552: 'message too large for the server (storage allocation exceeded)',
  553: 'the mailbox name is not allowed (bad address syntax)',
  554: 'the transaction failed',
  555: 'a MAIL FROM or RCPT TO parameter is not recognised or not implemented',
  556: 'the domain does not accept mail',
};

/** What a success means at a given stage. */
const SUCCESS_AT: Partial<Record<Stage, Partial<Record<number, string>>>> = {
  greeting: { 220: 'the server is ready and greets the client' },
  ehlo: { 250: 'the server accepted the greeting and listed its extensions' },
  starttls: { 220: 'the server is ready to start TLS: the handshake comes next' },
  auth: { 235: 'authentication succeeded', 334: CODE_TEXT[334] },
  mail: { 250: 'the sender was accepted' },
  rcpt: {
    250: 'recipient accepted',
    251: 'recipient accepted: not local, the server will forward the message',
    252: 'recipient accepted without verification: the server will try to deliver',
  },
  data: { 354: CODE_TEXT[354], 250: 'the data chunk was accepted' },
  body: { 250: 'the message was accepted for delivery (the server now holds it)' },
  quit: { 221: 'the server closed the session' },
};

/** How a failure at a given stage starts its sentence. */
const FAILURE_AT: Partial<Record<Stage, string>> = {
  greeting: 'The server refused the session',
  ehlo: 'The greeting (EHLO/HELO) was refused',
  starttls: 'TLS could not be started',
  auth: 'Authentication failed',
  mail: 'The sender was refused',
  rcpt: 'The recipient was refused',
  data: 'The server will not take the message',
  body: 'The message was refused after it was sent',
  quit: 'QUIT was answered with an error',
};

const ENHANCED_FORMAT = /^([245])\.(\d{1,3})\.(\d{1,3})$/;

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The enhanced detail in words, for use inside a sentence. Generic `X.Y.0` details say less than the reply
 * code itself, so they are skipped when the code has its own text.
 */
function detailOf(enhanced: string | undefined, code: number): string | undefined {
  const m = enhanced === undefined ? null : ENHANCED_FORMAT.exec(enhanced);
  if (!m) return undefined;
  if (Number(m[3]) === 0 && CODE_TEXT[code] !== undefined) return undefined;
  return ENHANCED_DETAIL[`${Number(m[2])}.${Number(m[3])}`]?.replace(/ \(RFC \d+\)$/, '');
}

/** RFC 3463: `5.1.1` → "5.1.1: the mailbox does not exist (addressing status; permanent failure: ...)". */
export function describeEnhancedCode(enhanced: string): string {
  const m = ENHANCED_FORMAT.exec(enhanced.trim());
  if (!m) return `"${enhanced.slice(0, 20)}" is not an enhanced status code (RFC 3463 wants class.subject.detail, like 5.1.1).`;
  const [, cls, subject, detail] = m;
  const code = `${cls}.${Number(subject)}.${Number(detail)}`;
  const subjectText = ENHANCED_SUBJECT[String(Number(subject))] ?? `unknown subject ${subject}`;
  const detailText = ENHANCED_DETAIL[`${Number(subject)}.${Number(detail)}`];
  const what = detailText ?? `${subjectText}, detail ${detail} is not a registered code`;
  return `${code}: ${what} (${detailText ? subjectText + '; ' : ''}${ENHANCED_CLASS[cls]})`;
}

function permanence(code: number): string {
  if (code >= 500) return 'Permanent: retrying the same thing will not help.';
  if (code >= 400) return 'Temporary: trying again later may work.';
  return '';
}

export function explainReply(code: number, enhanced: string | undefined, stage: Stage): string {
  const detail = detailOf(enhanced, code);
  const tag = enhanced !== undefined && ENHANCED_FORMAT.test(enhanced) ? ` (${enhanced})` : '';
  // Codes whose meaning does not depend on the stage.
  if (code === 421) return `The server is closing the connection: temporary, try later.${detail ? ` Reason: ${detail}${tag}.` : ''}`;
  if (stage === 'greeting' && code === 554) return 'No SMTP service here: the server refuses to talk to this client. Permanent for this server; another MX may still work.';
  if (stage === 'greeting' && code >= 400 && code < 500) return `The server is not ready to accept mail now${detail ? `: ${detail}${tag}` : ''}. Temporary: another MX or a later attempt may work.`;

  // RFC 5321 §4.1.1.1 / RELIABILITY: EHLO unknown → HELO, unless TLS or AUTH is required.
  if (stage === 'ehlo' && (code === 500 || code === 502)) return 'The server does not support EHLO; the client falls back to HELO (no extensions, so no STARTTLS or AUTH).';
  // RFC 5321 §4.5.3.1.10: 552 to RCPT means too many recipients, and clients SHOULD treat it as temporary.
  if (stage === 'rcpt' && code === 552 && (enhanced === undefined || /^5\.5\.3$/.test(enhanced))) {
    return `The recipient was refused: too many recipients for one message${tag}. Temporary (RFC 5321 §4.5.3.1.10): send the remaining recipients in another transaction.`;
  }
  if (code < 400) {
    const text = SUCCESS_AT[stage]?.[code] ?? CODE_TEXT[code] ?? classText(code);
    return capitalise(text) + '.';
  }
  const reason = detail ?? CODE_TEXT[code] ?? classText(code);
  const intro = FAILURE_AT[stage];
  const sentence = intro ? `${intro}: ${reason}${tag}.` : `${capitalise(reason)}${tag}.`;
  return `${sentence} ${permanence(code)}`;
}

function classText(code: number): string {
  const c = Math.floor(code / 100);
  if (c === 2) return 'success';
  if (c === 3) return 'the server waits for more input';
  if (c === 4) return 'temporary failure';
  if (c === 5) return 'permanent failure';
  return `unknown reply code ${code}`;
}
