/**
 * Incremental SMTP reply reader (sans-IO): bytes in, complete replies or error items out. It never throws
 * on server input and never holds more than the caps allow (RELIABILITY "Replies from the server").
 *
 * Framing decisions:
 * - Lines end in CRLF (RFC 5321 §2.3.8). A bare LF is ALSO accepted as a line end and reported through
 *   `SmtpReply.bareLf`: real servers and proxies occasionally emit it, the server alone controls its reply
 *   text anyway, so tolerating it adds no injection path on the reading side, while refusing it would make the
 *   tool useless for diagnosing exactly those servers. A bare CR inside a line is kept as text (and shown
 *   escaped); it never ends a line. The rule is the same for every line.
 * - Bytes are decoded only at line boundaries, so a UTF-8 sequence split across TCP chunks decodes whole;
 *   invalid sequences become U+FFFD.
 * - Malformed lines give an `error` item quoting the line escaped; the reader drops any half-built reply and
 *   resynchronises at the next line (the engine decides whether to abort).
 * - Caps (line length, lines per reply, total bytes) give an error item and STOP the reader: it drops its
 *   buffers and ignores everything after, so memory stays flat whatever the server sends.
 */
import { escapeAndTruncate } from './escape';

export interface SmtpReply {
  code: number;
  /** RFC 3463 enhanced status code (`5.1.1`) when the first line starts with one of the reply's class. */
  enhanced?: string;
  /** Text after `NNN-` / `NNN ` of each line, in order, without the line ending. */
  lines: string[];
  /** Set when at least one line of this reply ended in a bare LF instead of CRLF. */
  bareLf?: true;
}

export type ReaderErrorCode = 'malformed' | 'line_too_long' | 'too_many_lines' | 'too_much_data';

export type ReaderItem =
  | { kind: 'reply'; reply: SmtpReply }
  | { kind: 'error'; code: ReaderErrorCode; message: string; raw: string /* escaped and truncated */ };

export interface ReaderLimits {
  /** Longest line in bytes, CRLF included. RFC 5321 §4.5.3.1.5 says 512; real servers exceed it, so lenient but bounded. */
  maxLineBytes: number;
  maxLinesPerReply: number;
  /** Total reply bytes accepted over the reader's life (one per session). */
  maxTotalBytes: number;
}

export const DEFAULT_READER_LIMITS: ReaderLimits = { maxLineBytes: 4096, maxLinesPerReply: 200, maxTotalBytes: 1024 * 1024 };

interface Pending {
  code: number;
  enhanced?: string;
  lines: string[];
  bytes: number;
  bareLf: boolean;
}

// RFC 5321 §4.2: Reply-code = %x32-35 %x30-35 %x30-39, then "-" (more lines follow) or SP / end (last line).
const ENHANCED = /^([245])\.(\d{1,3})\.(\d{1,3})(?=[ \t]|$)/; // RFC 3463 §2, RFC 2034 §4

type LineResult = { ok: true; code: number; last: boolean; text: string } | { ok: false; why: string };

function parseLine(line: string): LineResult {
  if (!/^\d{3}/.test(line)) return { ok: false, why: 'the line does not start with a three-digit reply code' };
  const first = line.charCodeAt(0) - 48;
  const second = line.charCodeAt(1) - 48;
  if (first < 2 || first > 5) return { ok: false, why: `reply code ${line.slice(0, 3)} is invalid: the first digit must be 2 to 5 (RFC 5321 §4.2)` };
  if (second > 5) return { ok: false, why: `reply code ${line.slice(0, 3)} is invalid: the second digit must be 0 to 5 (RFC 5321 §4.2)` };
  const sep = line.length > 3 ? line[3] : ' ';
  if (sep !== ' ' && sep !== '-') return { ok: false, why: 'the reply code is not followed by a space or a hyphen' };
  return { ok: true, code: Number(line.slice(0, 3)), last: sep === ' ', text: line.slice(4) };
}

export class ReplyReader {
  readonly limits: ReaderLimits;
  private line: Uint8Array | undefined;
  private lineLen = 0;
  private pending: Pending | undefined;
  private total = 0;
  private dead = false;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

  constructor(limits?: Partial<ReaderLimits>) {
    this.limits = { ...DEFAULT_READER_LIMITS, ...limits };
  }

  /** Bytes held right now: the partial line plus the lines of an unfinished multi-line reply. */
  get bufferedBytes(): number {
    return this.lineLen + (this.pending?.bytes ?? 0);
  }

  /** True once a cap was hit: the reader ignores all further input. */
  get stopped(): boolean {
    return this.dead;
  }

  /** Total bytes consumed so far (counts toward `maxTotalBytes`). */
  get totalBytes(): number {
    return this.total;
  }

