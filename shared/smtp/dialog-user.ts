/**
 * Step mode: the user sends the suggested command, an edited one or any raw line. Out-of-order commands
 * get a warning but are sent (the point is to see what the server does); CR/LF injection is still refused
 * by the command builders, and the message body only ever goes through the encoder.
 */
import type { Stage, StepCommand, Timeouts } from '../model';
import { rawLine, type WireCommand } from './commands';
import { advance, applySent, info, sendCommands, startBody, type Ctx } from './dialog-core';
import { acceptedCount, chunkingActive, nextMove } from './dialog-plan';
import type { DialogState, ExpectVerb } from './dialog-types';
import { bdat } from './commands';

const VERB_MAP: Record<string, { verb: ExpectVerb; stage?: Stage; deadline: keyof Timeouts }> = {
  EHLO: { verb: 'EHLO', stage: 'ehlo', deadline: 'commandMs' },
  HELO: { verb: 'HELO', stage: 'ehlo', deadline: 'commandMs' },
  // RFC 2033 §4.1: LHLO is LMTP's EHLO; its reply is read the same way.
  LHLO: { verb: 'EHLO', stage: 'ehlo', deadline: 'commandMs' },
  XCLIENT: { verb: 'XCLIENT', stage: 'ehlo', deadline: 'commandMs' },
  STARTTLS: { verb: 'STARTTLS', stage: 'starttls', deadline: 'commandMs' },
  AUTH: { verb: 'AUTH', stage: 'auth', deadline: 'commandMs' },
  MAIL: { verb: 'MAIL', stage: 'mail', deadline: 'mailMs' },
  RCPT: { verb: 'RCPT', stage: 'rcpt', deadline: 'rcptMs' },
  DATA: { verb: 'DATA', stage: 'data', deadline: 'dataStartMs' },
  RSET: { verb: 'RSET', deadline: 'commandMs' },
  QUIT: { verb: 'QUIT', stage: 'quit', deadline: 'quitMs' },
};

/** Why a command is out of order here, or undefined when it is where the protocol expects it. */
export function outOfOrder(s: DialogState, verb: string): string | undefined {
  if (!s.greeted) return `${verb} before the server's greeting`;
  switch (verb) {
    case 'STARTTLS':
      if (s.secure) return 'STARTTLS while TLS is already active';
      if (!s.esmtp) return 'STARTTLS before a successful EHLO';
      return undefined;
    case 'XCLIENT':
      return s.esmtp ? undefined : 'XCLIENT before a successful EHLO';
    case 'AUTH':
      if (!s.esmtp) return 'AUTH before a successful EHLO';
      if (s.authenticated) return 'AUTH after a successful authentication (RFC 4954 §4 forbids a second one)';
      if (s.mailSent) return 'AUTH inside a mail transaction (RFC 4954 §4)';
      return undefined;
    case 'MAIL':
      if (!s.heloDone) return 'MAIL before EHLO/HELO';
      if (s.mailSent) return 'MAIL inside an open transaction (send RSET first)';
      return undefined;
    case 'RCPT':
      return s.mailSent ? undefined : 'RCPT before MAIL';
    case 'DATA':
      if (!s.mailSent) return 'DATA before MAIL';
      if (acceptedCount(s) === 0) return 'DATA without an accepted recipient';
      return undefined;
    default:
      return undefined;
  }
}

function reprompt(ctx: Ctx): void {
  if (ctx.s.queue.length === 0) {
    const suggestion = ctx.s.suggestion;
    ctx.events.push({ kind: 'step_prompt', stage: ctx.s.stage, suggestion: suggestion?.display ?? '', waitingFor: suggestion?.body ? 'data-body' : 'command' });
    ctx.actions.push({ type: 'prompt', suggestion: suggestion?.display, waitingFor: suggestion?.body ? 'data-body' : 'command' });
  }
}

