/**
 * Draft validation: `validateDraftFields` for the form as the user types (field → message), `parseDraft`
 * for main, which reads an untrusted payload into a clean Draft and refuses it on the first problem.
 */
import type { AttachmentInput, CustomHeader, Draft } from '../model';
import type { Result } from '../result';
import { fail, ok } from '../result';
import { isBase64 } from '../smtp/base64';
import { validateMailbox } from './address';
import { parseAddressList } from './address-list';
import { effectiveEnvelope } from './envelope';
import { validateHeaderName, validateHeaderValue } from './fields';
import type { FieldErrors } from './shape';
import { isRecord, ShapeReader } from './shape';
import { controlError } from './text-rules';

const MiB = 1024 * 1024;

export const DRAFT_LIMITS = {
  maxTextChars: 32 * MiB,
  maxHtmlChars: 32 * MiB,
  maxRawChars: 64 * MiB,
  maxAttachments: 100,
  /** Decoded bytes of all attachments together. */
  maxAttachmentBytes: 25 * MiB,
  maxRecipients: 1000,
  maxCustomHeaders: 100,
  maxAddressListChars: 100_000,
  maxFilenameChars: 255,
};

// RFC 6838 §4.2 restricted-name for type and subtype.
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

function nulError(text: string, label: string): string | undefined {
  const i = text.indexOf('\0');
  return i === -1 ? undefined : `${label} contains a NUL character at position ${i + 1}; NUL is never sent in a message. Remove it.`;
}

function checkAttachments(list: AttachmentInput[], errors: FieldErrors): void {
  let total = 0;
  list.forEach((a, i) => {
    const key = `attachments.${i}`;
    const name = `Attachment ${i + 1}`;
    const ctl = controlError(a.filename, `${name}'s file name`);
    if (ctl) errors[key] ??= ctl;
    else if (a.filename.trim() === '' || a.filename.length > DRAFT_LIMITS.maxFilenameChars) errors[key] ??= `${name} needs a file name of 1 to ${DRAFT_LIMITS.maxFilenameChars} characters.`;
    else if (!MEDIA_TYPE.test(a.contentType)) errors[key] ??= `${name}'s content type must look like type/subtype (for example application/pdf).`;
    else if (!isBase64(a.contentBase64)) errors[key] ??= `${name}'s content is not valid base64.`;
    total += Math.floor((a.contentBase64.length * 3) / 4);
  });
  if (total > DRAFT_LIMITS.maxAttachmentBytes) errors.attachments ??= `The attachments add up to ${(total / MiB).toFixed(1)} MiB; at most ${DRAFT_LIMITS.maxAttachmentBytes / MiB} MiB are allowed.`;
}

function checkHeaders(draft: Draft, errors: FieldErrors, forSending: boolean): void {
  const lists: [keyof Draft & string, string][] = [
    ['from', 'From'],
    ['to', 'To'],
    ['cc', 'Cc'],
    ['bcc', 'Bcc'],
    ['replyTo', 'Reply-To'],
  ];
  for (const [key, label] of lists) {
    const r = parseAddressList(draft[key] as string, label);
    if (!r.ok) errors[key] = r.message;
  }
  if (forSending && !errors.from && draft.from.trim() === '') errors.from = 'From is required: the message needs an author (RFC 5322 §3.6).';
  const subject = validateHeaderValue(draft.subject, 'Subject');
  if (!subject.ok) errors.subject = subject.message;
  draft.customHeaders.forEach((h: CustomHeader, i) => {
    const n = validateHeaderName(h.name, { label: `Header ${i + 1}'s name` });
    if (!n.ok) errors[`customHeaders.${i}.name`] = n.message;
    const v = validateHeaderValue(h.value, `Header ${h.name || i + 1}`);
    if (!v.ok) errors[`customHeaders.${i}.value`] = v.message;
  });
  const text = nulError(draft.text, 'The text body');
  if (text) errors.text = text;
  const html = nulError(draft.html, 'The HTML body');
  if (html) errors.html = html;
  checkAttachments(draft.attachments, errors);
}

function checkEnvelope(draft: Draft, errors: FieldErrors, forSending: boolean): void {
  const env = effectiveEnvelope(draft);
  const explicit = draft.envelopeEdited || draft.rawMode;
  if (explicit) {
    const from = validateMailbox(env.mailFrom, { allowNull: true, label: 'MAIL FROM' });
    if (!from.ok) errors.mailFrom = from.message;
    draft.rcptTo.forEach((r, i) => {
      if (r.trim() === '') return;
      const v = validateMailbox(r, { label: `RCPT TO ${i + 1}` });
      if (!v.ok) errors[`rcptTo.${i}`] = v.message;
    });
  }
  if (env.rcptTo.length > DRAFT_LIMITS.maxRecipients) errors[explicit ? 'rcptTo' : 'to'] = `There are ${env.rcptTo.length} recipients; at most ${DRAFT_LIMITS.maxRecipients} are allowed.`;
  if (forSending && env.rcptTo.length === 0) {
    const key = explicit ? 'rcptTo' : 'to';
    errors[key] ??= explicit ? 'Add at least one RCPT TO address.' : 'Add at least one recipient (To, Cc or Bcc).';
  }
}

