/**
 * Replies for the protocol options: XCLIENT (Postfix answers 220 with a new greeting, then EHLO must be sent
 * again) and LMTP's per-recipient replies after the message (RFC 2033 §4.2).
 */
import { info, setFailure, type Ctx } from './dialog-core';
import { escapeForDisplay } from './escape';
import { parseQueueId } from './queue-id';
import type { SmtpReply } from './reply-reader';

export function onXclientReply(ctx: Ctx, reply: SmtpReply, quoted: string): void {
  const { s } = ctx;
  if (reply.code === 220) {
    s.xclientDone = true;
    // XCLIENT_README: the server resets its state and greets again; the client sends EHLO anew.
    s.heloDone = false;
    s.caps = undefined;
    s.esmtp = false;
    s.ehloRefused = false;
    info(ctx, 'info', 'XCLIENT accepted: the server now acts as if the given client had connected; sending EHLO again.', 'ehlo');
    return;
  }
  const reason = `The server refused XCLIENT (${quoted}); is this client listed in smtpd_authorized_xclient_hosts?`;
  // An XCLIENT typed by hand in step mode (none configured) is an experiment: its refusal is not the outcome.
  if (!s.config.xclient?.length) return info(ctx, 'warn', reason, 'ehlo');
  setFailure(ctx, { stage: 'ehlo', reason, reply: quoted });
}

export function onLmtpFinalReply(ctx: Ctx, rcpt: string, reply: SmtpReply, quoted: string): void {
  const { s } = ctx;
  const ok = reply.code >= 200 && reply.code < 300;
  const text = escapeForDisplay(reply.lines.join(' ')).slice(0, 300);
  const i = s.recipients.findIndex((r) => r.rcpt === rcpt && r.accepted);
  const result = { rcpt, accepted: ok, code: reply.code, text: `after the message (LMTP): ${text}` };
  if (i >= 0) s.recipients = s.recipients.map((r, j) => (j === i ? result : r));
  ctx.events.push({ kind: 'recipient', ...result });
  if (ok) {
    s.delivered = true;
    s.queueId ??= parseQueueId(reply.lines);
    s.deliveredReply ??= quoted;
    s.failure = undefined;
    return;
  }
  info(ctx, 'warn', `The LMTP server did not deliver the message to ${rcpt} (${quoted}).`, 'body');
  if (!s.delivered) setFailure(ctx, { stage: 'body', reason: `The LMTP server refused the message for ${rcpt} (${quoted}).`, reply: quoted });
}
