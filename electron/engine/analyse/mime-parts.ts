import { simpleParser } from 'mailparser';
import type { BounceParts } from '../../../shared/analyse/bounce';
import type { HeaderField } from '../../../shared/analyse/header-block';

/**
 * The parts of a bounce, by mailparser: the human-readable text (HTML reduced to text), the
 * message/delivery-status body (RFC 3464 §2), and the returned message's headers (text/rfc822-headers, or
 * the header section of a message/rfc822 part, RFC 3462 §2). Input is already cut to the MIME cap.
 */
export async function bounceParts(text: string, headers: HeaderField[], timeoutMs: number): Promise<{ parts: BounceParts; warnings: string[] }> {
  const warnings: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const run = simpleParser(text, { keepDeliveryStatus: true, skipImageLinks: true, maxHtmlLengthToParse: 512 * 1024 });
    const parsed = await Promise.race([run, deadline]);
    if (parsed === 'timeout') {
      run.catch(() => undefined);
      warnings.push(`The MIME parse did not finish within ${timeoutMs} ms; the bounce was read from its raw text.`);
      return { parts: { headers, humanText: text.slice(0, 256 * 1024) }, warnings };
    }
    const parts: BounceParts = { headers, humanText: parsed.text ?? (typeof parsed.html === 'string' ? parsed.html.replace(/<[^>]*>/g, ' ') : '') };
    for (const a of parsed.attachments.slice(0, 20)) {
      const type = a.contentType.toLowerCase();
      const body = a.content.subarray(0, 512 * 1024).toString('utf8');
      if ((type === 'message/delivery-status' || type === 'message/global-delivery-status') && parts.deliveryStatus === undefined) parts.deliveryStatus = body;
      else if (type === 'text/rfc822-headers' || type === 'message/global-headers') parts.originalHeaders ??= body;
      else if (type === 'message/rfc822' || type === 'message/global') parts.originalHeaders ??= body.split(/\r?\n\r?\n/)[0];
    }
    if (parts.humanText.trim() === '') parts.humanText = text.slice(0, 256 * 1024);
    return { parts, warnings };
  } catch (error) {
    warnings.push(`The MIME structure is broken (${error instanceof Error ? error.message.slice(0, 120) : 'parse error'}); the bounce was read from its raw text.`);
    return { parts: { headers, humanText: text.slice(0, 256 * 1024) }, warnings };
  } finally {
    if (timer) clearTimeout(timer);
  }
}
