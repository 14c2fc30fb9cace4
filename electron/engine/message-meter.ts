// Measures a message the way CrlfNormalizer would emit it, without producing the bytes: the RFC 1870 size
// (= the BDAT length), the line count, and whether it needs 8BITMIME or SMTPUTF8. The size and lines come
// from the normaliser's own scan (`count`), so they cannot disagree with what goes on the wire; 8-bit
// content is found with native scans (isAscii). Nothing is allocated per chunk, and the cost is a few
// native calls per line, not a JS step per byte.
import { isAscii } from 'node:buffer';
import { CrlfNormalizer } from '../../shared/smtp/data-encoder';

const CR = 13;
const LF = 10;

export interface MeterResult {
  sizeBytes: number;
  lines: number;
  needs8bit: boolean;
  needsSmtpUtf8: boolean;
}

export class MessageMeter {
  private readonly norm = new CrlfNormalizer();
  private inHeaders = true;
  /** Header scan: at the start of a line (an empty line there ends the header section). */
  private atLineStart = true;
  /** Header scan: the previous chunk ended in CR, so an LF opening this one completes that line ending. */
  private pendingCr = false;
  private eightBit = false;
  private headerEightBit = false;

  /** Throws NulByteError (like the encoders) when the chunk holds a NUL: it is never sent raw. */
  push(chunk: Uint8Array): void {
    this.norm.count(chunk);
    if (chunk.length === 0) return;
    let bodyFrom = 0;
    if (this.inHeaders) {
      bodyFrom = this.headerEnd(chunk);
      if (!this.headerEightBit && bodyFrom > 0 && !isAscii(chunk.subarray(0, bodyFrom))) {
        this.headerEightBit = true; // RFC 6532 §3: UTF-8 in headers needs SMTPUTF8
        this.eightBit = true;
      }
    }
    if (!this.eightBit && bodyFrom < chunk.length && !isAscii(chunk.subarray(bodyFrom))) this.eightBit = true;
  }

  /**
   * Where the body starts in this chunk (after the empty line that ends the header section), or the chunk
   * length while still in the headers. Line endings are CRLF, bare CR or bare LF, as the normaliser reads them.
   */
  private headerEnd(chunk: Uint8Array): number {
    const n = chunk.length;
    let i = 0;
    if (this.pendingCr) {
      this.pendingCr = false;
      if (chunk[0] === LF) i = 1;
    }
    // Next CR and LF positions, searched again only once passed (-1: none left), so that a chunk with
    // only one kind of line ending is not searched to its end for the other kind on every line.
    let nextCr = -2;
    let nextLf = -2;
    while (i < n) {
      if (nextCr !== -1 && nextCr < i) nextCr = chunk.indexOf(CR, i);
      if (nextLf !== -1 && nextLf < i) nextLf = chunk.indexOf(LF, i);
      const eol = Math.min(nextCr === -1 ? n : nextCr, nextLf === -1 ? n : nextLf);
      if (eol > i) this.atLineStart = false;
      if (eol === n) return n;
      const empty = this.atLineStart;
      let next = eol + 1;
      if (chunk[eol] === CR) {
        if (next === n) this.pendingCr = true;
        else if (chunk[next] === LF) next++;
      }
      this.atLineStart = true;
      if (empty) {
        this.inHeaders = false;
        this.pendingCr = false; // the LF that may open the next chunk is body, and ASCII either way
        return next;
      }
      i = next;
    }
    return n;
  }

  end(): MeterResult {
    this.norm.countEnd();
    const { bytesOut, lines } = this.norm.stats;
    return { sizeBytes: bytesOut, lines, needs8bit: this.eightBit, needsSmtpUtf8: this.headerEightBit };
  }
}
