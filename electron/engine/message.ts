// The message a session sends, as a stream of bytes that can be opened more than once with the same result
// (one pass measures SIZE/8-bit needs, one pass goes on the wire). MIME composition is nodemailer's
// MailComposer; the bytes on the wire are governed by shared/smtp/data-encoder (CRLF, dot-stuffing).
// Nothing here holds a second full copy of a large body: raw text and large text parts are fed in slices.
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { DataEncoder, NulByteError } from '../../shared/smtp/data-encoder';
import { MessageMeter } from './message-meter';
import type { Draft, MessagePreview } from '../../shared/model';
import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';

/** Slice size for feeding big strings; also the size of writes to the socket. */
export const SLICE_CHARS = 64 * 1024;
/** Text parts longer than this are fed to MailComposer as a stream (it would otherwise copy them whole). */
export const STREAM_TEXT_OVER = 256 * 1024;

export interface BuildOptions {
  /** The text part is read from this file on every pass instead of `draft.text` (CLI `--body @FILE`). */
  textFile?: string;
}

export interface MessageSource {
  raw: boolean;
  /**
   * A fresh stream of the message (before DATA encoding). Every call yields the same bytes. A chunk is only
   * lent: it is valid until the next one is asked for (a source may refill one buffer), so a consumer that
   * keeps bytes copies them.
   */
  open(): AsyncIterable<Uint8Array>;
}

export interface MessageInfo {
  /** RFC 1870 size: octets after CRLF normalisation, without dot-stuffing or terminator. Also the BDAT length. */
  sizeBytes: number;
  lines: number;
  /** Some byte ≥ 0x80: BODY=8BITMIME is needed (RFC 6152). */
  needs8bit: boolean;
  /** 8-bit bytes in the header section: UTF-8 headers need SMTPUTF8 (RFC 6532 §3). */
  needsSmtpUtf8: boolean;
}

/** Splits a JS string into UTF-8 slices without cutting a surrogate pair. */
export function* utf8Slices(text: string, sliceChars = SLICE_CHARS): Generator<Uint8Array> {
  let i = 0;
  while (i < text.length) {
    let end = Math.min(text.length, i + sliceChars);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    yield Buffer.from(text.slice(i, end), 'utf8');
    i = end;
  }
}

/**
 * Like utf8Slices, but every slice is encoded into one reused buffer, lent to the consumer until the next
 * slice (MessageSource.open): a 20 MiB raw text leaves no 20 MiB of dead buffers behind each pass.
 */
export function* lentUtf8Slices(text: string, sliceChars = SLICE_CHARS): Generator<Uint8Array> {
  // At most 3 UTF-8 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units).
  const buf = Buffer.allocUnsafeSlow(sliceChars * 3);
  let i = 0;
  while (i < text.length) {
    let end = Math.min(text.length, i + sliceChars);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    const n = buf.write(text.slice(i, end), 0, 'utf8');
    yield buf.subarray(0, n);
    i = end;
  }
}

function textStream(text: string): Readable {
  return Readable.from(utf8Slices(text), { objectMode: false });
}

/**
 * A file as a plain stream. MailComposer refuses a ReadStream under `disableFileAccess` (it carries a path),
 * and that guard stays on for what drafts name; this file was named by the CLI user, not by a draft.
 */
function fileStream(path: string): Readable {
  return Readable.from(createReadStream(path, { highWaterMark: SLICE_CHARS }), { objectMode: false });
}

function fromDomain(address: string): string {
  const m = /@([^@\s>]+)>?\s*$/.exec(address);
  return m ? m[1].toLowerCase() : 'mxdesk.invalid';
}

/**
 * Builds the source for a draft. The Date, Message-ID and MIME boundaries are fixed here, once, so that
 * every `open()` produces identical bytes.
 */
