/**
 * The bytes of the message on the wire (RELIABILITY "DATA on the wire"), streamed: each `push` returns the
 * encoded form of that chunk only, so memory is O(chunk) however large the message is. A chunk that needs
 * no change (CRLF text, no line-leading dot) is returned as is, without a copy.
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

/** Edit kinds found by `LineEncoder.scan`, each at an input position. */
const STUFF_DOT = 0; // a line starts with '.': one more '.' goes before it (RFC 5321 §4.5.2)
const ADD_CR = 1; // a bare LF: a CR goes before it
const ADD_LF = 2; // a bare CR (or a CR ending the chunk): an LF goes after it
const DROP_LF = 3; // the LF completing a CRLF whose CR ended the previous chunk (already written as CRLF)

class LineEncoder {
  private atLineStart = true;
  /** The previous input byte was CR (already written as CRLF): an LF right after it is swallowed. */
  private afterCr = false;
  private lineOctets = 0;
  private ended = false;
  private readonly s: EncoderStats = { bytesIn: 0, bytesOut: 0, lines: 0, maxLineOctets: 0 };
  /** Pairs (input position, edit kind) found by the last scan; reused so that pushes allocate nothing. */
  private readonly edits: number[] = [];
  /** With `lend`: the output buffer, reused by every push that has to change its chunk. */
  private scratch: Uint8Array | undefined;

  constructor(
    private readonly stuffDots: boolean,
    private readonly lend: boolean,
  ) {}

  private outBuffer(size: number): Uint8Array {
    if (!this.lend) return new Uint8Array(size);
    if (!this.scratch || this.scratch.length < size) this.scratch = new Uint8Array(Math.max(size, (this.scratch?.length ?? 0) * 2));
    return this.scratch.subarray(0, size);
  }

  get stats(): EncoderStats {
    return { ...this.s, lines: this.s.lines + (this.atLineStart ? 0 : 1) };
  }

  /**
   * The encoded chunk. Text that is already CRLF with no line-leading dot (the usual case) is returned as
   * the input itself or a subarray of it, with no copy; otherwise one buffer of the exact size is built.
   * The caller must not modify a chunk after pushing it. With `lend`, the bytes returned are valid only
   * until the next push (the output buffer is reused): for a caller that copies them at once.
   */
  push(chunk: Uint8Array): Uint8Array {
    const outLength = this.scan(chunk);
    const edits = this.edits;
    if (edits.length === 0) return chunk;
    if (edits.length === 2 && edits[1] === DROP_LF) return chunk.subarray(1);
    const out = this.outBuffer(outLength);
    let o = 0;
    let from = 0;
    const copyTo = (end: number): void => {
      if (end > from) out.set(chunk.subarray(from, end), o);
      o += end - from;
      from = end;
    };
    for (let k = 0; k < edits.length; k += 2) {
      const at = edits[k];
      switch (edits[k + 1]) {
        case DROP_LF:
          from = at + 1;
          break;
        case STUFF_DOT:
          copyTo(at);
          out[o++] = DOT;
          break;
        case ADD_CR:
          copyTo(at);
          out[o++] = CR;
          break;
        case ADD_LF:
          copyTo(at + 1);
          out[o++] = LF;
          break;
      }
    }
    copyTo(chunk.length);
    return out;
  }

  /** Updates the stats exactly as `push` would, without producing the bytes (the RFC 1870 size, the BDAT length). */
  count(chunk: Uint8Array): void {
    this.scan(chunk);
  }

  /**
   * Finds what must change in the chunk (into `edits`, in input order), updates the state and the stats,
   * and returns the encoded length. Line endings are found with native searches, once per line, so a
   * large message costs a few native calls per line instead of a JS step per byte.
   */
  private scan(chunk: Uint8Array): number {
    if (this.ended) throw new Error('push() after end()');
    const edits = this.edits;
    edits.length = 0;
    const n = chunk.length;
    if (n === 0) return 0;
    const nul = chunk.indexOf(0);
    if (nul !== -1) throw new NulByteError(this.s.bytesIn + nul);
    let atLineStart = this.atLineStart;
    let lineOctets = this.lineOctets;
    let maxLine = this.s.maxLineOctets;
    let lines = this.s.lines;
    let afterCr = false;
    let delta = 0;
    let i = 0;
    if (this.afterCr && chunk[0] === LF) {
      edits.push(0, DROP_LF);
      delta--;
      i = 1;
    }
    // Positions of the next CR and LF, searched again only once passed (-1: none left in the chunk).
    let nextCr = -2;
    let nextLf = -2;
    while (i < n) {
      if (atLineStart && this.stuffDots && chunk[i] === DOT) {
        edits.push(i, STUFF_DOT);
        delta++;
      }
      if (nextCr !== -1 && nextCr < i) nextCr = chunk.indexOf(CR, i);
      if (nextLf !== -1 && nextLf < i) nextLf = chunk.indexOf(LF, i);
      const cr = nextCr === -1 ? n : nextCr;
      const lf = nextLf === -1 ? n : nextLf;
      const eol = cr < lf ? cr : lf;
      if (eol > i) atLineStart = false;
      lineOctets += eol - i;
      if (eol === n) break;
      if (eol === cr) {
        if (eol + 1 < n && chunk[eol + 1] === LF) i = eol + 2; // CRLF: unchanged
        else {
          // A bare CR, or a CR ending the chunk: written as CRLF now; an LF opening the next chunk is dropped.
          edits.push(eol, ADD_LF);
          delta++;
          afterCr = eol + 1 === n;
          i = eol + 1;
        }
      } else {
        // An LF with no CR before it (a CR right before it would have been found first).
        edits.push(eol, ADD_CR);
        delta++;
        i = eol + 1;
      }
      if (lineOctets > maxLine) maxLine = lineOctets;
      lineOctets = 0;
      lines++;
      atLineStart = true;
    }
    this.atLineStart = atLineStart;
    this.afterCr = afterCr;
    this.lineOctets = lineOctets;
    this.s.maxLineOctets = Math.max(maxLine, lineOctets);
    this.s.lines = lines;
    this.s.bytesIn += n;
    this.s.bytesOut += n + delta;
    return n + delta;
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

export interface EncoderOptions {
  /**
   * Reuse one output buffer: what `push` returns is valid only until the next `push`. For callers that copy
   * the bytes at once (the socket writer), so that a changed chunk costs no allocation.
   */
  lend?: boolean;
}

/** DATA body encoder: CRLF normalisation + dot-stuffing + terminator. */
export class DataEncoder {
  private readonly enc: LineEncoder;

  constructor(opts: EncoderOptions = {}) {
    this.enc = new LineEncoder(true, opts.lend === true);
  }

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
  private readonly enc: LineEncoder;

  constructor(opts: EncoderOptions = {}) {
    this.enc = new LineEncoder(false, opts.lend === true);
  }

  push(chunk: Uint8Array): Uint8Array {
    return this.enc.push(chunk);
  }

  end(): Uint8Array {
    return this.enc.end(false);
  }

  /**
   * Measuring without producing bytes: updates `stats` as `push` would. After `countEnd()`, `stats.bytesOut`
   * is the RFC 1870 message size, which is also the exact BDAT length.
   */
  count(chunk: Uint8Array): void {
    this.enc.count(chunk);
  }

  countEnd(): void {
    this.enc.end(false);
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
