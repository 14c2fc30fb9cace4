import { shown } from './header-block';
import type { AuthResult, AuthResultsHeader } from './types';

/**
 * Authentication-Results (RFC 8601 §2.2): `authserv-id [version] ; method=result [reason=…] ptype.prop=value …`
 * or `authserv-id; none`. Comments and quoted strings are respected when splitting, so a `;` inside a
 * comment does not start a result.
 */

/** Splits at `sep` outside comments and quoted strings; returns the parts and the comment text of each. */
export function splitOutside(text: string, sep: string): { text: string; comments: string[] }[] {
  const parts: { text: string; comments: string[] }[] = [];
  let cur = '';
  let comment = '';
  let comments: string[] = [];
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && (depth > 0 || quoted) && i + 1 < text.length) {
      if (depth > 0) comment += text[i + 1];
      else cur += ch + text[i + 1];
      i++;
      continue;
    }
    if (!quoted && ch === '(') {
      if (depth > 0) comment += ch;
      depth++;
      continue;
    }
    if (!quoted && ch === ')' && depth > 0) {
      depth--;
      if (depth === 0) {
        comments.push(comment.trim());
        comment = '';
        cur += ' ';
      } else comment += ch;
      continue;
    }
    if (depth > 0) {
      comment += ch;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch === sep) {
      parts.push({ text: cur.trim(), comments });
      cur = '';
      comments = [];
      continue;
    }
    cur += ch;
  }
  parts.push({ text: cur.trim(), comments });
  return parts;
}

// The lookbehind lets a match start only where a token starts, so a long run without "=" costs linear time.
const PAIR = /(?<![\w./-])([A-Za-z0-9][\w.-]*(?:\/\d+)?)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s;]+)/g;

function unquote(v: string): string {
  return v.startsWith('"') && v.endsWith('"') && v.length >= 2 ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v;
}

function parseResinfo(text: string, comments: string[]): Omit<AuthResult, 'explanation'> | undefined {
  PAIR.lastIndex = 0;
  const pairs: [string, string][] = [];
  for (let m = PAIR.exec(text); m && pairs.length < 30; m = PAIR.exec(text)) pairs.push([m[1], unquote(m[2])]);
  if (pairs.length === 0) return undefined;
  const [methodSpec, result] = pairs[0];
  const method = methodSpec.split('/')[0].toLowerCase();
  const out: Omit<AuthResult, 'explanation'> = { method: shown(method, 60), result: shown(result.toLowerCase(), 40), properties: [] };
  for (const [name, value] of pairs.slice(1)) {
    if (name.toLowerCase() === 'reason') out.reason = shown(value, 300);
    else out.properties.push({ name: shown(name.toLowerCase(), 60), value: shown(value, 300) });
  }
  if (comments.length > 0) out.comment = shown(comments.join('; '), 300);
  return out;
}

export function parseAuthResults(value: string, source = 'Authentication-Results'): AuthResultsHeader {
  const text = value.length > 8000 ? value.slice(0, 8000) : value;
  const parts = splitOutside(text, ';');
  const idPart = parts[0]?.text ?? '';
  // The authserv-id is the first token; an optional version number may follow it (RFC 8601 §2.2).
  const authservId = shown(idPart.split(/\s+/)[0] ?? '', 200);
  const header: AuthResultsHeader = { source, authservId, results: [] };
  if (!authservId) header.problem = 'The header has no authserv-id (RFC 8601 §2.2 wants the name of the server that checked).';
  const rest = parts.slice(1).filter((p) => p.text !== '');
  if (rest.length === 1 && rest[0].text.toLowerCase() === 'none') return header;
  for (const p of rest) {
    if (header.results.length >= 30) break;
    const r = parseResinfo(p.text, p.comments);
    if (r) header.results.push({ ...r, explanation: explainAuthResult(r) });
    else header.problem = `A part could not be read as method=result: "${shown(p.text, 80)}".`;
  }
  return header;
}

function prop(r: Pick<AuthResult, 'properties'>, ...names: string[]): string | undefined {
  return r.properties.find((p) => names.includes(p.name))?.value;
}

const RESULT_WORDS: Record<string, string> = {
  pass: 'passed',
  fail: 'failed',
  softfail: 'soft-failed (the domain says the sender is probably not allowed, but does not ask to reject)',
  neutral: 'was neutral (the domain makes no claim)',
  none: 'found nothing to check',
  temperror: 'hit a temporary error (usually DNS); it may pass later',
  permerror: 'hit a permanent error (a broken record)',
  policy: 'was not accepted by local policy',
  bestguesspass: 'passed only by a best guess',
};

/** One sentence in plain words for a method=result (RFC 8601 §2.7, RFC 7208, RFC 6376, RFC 7489, RFC 8617). */
export function explainAuthResult(r: Omit<AuthResult, 'explanation'>): string {
  const words = RESULT_WORDS[r.result] ?? `gave "${r.result}"`;
  const reason = r.reason ? ` Reason given: ${r.reason}.` : '';
  switch (r.method) {
    case 'spf': {
      const who = prop(r, 'smtp.mailfrom', 'smtp.helo');
      const base = `SPF ${words}${who ? ` for ${who}` : ''}`;
      if (r.result === 'pass') return `${base}: the sending server's address is allowed by that domain's SPF record.${reason}`;
      if (r.result === 'fail') return `${base}: the sending server's address is not in that domain's SPF record, which asks receivers to reject.${reason}`;
      return `${base}.${reason}`;
    }
    case 'dkim': {
      const d = prop(r, 'header.d', 'header.i');
      const base = `DKIM ${words}${d ? ` for the signature of ${d}` : ''}`;
      if (r.result === 'pass') return `${base}: the signed headers and body arrived unchanged.${reason}`;
      if (r.result === 'fail') return `${base}: the message changed after signing, or the key does not match.${reason}`;
      return `${base}.${reason}`;
    }
    case 'dmarc': {
      const from = prop(r, 'header.from');
      const base = `DMARC ${words}${from ? ` for From: ${from}` : ''}`;
      if (r.result === 'pass') return `${base}: SPF or DKIM passed for a domain aligned with the From: address.${reason}`;
      if (r.result === 'fail') return `${base}: neither SPF nor DKIM passed for a domain aligned with the From: address, so the domain's policy applies.${reason}`;
      return `${base}.${reason}`;
    }
    case 'arc':
      return `ARC ${words}: ${r.result === 'pass' ? 'the chain of forwarders that vouched for earlier results is intact' : 'the forwarding chain could not be trusted'}.${reason}`;
    case 'iprev':
      return `Reverse DNS of the sending address ${words}${r.result === 'pass' ? ': its PTR name points back to it' : ''}.${reason}`;
    case 'auth':
      return `SMTP AUTH ${words}${prop(r, 'smtp.auth') ? ` for ${prop(r, 'smtp.auth')}` : ''}.${reason}`;
    case 'bimi':
      return `BIMI ${words}.${reason}`;
    default:
      return `${r.method.toUpperCase()} ${words}.${reason}`;
  }
}
