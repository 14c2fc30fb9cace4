import { escapeForDisplay } from '../smtp/escape';
import { ANALYSE_LIMITS } from './types';

/** One header field, unfolded (RFC 5322 §2.2.3), as written: not escaped. */
export interface HeaderField {
  name: string;
  value: string;
}

export interface HeaderBlock {
  fields: HeaderField[];
  /** False when no empty line ends the header section (a paste of headers only). */
  hasBody: boolean;
  /** Index in the text where the body starts (after the empty line), when there is one. */
  bodyStart: number;
  cut: string[];
  warnings: string[];
}

export interface HeaderBlockLimits {
  maxHeaderChars: number;
  maxHeaderFields: number;
}

const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/; // RFC 5322 §3.6.8: printable US-ASCII except ":"

/** Where the header section ends: the first empty line (CRLF CRLF, or LF LF for pasted text). */
function findBodyStart(text: string, limit: number): { end: number; bodyStart: number } | undefined {
  const re = /\r?\n\r?\n/g;
  re.lastIndex = 0;
  const window = text.length > limit + 4 ? text.slice(0, limit + 4) : text;
  const m = re.exec(window);
  if (!m) return undefined;
  return { end: m.index, bodyStart: m.index + m[0].length };
}

/**
 * Splits a pasted message into unfolded header fields and the body offset, reading at most
 * `maxHeaderChars` characters of headers and `maxHeaderFields` fields, and saying what it cut.
 */
export function readHeaderBlock(text: string, limits: HeaderBlockLimits = ANALYSE_LIMITS): HeaderBlock {
  const cut: string[] = [];
  const warnings: string[] = [];
  const split = findBodyStart(text, limits.maxHeaderChars);
  let headerText = split ? text.slice(0, split.end) : text;
  if (headerText.length > limits.maxHeaderChars) {
    cut.push(`The header section is longer than ${limits.maxHeaderChars} characters; only that much was read.`);
    headerText = headerText.slice(0, limits.maxHeaderChars);
  }
  const lines = headerText.split(/\r?\n/);
  const fields: HeaderField[] = [];
  let stray = 0;
  let total = 0;
  let current: HeaderField | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (i === 0 && line.startsWith('From ')) continue; // an mbox separator line, not a header
    if ((line.startsWith(' ') || line.startsWith('\t')) && current) {
      current.value += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!name || !FIELD_NAME.test(name)) {
      if (line.trim() !== '') stray++;
      current = undefined;
      continue;
    }
    total++;
    if (fields.length >= limits.maxHeaderFields) {
      current = undefined;
      continue;
    }
    current = { name, value: line.slice(colon + 1).trim() };
    fields.push(current);
  }
  if (total > fields.length) cut.push(`Read the first ${fields.length} of ${total} header fields.`);
  if (stray > 0) {
    warnings.push(
      `${stray} line${stray === 1 ? '' : 's'} in the header section ${stray === 1 ? 'is' : 'are'} not a header field (no "Name:"): a sign of header injection or a broken paste.`,
    );
  }
  for (const [name, count] of singletonRepeats(fields)) {
    // RFC 5322 §3.6: these fields occur at most once. Two of them is how header injection usually looks.
    warnings.push(`The message has ${count} ${name}: headers; RFC 5322 §3.6 allows one. Mail readers may show either.`);
  }
  return { fields, hasBody: split !== undefined, bodyStart: split ? split.bodyStart : text.length, cut, warnings };
}

const SINGLETONS = ['From', 'Sender', 'Reply-To', 'To', 'Cc', 'Subject', 'Date', 'Message-ID'];

function singletonRepeats(fields: HeaderField[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const f of fields) {
    const canonical = SINGLETONS.find((s) => s.toLowerCase() === f.name.toLowerCase());
    if (canonical) counts.set(canonical, (counts.get(canonical) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n > 1);
}

/** All values of a header, case-insensitively, in message order (top first). */
export function headerValues(fields: HeaderField[], name: string): string[] {
  const lower = name.toLowerCase();
  return fields.filter((f) => f.name.toLowerCase() === lower).map((f) => f.value);
}

/** Escaped for display and cut to `max` characters, with an ellipsis when cut. */
export function shown(text: string, max: number = ANALYSE_LIMITS.maxValueChars): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  const escaped = escapeForDisplay(cut);
  return text.length > max ? escaped + '…' : escaped;
}