/**
 * Field → message for everything wrong in a draft. `forSending` (default true) also asks for what a send
 * needs (a From, a recipient, a raw text); a preview does not.
 */
export function validateDraftFields(draft: Draft, opts: { forSending?: boolean } = {}): FieldErrors {
  const forSending = opts.forSending ?? true;
  const errors: FieldErrors = {};
  if (draft.rawMode) {
    const raw = nulError(draft.raw, 'The raw message');
    if (raw) errors.raw = raw;
    else if (forSending && draft.raw.trim() === '') errors.raw = 'The raw message is empty.';
  } else {
    checkHeaders(draft, errors, forSending);
  }
  checkEnvelope(draft, errors, forSending);
  return errors;
}

/** First error as a Result failure, naming the field, plus how many more there are. */
export function firstError<T>(errors: FieldErrors, prefix = ''): Result<T> | undefined {
  const keys = Object.keys(errors);
  if (keys.length === 0) return undefined;
  const more = keys.length > 1 ? ` (${keys.length - 1} more problem${keys.length > 2 ? 's' : ''})` : '';
  return fail('invalid_input', errors[keys[0]] + more, { field: prefix + keys[0] });
}

/** Reads the shape of an untrusted draft (types and sizes) into a clean object with only known keys. */
export function readDraftShape(input: unknown, s: ShapeReader, prefix = 'draft.'): Draft {
  const o = isRecord(input) ? input : {};
  if (!isRecord(input)) s.error(prefix.slice(0, -1) || 'draft', 'The draft must be an object.');
  const L = DRAFT_LIMITS;
  const str = (k: string, max: number) => s.string(o, k, prefix + k, { max, fallback: '' });
  const headers = s.array(o, 'customHeaders', prefix + 'customHeaders', L.maxCustomHeaders).map((h, i) => {
    const r = isRecord(h) ? h : {};
    return { name: s.string(r, 'name', `${prefix}customHeaders.${i}.name`, { max: 1000 }), value: s.string(r, 'value', `${prefix}customHeaders.${i}.value`, { max: 100_000 }) };
  });
  const attachments = s.array(o, 'attachments', prefix + 'attachments', L.maxAttachments).map((a, i) => {
    const r = isRecord(a) ? a : {};
    const f = `${prefix}attachments.${i}`;
    return {
      filename: s.string(r, 'filename', f, { max: 10_000 }),
      contentType: s.string(r, 'contentType', f, { max: 300 }),
      contentBase64: s.string(r, 'contentBase64', f, { max: Math.ceil((L.maxAttachmentBytes * 4) / 3) + 4 }),
    };
  });
  const rcptTo = s.array(o, 'rcptTo', prefix + 'rcptTo', L.maxRecipients).map((r, i) => s.string({ r }, 'r', `${prefix}rcptTo.${i}`, { max: 1000 }));
  return {
    from: str('from', L.maxAddressListChars),
    to: str('to', L.maxAddressListChars),
    cc: str('cc', L.maxAddressListChars),
    bcc: str('bcc', L.maxAddressListChars),
    replyTo: str('replyTo', L.maxAddressListChars),
    subject: str('subject', 100_000),
    customHeaders: headers,
    text: str('text', L.maxTextChars),
    html: str('html', L.maxHtmlChars),
    attachments,
    mailFrom: str('mailFrom', 1000),
    rcptTo,
    envelopeEdited: s.boolean(o, 'envelopeEdited', prefix + 'envelopeEdited', false),
    rawMode: s.boolean(o, 'rawMode', prefix + 'rawMode', false),
    raw: str('raw', L.maxRawChars),
  };
}

/** Untrusted payload → Draft, refused on the first problem. `forSending` as in validateDraftFields. */
export function parseDraft(input: unknown, opts: { forSending?: boolean } = {}): Result<Draft> {
  const s = new ShapeReader();
  const draft = readDraftShape(input, s, '');
  const shapeErr = firstError<Draft>(s.errors);
  if (shapeErr) return shapeErr;
  return firstError<Draft>(validateDraftFields(draft, { forSending: opts.forSending ?? false })) ?? ok(draft);
}
