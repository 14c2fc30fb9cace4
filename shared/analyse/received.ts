import type { HopTls } from './types';

/**
 * One Received: header (RFC 5321 §4.4, RFC 5322 §3.6.7): `from … by … via … with … id … for … ; date`.
 * The clauses are found only outside comments, so a comment such as `(from a spoofing host)` cannot move them.
 */
export interface ReceivedFields {
  from?: string;
  by?: string;
  via?: string;
  with?: string;
  id?: string;
  for?: string;
  dateText?: string;
  tls: HopTls;
}

type Clause = 'from' | 'by' | 'via' | 'with' | 'id' | 'for';

/** The text with every comment (and quoted string) blanked out, same length, so offsets still match. */
function maskComments(text: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && (depth > 0 || quoted) && i + 1 < text.length) {
      out += '  ';
      i++;
      continue;
    }
    if (!quoted && ch === '(') depth++;
    if (depth === 0 && ch === '"') quoted = !quoted;
    out += depth > 0 || quoted || ch === '"' ? ' ' : ch;
    if (!quoted && ch === ')' && depth > 0) depth--;
  }
  return out;
}

function tidy(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function parseReceived(value: string): ReceivedFields {
  const text = value.length > 4000 ? value.slice(0, 4000) : value;
  const masked = maskComments(text);
  const semi = masked.lastIndexOf(';');
  const bodyEnd = semi >= 0 ? semi : text.length;
  const found: { clause: Clause; at: number; valueAt: number }[] = [];
  const re = /(?:^|\s)(from|by|via|with|id|for)\s+/gi;
  const head = masked.slice(0, bodyEnd);
  for (let m = re.exec(head); m; m = re.exec(head)) {
    const clause = m[1].toLowerCase() as Clause;
    if (found.some((f) => f.clause === clause)) continue;
    found.push({ clause, at: m.index, valueAt: m.index + m[0].length });
    re.lastIndex = m.index + m[0].length;
  }
  found.sort((a, b) => a.at - b.at);
  const fields: ReceivedFields = { tls: detectTls(text, undefined) };
  found.forEach((f, i) => {
    const end = i + 1 < found.length ? found[i + 1].at : bodyEnd;
    // from and by keep their comments (the IP address, the software); with, id and for are shown without.
    const keep = f.clause === 'from' || f.clause === 'by' || f.clause === 'via';
    const v = tidy((keep ? text : masked).slice(f.valueAt, end));
    if (v) fields[f.clause] = v;
  });
  if (semi >= 0) fields.dateText = tidy(text.slice(semi + 1));
  fields.tls = detectTls(text, fields.with);
  return fields;
}

// RFC 3848 and the IANA "Mail Transmission Types" registry: the trailing S means TLS, A means AUTH.
const TLS_PROTOCOLS = /^(?:ESMTPS|ESMTPSA|LMTPS|LMTPSA|UTF8SMTPS|UTF8SMTPSA|UTF8LMTPS|UTF8LMTPSA|HTTPS)$/i;
const PLAIN_PROTOCOLS = /^(?:SMTP|ESMTP|ESMTPA|UTF8SMTP|UTF8SMTPA|HTTP)$/i;
const LOCAL_PROTOCOLS = /^(?:local|LMTP|LMTPA|UTF8LMTP|mapi|pickup|qmqp|uucp)$/i;

/** TLS as the header says it: a comment naming the version and cipher wins over the protocol name. */
export function detectTls(text: string, withClause: string | undefined): HopTls {
  const postfix = /using\s+(TLSv?[\d.]+)\s+with\s+cipher\s+([\w-]+)/i.exec(text);
  if (postfix) return { state: 'tls', version: postfix[1], cipher: postfix[2], evidence: postfix[0] };
  const keyed = /version=(TLS[\w.]+)[\s,]+cipher=([\w-]+)/i.exec(text);
  if (keyed) return { state: 'tls', version: keyed[1], cipher: keyed[2], evidence: keyed[0] };
  const exim = /\((TLS1[._]\d|TLSv1(?:\.\d)?)(?::([\w-]+)(?::\d+)?)?\)(?:\s+tls\s+([\w-]+))?/i.exec(text);
  if (exim) return { state: 'tls', version: exim[1], cipher: exim[2] ?? exim[3], evidence: exim[0] };
  const protocol = withClause?.split(/\s+/)[0];
  if (protocol && TLS_PROTOCOLS.test(protocol)) return { state: 'tls', evidence: `with ${protocol} (RFC 3848)` };
  if (protocol && PLAIN_PROTOCOLS.test(protocol)) return { state: 'plain', evidence: `with ${protocol}: no TLS named` };
  if (protocol && LOCAL_PROTOCOLS.test(protocol)) return { state: 'local', evidence: `with ${protocol}: handed over locally` };
  return { state: 'unknown' };
}
