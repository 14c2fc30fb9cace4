/**
 * The SMTP dialog as a sans-IO state machine: `step(state, input) → { state, actions, events }`.
 *
 * Every command sent registers the reply it awaits, in order (a queue, so PIPELINING needs no special
 * case). A reply is matched to the head of that queue; a reply with nothing to answer, or one that was
 * complete before its command was even sent, is a desynchronisation or an injection attempt and ends the
 * session. The driver (electron/engine) owns sockets, TLS and timers and feeds the results back in.
 */
import type { Stage } from '../model';
import { emptyCapabilities, parseEhloReply } from './capabilities';
import { advance, dotInFlight, endNow, execute, finish, info, quoteReply, redact, sendCommands, setFailure, type Ctx } from './dialog-core';
import { acceptedCount, noRecipientReason, pipeliningActive, quitCommand } from './dialog-plan';
import type { DialogConfig, DialogInput, DialogState, Expectation, StepResult } from './dialog-types';
import { onAuthReply } from './dialog-auth';
import { onLmtpFinalReply, onXclientReply } from './dialog-protocol';
import { lmtpReplyOrder } from './lmtp';
import { handleUser } from './dialog-user';
import { escapeForDisplay } from './escape';
import { explainReply } from './explain';
import { parseQueueId } from './queue-id';
import { joinSentences } from './sentences';
import type { SmtpReply } from './reply-reader';

export type { DialogConfig, DialogInput, DialogState, StepResult } from './dialog-types';
export { dotInFlight } from './dialog-core';

export function createDialog(config: DialogConfig): DialogState {
  return {
    config,
    mode: config.mode,
    queue: [],
    nextId: 1,
    stage: 'connect',
    greeted: false,
    secure: config.implicitTls,
    tlsPending: false,
    esmtp: false,
    heloDone: false,
    ehloRefused: false,
    starttlsRefused: false,
    warnedPlaintext: false,
    authChallenges: 0,
    authCancelled: false,
    authenticated: false,
    secrets: [],
    mailSent: false,
    mailAccepted: false,
    rcptNext: 0,
    recipients: [],
    dataSent: false,
    awaitingBody: false,
    dotSent: false,
    delivered: false,
    quitAfterHit: false,
    quitSent: false,
    breaksHit: [],
    inSasl: false,
  };
}

function copy(s: DialogState): DialogState {
  return { ...s, queue: [...s.queue], recipients: [...s.recipients], breaksHit: [...s.breaksHit], secrets: [...s.secrets] };
}

export function step(state: DialogState, input: DialogInput): StepResult {
  const ctx: Ctx = { s: copy(state), input, actions: [], events: [] };
  if (ctx.s.finished) return { state: ctx.s, actions: [], events: [] };
  switch (input.type) {
    case 'connected':
      ctx.s.secure = input.secure || ctx.s.config.implicitTls;
      ctx.s.stage = 'greeting';
      // RFC 5321 §4.5.3.2.1: the greeting has its own deadline, counted from the connection.
      ctx.s.queue.push({ id: ctx.s.nextId++, verb: 'GREETING', stage: 'greeting', deadline: 'greetingMs', sentAt: input.at, afterChunk: input.chunkNo });
      break;
    case 'reply':
      onReply(ctx, input.reply, input.firstByteAt);
      break;
    case 'reader-error':
      endNow(ctx, { stage: ctx.s.stage, reason: `${input.message} Raw line: "${input.raw}". The session was aborted: the server's replies cannot be trusted.`, reply: input.raw });
      break;
    case 'protocol-error':
      endNow(ctx, { stage: ctx.s.stage, reason: input.message });
      break;
    case 'tls-done':
      onTlsDone(ctx);
      break;
    case 'tls-failed':
      endNow(ctx, { stage: 'tls', reason: input.reason, timedOut: input.timedOut });
      break;
    case 'body-sent':
      onBodySent(ctx, input);
      break;
    case 'body-failed':
      // The terminator was not written: the server discards a partial message (RFC 5321 §4.1.1.4).
      endNow(ctx, { stage: 'body', reason: joinSentences(input.reason, 'The message was not completely sent, so it was not delivered.'), timedOut: input.timedOut });
      break;
    case 'timeout':
      onTimeout(ctx, input.expectationId, input.reason);
      break;
    case 'closed':
      onClosed(ctx, input.error);
      break;
    case 'user':
      handleUser(ctx, input.command);
      break;
    case 'cancel':
      if (dotInFlight(ctx.s)) finish(ctx, { outcome: 'unknown', reason: 'Cancelled while waiting for the reply to the message.' });
      else finish(ctx, { outcome: 'cancelled' });
      break;
  }
  return { state: ctx.s, actions: ctx.actions, events: ctx.events };
}

