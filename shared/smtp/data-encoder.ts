/**
 * The bytes of the message on the wire (RELIABILITY "DATA on the wire"), streamed: each `push` returns the
 * encoded form of that chunk only, so memory is O(chunk) however large the message is.
 *
 * - Every line ending becomes CRLF (RFC 5321 §2.3.8): CRLF stays, a bare CR and a bare LF each become CRLF,
 *   and a CR at the end of one chunk followed by an LF at the start of the next is ONE line ending. This is
 *   what closes the SMTP-smuggling family (CVE-2023-51764): no bare CR or LF ever reaches the server, so no
 *   server can read `<LF>.<LF>` or `<CR>.<CR>` as an end of data that we did not mean.
 * - DataEncoder dot-stuffs every line that starts with '.', the first line included (RFC 5321 §4.5.2), and
 *   `end()` returns the terminator: `.CRLF` when the data already ends in CRLF (or is empty), else
 *   `CRLF.CRLF`. No blank line is ever added.
 * - NUL is never sent raw: the encoder throws NulByteError before emitting anything of the chunk holding it.
 *   Callers are expected to refuse such bodies earlier (`findNul`, the draft validators); this is the last
 *   line of defence and not a way to report input errors.
 */
const CR = 13;
const LF = 10;
const DOT = 46;

export class NulByteError extends Error {
  constructor(readonly offset: number) {
    super(`The message contains a NUL byte at offset ${offset}; NUL is never sent raw (RFC 5321 §4.5.2 text lines). Encode the content (base64 attachment) or remove it.`);
    this.name = 'NulByteError';
  }
}

export interface EncoderStats {
  /** Input bytes seen. */
  bytesIn: number;
  /** Output bytes produced (terminator included after `end()`). */
  bytesOut: number;
  /** Lines of the (normalised) message. */
  lines: number;
  /** Longest line in octets, line ending and stuffing dot excluded (RFC 5322 §2.1.1 limit: 998). */
  maxLineOctets: number;
}

class LineEncoder {
  private atLineStart = true;
  /** The previous input byte was CR (already written as CRLF): an LF right after it is swallowed. */
  private afterCr = false;
  private lineOctets = 0;
  private ended = false;
  private readonly s: EncoderStats = { bytesIn: 0, bytesOut: 0, lines: 0, maxLineOctets: 0 };

  constructor(private readonly stuffDots: boolean) {}

  get stats(): EncoderStats {
    return { ...this.s, lines: this.s.lines + (this.atLineStart ? 0 : 1) };
  }

  push(chunk: Uint8Array): Uint8Array {
    if (this.ended) throw new Error('push() after end()');
    const nul = chunk.indexOf(0);
    if (nul !== -1) throw new NulByteError(this.s.bytesIn + nul);
    // Worst case doubles the size: every byte an LF (→ CRLF) or a line-leading dot (→ "..").
    const out = new Uint8Array(chunk.length * 2);
    let o = 0;
    let atLineStart = this.atLineStart;
    let afterCr = this.afterCr;
    let lineOctets = this.lineOctets;
    let maxLine = this.s.maxLineOctets;
    let lines = this.s.lines;
    const n = chunk.length;
    // Copy runs of ordinary bytes with one native copy each; the positions of the next CR and LF are
    // found with indexOf (native scans) and cached until passed, so each byte is scanned once per kind.
    let nextCr = -2;
    let nextLf = -2;
    let i = 0;
    while (i < n) {
      const b = chunk[i];
      if (b === LF && afterCr) {
        afterCr = false; // second half of a CRLF whose CR was already written as CRLF
        i++;
        continue;
      }
      afterCr = false;
      if (b === CR || b === LF) {
        out[o++] = CR;
        out[o++] = LF;
        if (lineOctets > maxLine) maxLine = lineOctets;
        lineOctets = 0;
        lines++;
        atLineStart = true;
        afterCr = b === CR;
        i++;
        continue;
      }
      if (atLineStart && b === DOT && this.stuffDots) out[o++] = DOT;
      atLineStart = false;
      if (nextCr !== -1 && nextCr < i) nextCr = chunk.indexOf(CR, i);
      if (nextLf !== -1 && nextLf < i) nextLf = chunk.indexOf(LF, i);
      const stop = Math.min(nextCr === -1 ? n : nextCr, nextLf === -1 ? n : nextLf);
      out.set(chunk.subarray(i, stop), o);
      o += stop - i;
      lineOctets += stop - i;
      i = stop;
    }
    this.atLineStart = atLineStart;
    this.afterCr = afterCr;
    this.lineOctets = lineOctets;
    this.s.maxLineOctets = Math.max(maxLine, lineOctets);
    this.s.lines = lines;
    this.s.bytesIn += chunk.length;
    this.s.bytesOut += o;
    return out.slice(0, o);
  }

  /** `terminator`: DATA's `.CRLF`; without it, only a final CRLF if the last line lacks one. */
  end(terminator: boolean): Uint8Array {
    if (this.ended) throw new Error('end() called twice');
    this.ended = true;
    const closeLine = !this.atLineStart;
    if (closeLine) {
      this.s.lines++;
      this.atLineStart = true;
    }
    const parts: number[] = closeLine ? [CR, LF] : [];
    if (terminator) parts.push(DOT, CR, LF);
    this.s.bytesOut += parts.length;
    return Uint8Array.from(parts);
  }
}

/** DATA body encoder: CRLF normalisation + dot-stuffing + terminator. */
export class DataEncoder {
  private readonly enc = new LineEncoder(true);

  push(chunk: Uint8Array): Uint8Array {
    return this.enc.push(chunk);
  }

  /** The terminator: `.CRLF`, or `CRLF.CRLF` when the data does not already end in CRLF. */
  end(): Uint8Array {
    return this.enc.end(true);
  }

  get stats(): EncoderStats {
    return this.enc.stats;
  }
}

/**
 * BDAT body normaliser (RFC 3030: no dot-stuffing, no terminator). `end()` returns a final CRLF when the
 * data does not end in one, so DATA and BDAT deliver the same message bytes.
 */
export class CrlfNormalizer {
  private readonly enc = new LineEncoder(false);

  push(chunk: Uint8Array): Uint8Array {
    return this.enc.push(chunk);
  }

  end(): Uint8Array {
    return this.enc.end(false);
  }

  get stats(): EncoderStats {
    return this.enc.stats;
  }
}

/** Whole-buffer convenience (previews, tests): the exact DATA bytes including the terminator. */
export function encodeDataAll(bytes: Uint8Array): Uint8Array {
  const enc = new DataEncoder();
  const body = enc.push(bytes);
  const tail = enc.end();
  const out = new Uint8Array(body.length + tail.length);
  out.set(body);
  out.set(tail, body.length);
  return out;
}

/** True when any byte is ≥ 0x80: the message needs BODY=8BITMIME (RFC 6152) or a transfer encoding. */
export function needs8bit(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] > 0x7f) return true;
  return false;
}

/** True when a line (split at CR, LF or CRLF) is longer than `limit` octets (RFC 5322 §2.1.1: 998). */
export function hasLongLines(bytes: Uint8Array, limit = 998): boolean {
  let len = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === CR || b === LF) len = 0;
    else if (++len > limit) return true;
  }
  return false;
}

/** Offset of the first NUL byte, or -1. */
export function findNul(bytes: Uint8Array): number {
  return bytes.indexOf(0);
}