export function handleUser(ctx: Ctx, cmd: StepCommand): void {
  const { s } = ctx;
  if (cmd.kind === 'run-to-end') {
    s.mode = 'auto';
    info(ctx, 'info', 'Running the rest of the session automatically.');
    if (s.queue.length === 0) {
      if (s.inSasl) return reprompt(ctx); // a half-done SASL exchange needs its answer first
      advance(ctx);
    }
    return;
  }
  if (cmd.kind === 'data-body') return sendBody(ctx);
  return sendLine(ctx, cmd.line);
}

function sendBody(ctx: Ctx): void {
  const { s } = ctx;
  if (s.awaitingBody) return startBody(ctx, 'DATA');
  if (!s.dataSent && chunkingActive(s) && s.mailAccepted && acceptedCount(s) > 0 && s.queue.length === 0) {
    const b = bdat(s.config.message.sizeBytes, true);
    if (b.ok) return startBody(ctx, 'BDAT', b.value);
  }
  info(ctx, 'error', 'The message can be sent only after the server answered DATA with 354 (or, with CHUNKING, once a recipient was accepted). Nothing was sent.');
  reprompt(ctx);
}

function sendLine(ctx: Ctx, line: string): void {
  const { s } = ctx;
  if (s.awaitingBody) {
    info(ctx, 'error', 'The server is waiting for the message itself (after 354): a typed line would become part of the message. Send the message body instead.', 'body');
    return reprompt(ctx);
  }
  const suggestion = s.suggestion;
  let command: WireCommand;
  let fromSuggestion = false;
  if (suggestion?.command && line === suggestion.display) {
    command = suggestion.command;
    fromSuggestion = true;
  } else {
    const built = rawLine(line, { secret: s.inSasl });
    if (!built.ok) {
      info(ctx, 'error', `Refused: ${built.error.message}`);
      return reprompt(ctx);
    }
    command = built.value;
  }
  const verb = s.inSasl ? 'AUTH' : command.verb;
  if (verb === 'BDAT') {
    info(ctx, 'error', 'BDAT carries the message bytes right after the command, so it is sent only with the message: use "send message body".');
    return reprompt(ctx);
  }
  if (!s.inSasl) {
    const why = outOfOrder(s, verb);
    if (why) info(ctx, 'warn', `Out of order: ${why}. Sent anyway; the server will probably refuse it.`);
  }
  if (s.queue.length > 0) info(ctx, 'warn', 'A reply is still outstanding: this command is pipelined by hand.');
  const known = VERB_MAP[verb];
  const stage = known?.stage ?? s.stage;
  let rcpt: string | undefined;
  if (verb === 'RCPT') {
    rcpt = /TO:\s*<([^>]*)>/i.exec(line)?.[1] ?? line.replace(/^\s*RCPT\s+TO:\s*/i, '');
    const planned = s.config.rcptTo[s.rcptNext];
    if (planned !== undefined && planned.toLowerCase() === rcpt.toLowerCase()) s.rcptNext++;
  }
  if (verb === 'AUTH' && !s.inSasl) {
    s.authClient = fromSuggestion ? suggestion?.authClient : undefined;
    for (const secret of s.authClient?.secrets ?? []) if (!s.secrets.includes(secret)) s.secrets.push(secret);
  }
  if (verb === 'MAIL') applySent(s, 'MAIL');
  else if (verb === 'DATA' || verb === 'QUIT' || (verb === 'AUTH' && !s.inSasl)) applySent(s, verb);
  s.suggestion = undefined;
  sendCommands(ctx, [{ command, verb: known?.verb ?? 'OTHER', stage, deadline: known?.deadline ?? 'commandMs', rcpt }], false);
  if (verb === 'AUTH') s.inSasl = false;
}

/** For drivers and UIs: what the machine would do next if nothing is outstanding. */
export function suggestNext(s: DialogState): string | undefined {
  const m = nextMove(s);
  if (m.kind === 'command') return m.command.ok ? m.command.value.display : undefined;
  if (m.kind === 'quit') return 'QUIT';
  return undefined;
}

