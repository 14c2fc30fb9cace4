import type { Draft } from '../../shared/model';
import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';
import { curlScript } from '../../shared/export/curl';
import { eventsExportText } from '../../shared/export/events-json';
import { opensslRecipe } from '../../shared/export/openssl';
import { scrubText, secretNeedles } from '../../shared/export/secret-scrub';
import { sendSpecs } from '../../shared/export/send-spec';
import { swaksScript } from '../../shared/export/swaks';
import { transcriptText } from '../../shared/export/transcript';
import type { ExportFile, ExportFormat, HistoryDetail } from '../../shared/store-model';
import { fileTimestamp } from './atomic-file';
import { checkTranscriptText } from './check-export';
import { buildMessage } from '../engine/message';

/** Renders a draft to the message text (an .eml). `date` pins the Date header to when the session ran. */
export type RenderMessage = (draft: Draft, date: Date) => Promise<Result<string>>;

/** The message builder the engine sends with (nodemailer MailComposer), collected into one string. */
export const renderMessageWithEngine: RenderMessage = async (draft, date) => {
  const built = buildMessage(draft, date);
  if (!built.ok) return built;
  const chunks: Buffer[] = [];
  for await (const chunk of built.value.open()) chunks.push(Buffer.from(chunk));
  // An .eml is CRLF throughout (RFC 5322 §2.1); raw mode text may have bare LFs. It ends with CRLF, as
  // the delivered message does (the DATA terminator adds one when it is missing, RFC 5321 §4.1.1.4).
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n/g, '\r\n');
  return ok(text.endsWith('\r\n') ? text : `${text}\r\n`);
};

export const MESSAGE_FILE = 'message.eml';

const MIME: Record<ExportFormat, string> = {
  text: 'text/plain',
  json: 'application/json',
  eml: 'message/rfc822',
  swaks: 'text/x-shellscript',
  curl: 'text/x-shellscript',
  openssl: 'text/plain',
};
const EXT: Record<ExportFormat, string> = { text: 'txt', json: 'json', eml: 'eml', swaks: 'swaks.sh', curl: 'curl.sh', openssl: 'openssl.txt' };

export function exportFilename(detail: HistoryDetail, format: ExportFormat): string {
  const when = detail.entry.startedAt ? fileTimestamp(new Date(detail.entry.startedAt)).replace(/\.\d+Z$/, 'Z') : 'session';
  return `mxdesk-${when}-${detail.entry.id.slice(0, 8)}.${EXT[format]}`;
}

async function messageOf(detail: HistoryDetail, render: RenderMessage): Promise<Result<string>> {
  if (!detail.request) return fail('not_available', 'The message of this session was not stored, so it cannot be exported.');
  const started = detail.entry.startedAt ? new Date(detail.entry.startedAt) : new Date();
  return render(detail.request.draft, Number.isNaN(started.getTime()) ? new Date() : started);
}

async function content(detail: HistoryDetail, format: ExportFormat, render: RenderMessage): Promise<Result<string>> {
  const sessionId = detail.events[0]?.sessionId ?? detail.entry.id;
  if (detail.entry.check) {
    // A check: several streams in one journal, and no message to export.
    if (format === 'text') return ok(checkTranscriptText(detail));
    if (format === 'json') return ok(eventsExportText(sessionId, detail.events));
    return fail('not_available', 'A check sends no message, so only its transcript and its events can be exported.');
  }
  switch (format) {
    case 'text':
      return ok(transcriptText(detail.events, { title: `MX Desk session ${sessionId}: ${detail.entry.target}` }));
    case 'json':
      return ok(eventsExportText(sessionId, detail.events));
    case 'eml':
      return messageOf(detail, render);
  }
  if (!detail.request) return fail('not_available', 'The request of this session was not stored, so its command line cannot be rebuilt.');
  const specs = sendSpecs(detail.request, detail.events);
  const message = await messageOf(detail, render);
  const text = message.ok ? message.value : undefined;
  if (format === 'swaks') return ok(swaksScript(specs, MESSAGE_FILE, text));
  if (format === 'curl') return ok(curlScript(specs, MESSAGE_FILE));
  return ok(opensslRecipe(specs, MESSAGE_FILE, text));
}

/**
 * One export of a past session. `secrets` are passwords main knows for it (a profile's); the content is
 * scrubbed of them as a last guard, though none of the sources (journal, redacted request) hold one.
 */
export async function exportSessionFile(detail: HistoryDetail, format: ExportFormat, render: RenderMessage, secrets: string[] = []): Promise<Result<ExportFile>> {
  const body = await content(detail, format, render);
  if (!body.ok) return body;
  const needles = secrets.flatMap(secretNeedles);
  return ok({ filename: exportFilename(detail, format), mimeType: MIME[format], content: scrubText(body.value, needles) });
}