function emitReply(ctx: Ctx, reply: SmtpReply, stage: Stage, sentAt: number | undefined, firstByteAt: number): void {
  const e: Extract<StepResult['events'][number], { kind: 'reply' }> = {
    kind: 'reply',
    stage,
    code: reply.code,
    lines: reply.lines.map((l) => escapeForDisplay(redact(ctx.s, l))),
    explanation: explainReply(reply.code, reply.enhanced, stage),
    timing: { sentAt, firstByteAt, completeAt: ctx.input.at },
  };
  if (reply.enhanced) e.enhanced = reply.enhanced;
  ctx.events.push(e);
  if (reply.bareLf) info(ctx, 'warn', 'This reply ended its lines with a bare LF instead of CRLF (RFC 5321 §2.3.8).', stage);
}

function onReply(ctx: Ctx, reply: SmtpReply, firstByteAt: number): void {
  const { s } = ctx;
  const head = s.queue[0];
  if (!head) {
    emitReply(ctx, reply, s.stage, undefined, firstByteAt);
    if (reply.code === 421) {
      // RFC 5321 §3.8: a server may announce it is closing at any moment (idle timeout, shutdown).
      return endNow(ctx, { stage: s.stage, reason: `The server announced that it is closing the connection: "${quoteReply(s, reply)}". Temporary: try again later.`, reply: quoteReply(s, reply) });
    }
    return endNow(ctx, { stage: s.stage, reason: `The server sent a reply that answers no command ("${quoteReply(s, reply)}"): desynchronisation or a possible injection. The session was aborted.` });
  }
  if (ctx.input.chunkNo <= head.afterChunk) {
    emitReply(ctx, reply, head.stage, head.sentAt, firstByteAt);
    return endNow(ctx, { stage: head.stage, reason: `The server sent "${quoteReply(s, reply)}" before ${head.verb === 'GREETING' ? 'the session began' : `${head.verb} was sent`}: desynchronisation or a possible injection. The session was aborted.` });
  }
  s.queue.shift();
  emitReply(ctx, reply, head.stage, head.sentAt, firstByteAt);
  if (reply.code === 421 && head.verb !== 'QUIT' && head.verb !== 'GREETING') {
    if (head.final) {
      setFailure(ctx, { stage: head.stage, reason: `The server refused the message for now and is closing the connection: "${quoteReply(s, reply)}". Temporary: try again later.`, reply: quoteReply(s, reply) });
      return finish(ctx);
    }
    return endNow(ctx, { stage: head.stage, reason: `The server is closing the connection during ${head.stage.toUpperCase()}: "${quoteReply(s, reply)}". Temporary: try again later.`, reply: quoteReply(s, reply) });
  }
  handleReply(ctx, head, reply);
  if (s.finished) return;
  if (s.queue.length === 0) advance(ctx);
}