export function buildMessage(draft: Draft, now: Date = new Date(), opts: BuildOptions = {}): Result<MessageSource> {
  if (draft.rawMode) {
    const text = draft.raw;
    return ok({
      raw: true,
      async *open() {
        yield* lentUtf8Slices(text);
      },
    });
  }
  let attachments: Mail.Attachment[];
  try {
    attachments = draft.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.contentBase64, 'base64') }));
  } catch {
    return fail('invalid_input', 'An attachment is not valid base64.', { field: 'attachments' });
  }
  const fixed = {
    date: now,
    messageId: `<${randomUUID()}@${fromDomain(draft.from)}>`,
    baseBoundary: randomBytes(8).toString('hex'),
  };
  const customNames = new Map(draft.customHeaders.map((h) => [h.name.toLowerCase(), h.name]));
  const options = (): Mail.Options & { baseBoundary: string } => {
    const o: Mail.Options & { baseBoundary: string } = {
      ...fixed,
      from: draft.from,
      subject: draft.subject,
      // A big text part (or a file) goes in as a stream; it is then always quoted-printable, which is fine.
      text: opts.textFile !== undefined ? fileStream(opts.textFile) : draft.text.length > STREAM_TEXT_OVER ? textStream(draft.text) : draft.text,
      attachments,
      // Custom headers go first; MailComposer's own (From, To, …) always override same-named ones.
      headers: draft.customHeaders.map((h) => ({ key: h.name, value: h.value })),
      // Keep custom header names exactly as typed (MailComposer would re-case "X-MX-Desk" as "X-Mx-Desk").
      normalizeHeaderKey: (key: string) => customNames.get(key.toLowerCase()) ?? '',
      // Content comes only from the draft (or the caller's textFile): never from a path or URL named in it.
      disableFileAccess: true,
      disableUrlAccess: true,
    };
    if (draft.to.trim()) o.to = draft.to;
    if (draft.cc.trim()) o.cc = draft.cc;
    if (draft.replyTo.trim()) o.replyTo = draft.replyTo;
    if (draft.html.trim()) o.html = draft.html.length > STREAM_TEXT_OVER ? textStream(draft.html) : draft.html;
    // Bcc is never given to the composer: it belongs to the envelope only (RFC 5322 §3.6.3 allows the
    // header, but a header would disclose the blind recipients to the others).
    return o;
  };
  return ok({
    raw: false,
    open(): AsyncIterable<Uint8Array> {
      // A new composer per pass: stream contents can be read only once, the fixed values keep the output equal.
      return new MailComposer(options()).compile().createReadStream();
    },
  });
}

/** Read size for message files: large reads keep the number of thread-pool round trips per pass low. */
export const FILE_READ_BYTES = 256 * 1024;

/**
 * A raw message read from a file on every pass (CLI `--raw @FILE`): nothing of it is held in memory, unlike
 * a draft whose `raw` text is a string. Each pass reads into one buffer that it lends chunk by chunk (a
 * ReadStream would allocate a new buffer per read, left for the GC). Only CRLF normalisation and
 * dot-stuffing are applied on the wire.
 */
export function fileMessageSource(path: string): MessageSource {
  return {
    raw: true,
    async *open() {
      const file = await openFile(path, 'r');
      try {
        const buf = Buffer.allocUnsafeSlow(FILE_READ_BYTES);
        for (;;) {
          const { bytesRead } = await file.read(buf, 0, buf.length, null);
          if (bytesRead === 0) return;
          yield buf.subarray(0, bytesRead);
        }
      } finally {
        await file.close();
      }
    },
  };
}

/** Bytes measured between two yields to the event loop, so sockets and timers keep running meanwhile. */
const YIELD_EVERY_BYTES = 1024 * 1024;

/** One pass over the message: size, lines, 8-bit needs. Throws NulByteError if the message holds a NUL. */
export async function measureMessage(src: MessageSource, signal?: AbortSignal): Promise<MessageInfo> {
  const meter = new MessageMeter();
  let sinceYield = 0;
  for await (const chunk of src.open()) {
    if (signal?.aborted) throw new Error('cancelled');
    meter.push(chunk);
    sinceYield += chunk.length;
    if (sinceYield >= YIELD_EVERY_BYTES) {
      sinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return meter.end();
}

export const PREVIEW_MAX_BYTES = 256 * 1024;

/** The DATA bytes as the server would see them (dot-stuffed, CRLF, terminator), cut at `maxBytes`. */
export async function preview(draft: Draft, maxBytes = PREVIEW_MAX_BYTES, transform?: (src: MessageSource) => Promise<Result<MessageSource>>): Promise<Result<MessagePreview>> {
  const composed = buildMessage(draft);
  if (!composed.ok) return composed;
  // `transform` (DKIM signing) turns the composed source into the one that goes on the wire.
  const built = transform ? await transform(composed.value) : composed;
  if (!built.ok) return built;
  const enc = new DataEncoder();
  const parts: Uint8Array[] = [];
  let kept = 0;
  let wireSize = 0;
  const keep = (b: Uint8Array): void => {
    wireSize += b.length;
    if (kept >= maxBytes) return;
    const take = Buffer.from(b.subarray(0, Math.min(b.length, maxBytes - kept))); // a copy: chunks are lent
    parts.push(take);
    kept += take.length;
  };
  try {
    const info = await measureMessage(built.value);
    for await (const chunk of built.value.open()) keep(enc.push(chunk));
    keep(enc.end());
    return ok({
      wire: Buffer.concat(parts).toString('utf8'),
      sizeBytes: wireSize,
      needs8bit: info.needs8bit,
      needsSmtpUtf8: info.needsSmtpUtf8,
      truncated: wireSize > kept,
    });
  } catch (e) {
    if (e instanceof NulByteError) return fail('invalid_input', e.message, { field: draft.rawMode ? 'raw' : 'text' });
    return fail('compose_failed', `The message could not be composed: ${(e as Error).message}`);
  }
}