  push(chunk: Uint8Array): ReaderItem[] {
    const items: ReaderItem[] = [];
    if (this.dead || chunk.length === 0) return items;
    const room = this.limits.maxTotalBytes - this.total;
    const over = chunk.length > room;
    const data = over ? chunk.subarray(0, room) : chunk;
    this.total += data.length;
    let pos = 0;
    while (pos < data.length && !this.dead) {
      const lf = data.indexOf(10, pos);
      const end = lf === -1 ? data.length : lf + 1;
      const segLen = end - pos;
      // A partial line that already fills the cap cannot end in time: its LF would exceed it.
      const tooLong = lf === -1 ? this.lineLen + segLen >= this.limits.maxLineBytes : this.lineLen + segLen > this.limits.maxLineBytes;
      if (tooLong) {
        const head = this.collect(data.subarray(pos, Math.min(end, pos + 256)));
        items.push(this.stop('line_too_long', `A reply line is longer than ${this.limits.maxLineBytes} bytes; the session cannot trust this server's replies.`, this.decoder.decode(head)));
        break;
      }
      if (lf === -1) {
        this.append(data.subarray(pos, end));
      } else {
        const bytes = this.collect(data.subarray(pos, end));
        this.lineLen = 0;
        this.handleLine(bytes, items);
      }
      pos = end;
    }
    if (over && !this.dead) {
      items.push(this.stop('too_much_data', `The server sent more than ${this.limits.maxTotalBytes} bytes of replies in this session; reading stopped.`, ''));
    }
    return items;
  }

  /** The connection ended: a partial line or an unfinished multi-line reply is reported as malformed. */
  end(): ReaderItem[] {
    if (this.dead) return [];
    const items: ReaderItem[] = [];
    if (this.lineLen > 0 || this.pending) {
      const raw = this.lineLen > 0 ? this.decoder.decode(this.line!.subarray(0, this.lineLen)) : (this.pending?.lines.at(-1) ?? '');
      items.push({ kind: 'error', code: 'malformed', message: 'The connection closed in the middle of a reply.', raw: escapeAndTruncate(raw) });
    }
    this.release();
    this.dead = true;
    return items;
  }

  private append(part: Uint8Array): void {
    if (!this.line) this.line = new Uint8Array(this.limits.maxLineBytes);
    this.line.set(part, this.lineLen);
    this.lineLen += part.length;
  }

  /** The buffered partial line followed by `part`, as one array. */
  private collect(part: Uint8Array): Uint8Array {
    if (this.lineLen === 0) return part;
    const out = new Uint8Array(this.lineLen + part.length);
    out.set(this.line!.subarray(0, this.lineLen));
    out.set(part, this.lineLen);
    return out;
  }

  private handleLine(bytes: Uint8Array, items: ReaderItem[]): void {
    // bytes ends with LF; strip it and an optional CR before it.
    const crlf = bytes.length >= 2 && bytes[bytes.length - 2] === 13;
    const body = bytes.subarray(0, bytes.length - (crlf ? 2 : 1));
    const text = this.decoder.decode(body);
    const parsed = parseLine(text);
    if (!parsed.ok) {
      this.pending = undefined;
      items.push({ kind: 'error', code: 'malformed', message: `Malformed reply line: ${parsed.why}.`, raw: escapeAndTruncate(text) });
      return;
    }
    let p = this.pending;
    if (p && p.code !== parsed.code) {
      this.pending = undefined;
      items.push({ kind: 'error', code: 'malformed', message: `Malformed reply: the code changed from ${p.code} to ${parsed.code} inside a multi-line reply.`, raw: escapeAndTruncate(text) });
      return;
    }
    if (!p) {
      p = { code: parsed.code, lines: [], bytes: 0, bareLf: false };
      const m = ENHANCED.exec(parsed.text);
      if (m && m[1] === String(parsed.code)[0]) p.enhanced = `${m[1]}.${Number(m[2])}.${Number(m[3])}`;
      this.pending = p;
    }
    if (p.lines.length >= this.limits.maxLinesPerReply) {
      this.dead = true;
      items.push(this.stop('too_many_lines', `A reply has more than ${this.limits.maxLinesPerReply} lines; reading stopped.`, text));
      return;
    }
    p.lines.push(parsed.text);
    p.bytes += bytes.length;
    if (!crlf) p.bareLf = true;
    if (parsed.last) {
      this.pending = undefined;
      const reply: SmtpReply = { code: p.code, lines: p.lines };
      if (p.enhanced !== undefined) reply.enhanced = p.enhanced;
      if (p.bareLf) reply.bareLf = true;
      items.push({ kind: 'reply', reply });
    }
  }

  private release(): void {
    this.line = undefined;
    this.lineLen = 0;
    this.pending = undefined;
  }

  private stop(code: ReaderErrorCode, message: string, raw: string): ReaderItem {
    this.release();
    this.dead = true;
    return { kind: 'error', code, message, raw: escapeAndTruncate(raw) };
  }
}