function handleReply(ctx: Ctx, head: Expectation, reply: SmtpReply): void {
  const { s } = ctx;
  const ok = reply.code >= 200 && reply.code < 300;
  const quoted = quoteReply(s, reply);
  switch (head.verb) {
    case 'GREETING':
      if (ok) {
        s.greeted = true;
      } else if (reply.code >= 400 && reply.code < 500) {
        // RFC 5321 §5.1: a temporary refusal moves on to the next address or MX host.
        endNow(ctx, { stage: 'greeting', reason: `The server is not ready to take mail (${quoted}).`, reply: quoted }, { tryNext: true });
      } else if (reply.code >= 500) {
        // RFC 5321 §3.1: 554 greeting — no service; the client should still QUIT politely.
        s.greeted = true;
        setFailure(ctx, { stage: 'greeting', reason: `The server refuses service to this client (${quoted}).`, reply: quoted });
      } else {
        endNow(ctx, { stage: 'greeting', reason: `The greeting is not a 2xx/4xx/5xx reply (${quoted}).`, reply: quoted });
      }
      return;
    case 'EHLO':
      if (ok) {
        s.caps = parseEhloReply(reply);
        s.esmtp = true;
        s.heloDone = true;
        if (!s.secure && !s.caps.starttls && s.config.tls === 'auto' && !s.warnedPlaintext) {
          s.warnedPlaintext = true;
          info(ctx, 'warn', 'Unencrypted: the server does not offer STARTTLS, so this session continues in plain text.', 'ehlo');
        }
      } else if (reply.code >= 500) {
        s.ehloRefused = true;
        info(ctx, 'info', 'EHLO was refused; falling back to HELO if the session allows it (RFC 5321 §3.2).', 'ehlo');
      } else {
        setFailure(ctx, { stage: 'ehlo', reason: `The server refused EHLO (${quoted}).`, reply: quoted });
      }
      return;
    case 'HELO':
      if (ok) {
        s.caps = emptyCapabilities();
        s.esmtp = false;
        s.heloDone = true;
      } else setFailure(ctx, { stage: 'ehlo', reason: `The server refused HELO too (${quoted}).`, reply: quoted });
      return;
    case 'STARTTLS':
      if (reply.code === 220) {
        s.stage = 'tls';
        s.tlsPending = true;
        ctx.actions.push({ type: 'start-tls' });
      } else {
        s.starttlsRefused = true;
        info(ctx, 'warn', `STARTTLS was refused (${quoted}).`, 'starttls');
      }
      return;
    case 'XCLIENT':
      return onXclientReply(ctx, reply, quoted);
    case 'AUTH':
      return onAuthReply(ctx, reply, quoted);
    case 'MAIL':
      if (ok) s.mailAccepted = true;
      else setFailure(ctx, { stage: 'mail', reason: `The server refused the sender (${quoted}).`, reply: quoted });
      return;
    case 'RCPT': {
      const text = escapeForDisplay(redact(s, reply.lines.join(' '))).slice(0, 300);
      const rcpt = head.rcpt ?? '';
      s.recipients.push({ rcpt, accepted: ok, code: reply.code, text });
      ctx.events.push({ kind: 'recipient', rcpt, accepted: ok, code: reply.code, text });
      return;
    }
    case 'DATA':
      if (reply.code === 354) {
        if (s.mailAccepted && acceptedCount(s) > 0 && !s.failure) {
          s.awaitingBody = true;
          return;
        }
        // RFC 2920 §3.1: the transaction failed but the server is in data mode — end it with a lone dot.
        if (!s.mailAccepted) setFailure(ctx, { stage: 'mail', reason: 'The server refused the sender.' });
        else setFailure(ctx, { stage: 'rcpt', reason: noRecipientReason(s) });
        info(ctx, 'info', 'DATA was accepted although the transaction had failed: ending it with an empty message (a lone dot), no body sent.', 'data');
        const q = pipeliningActive(s) ? quitCommand() : undefined;
        const dot = { verb: 'DOT', wire: '.\r\n', display: '.' };
        sendCommands(ctx, [{ command: dot, verb: 'DOT', stage: 'data', deadline: 'dataEndMs', empty: true }], false);
        if (q?.kind === 'command' && q.command.ok) execute(ctx, q);
        return;
      }
      // RFC 2920 §3.1: pipelined DATA is refused as a consequence when no RCPT was accepted; report the cause.
      if (!s.failure && s.recipients.length > 0 && acceptedCount(s) === 0) setFailure(ctx, { stage: 'rcpt', reason: noRecipientReason(s) });
      else if (!s.failure) setFailure(ctx, { stage: 'data', reason: `The server refused DATA (${quoted}); the message body was not sent.`, reply: quoted });
      return;
    case 'DOT':
    case 'BDAT':
      if (head.empty) return;
      if (s.config.lmtp && head.rcpt !== undefined) return onLmtpFinalReply(ctx, head.rcpt, reply, quoted);
      if (ok) {
        s.delivered = true;
        s.queueId = parseQueueId(reply.lines);
        s.deliveredReply = quoted;
        s.failure = undefined;
      } else if (!s.failure && s.recipients.length > 0 && acceptedCount(s) === 0) {
        // Optimistic BDAT (pipelined with RCPT): the chunk was refused because no recipient was.
        setFailure(ctx, { stage: 'rcpt', reason: noRecipientReason(s) });
      } else if (!s.failure) {
        setFailure(ctx, { stage: 'body', reason: `The server refused the message after receiving it (${quoted}).`, reply: quoted });
      }
      return;
    case 'RSET':
      if (ok) {
        s.mailSent = false;
        s.mailAccepted = false;
        s.rcptNext = 0;
        s.dataSent = false;
        s.awaitingBody = false;
        if (s.mode === 'step' && !s.delivered) s.failure = undefined;
      }
      return;
    case 'QUIT':
      finish(ctx);
      return;
    case 'OTHER':
      return;
  }
}

function onTlsDone(ctx: Ctx): void {
  const { s } = ctx;
  s.secure = true;
  s.tlsPending = false;
  // RFC 3207 §4.2: forget everything learnt before TLS and start again with EHLO.
  s.caps = undefined;
  s.heloDone = false;
  s.esmtp = false;
  s.ehloRefused = false;
  s.stage = 'tls';
  advance(ctx);
}

function onBodySent(ctx: Ctx, input: Extract<DialogInput, { type: 'body-sent' }>): void {
  const { s } = ctx;
  const method = s.queue.some((e) => e.verb === 'BDAT' && e.final) ? 'BDAT' : 'DATA';
  s.dotSent = true;
  ctx.events.push({ kind: 'data_body', bytes: input.bytes, lines: input.lines, preview: input.preview, truncated: input.truncated, method });
  if (method === 'DATA') {
    // RFC 2033 §4.2: LMTP answers the dot once per accepted recipient, in RCPT order.
    for (const rcpt of s.config.lmtp ? lmtpReplyOrder(s.recipients) : [undefined])
      s.queue.push({ id: s.nextId++, verb: 'DOT', stage: 'body', deadline: 'dataEndMs', sentAt: input.at, afterChunk: input.chunkNo, final: true, rcpt });
  } else {
    // The final reply's deadline counts from the end of the chunk, not from the BDAT command.
    s.queue = s.queue.map((e) => (e.verb === 'BDAT' && e.final ? { ...e, sentAt: input.at } : e));
  }
  // RFC 2920: QUIT may follow the end of data in the same flight.
  if (s.mode === 'auto' && pipeliningActive(s) && !s.quitSent) execute(ctx, quitCommand());
}

function onTimeout(ctx: Ctx, expectationId: number, reason: string): void {
  const { s } = ctx;
  const head = s.queue[0];
  if (!head || head.id !== expectationId) return; // the reply arrived meanwhile
  if (head.verb === 'QUIT') return finish(ctx); // the outcome is known; the 221 is a courtesy
  if (head.verb === 'GREETING') return endNow(ctx, { stage: 'greeting', reason: `The server accepted the connection but sent no greeting: ${reason}.`, timedOut: true }, { tryNext: true });
  if (dotInFlight(s)) return finish(ctx, { outcome: 'unknown', reason: `No final reply: ${reason}.` });
  endNow(ctx, { stage: head.stage, reason: `Timed out during ${head.stage.toUpperCase()}: ${reason}.`, timedOut: true });
}

function onClosed(ctx: Ctx, error: string | undefined): void {
  const { s } = ctx;
  const why = error ? ` (${error})` : '';
  if (s.quitSent && (s.queue.length === 0 || s.queue[0].verb === 'QUIT')) return finish(ctx);
  if (dotInFlight(s)) return finish(ctx, { outcome: 'unknown', reason: `The connection closed before the server confirmed the message${why}.` });
  if (!s.greeted) return endNow(ctx, { stage: 'greeting', reason: `The server closed the connection before greeting${why}.` }, { tryNext: true });
  endNow(ctx, { stage: s.queue[0]?.stage ?? s.stage, reason: `The server closed the connection during ${(s.queue[0]?.stage ?? s.stage).toUpperCase()}${why}.` });
}
