/**
 * The machinery shared by the dialog's input handlers: sending commands (registering what reply each one
 * awaits), moving on (auto mode) or prompting (step mode), failing and finishing.
 */
import type { SessionEventBody } from '../events';
import type { Stage, Timeouts } from '../model';
import { REDACTED, authSecret, type WireCommand } from './commands';
import type { DialogAction, DialogInput, DialogState, ExpectVerb, Failure, TransactionResult } from './dialog-types';
import { STAGE_ORDER, acceptedCount, chunkingActive, moveStage, nextMove, pipeliningActive, quitCommand, rcptParams, type Move } from './dialog-plan';
import { lmtpReplyOrder } from './lmtp';
import { bdat, rcptTo, data as dataCommand } from './commands';
import { escapeAndTruncate } from './escape';
import { joinSentences } from './sentences';
import type { SmtpReply } from './reply-reader';

export interface Ctx {
  s: DialogState;
  input: DialogInput;
  actions: DialogAction[];
  events: SessionEventBody[];
}

export interface FlightEntry {
  command: WireCommand;
  verb: ExpectVerb;
  stage: Stage;
  deadline: keyof Timeouts;
  rcpt?: string;
  final?: boolean;
  empty?: boolean;
}

export const DEFAULT_OPTIMISTIC_BDAT_MAX = 128 * 1024;
export const DEFAULT_EXTRA_AUTH_CHALLENGES = 2;

const utf8 = new TextEncoder();

export function redact(s: DialogState, text: string): string {
  let out = text;
  for (const secret of s.secrets) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  return out;
}

/** A reply quoted for a message: code and text, secrets redacted, escaped, truncated. */
export function quoteReply(s: DialogState, reply: SmtpReply): string {
  return escapeAndTruncate(redact(s, `${reply.code} ${reply.lines.join(' ')}`.trim()), 200);
}

export function info(ctx: Ctx, level: 'info' | 'warn' | 'error', text: string, stage?: Stage): void {
  ctx.events.push({ kind: 'info', level, text: redact(ctx.s, text), stage: stage ?? ctx.s.stage });
}

/** Records the first failure of the transaction; later ones are consequences and don't replace it. */
export function setFailure(ctx: Ctx, f: Failure): void {
  if (!ctx.s.failure) ctx.s.failure = f;
}

export function sendCommands(ctx: Ctx, entries: FlightEntry[], pipelined: boolean): void {
  const { s, input } = ctx;
  for (const e of entries) {
    s.queue.push({ id: s.nextId++, verb: e.verb, stage: e.stage, deadline: e.deadline, sentAt: input.at, afterChunk: input.chunkNo, rcpt: e.rcpt, final: e.final, empty: e.empty });
    ctx.events.push({ kind: 'command', stage: e.stage, text: e.command.display, pipelined, bytes: utf8.encode(e.command.wire).length });
    s.stage = e.stage;
  }
  ctx.actions.push({ type: 'send', commands: entries.map((e) => e.command), pipelined });
}

/** State changes that go with sending a command, whoever chose it (auto mode or the user). */
export function applySent(s: DialogState, verb: ExpectVerb): void {
  if (verb === 'MAIL') {
    s.mailSent = true;
    s.mailAccepted = false;
    s.rcptNext = 0;
    s.recipients = [];
    s.dataSent = false;
    s.awaitingBody = false;
  } else if (verb === 'DATA') s.dataSent = true;
  else if (verb === 'QUIT') s.quitSent = true;
  else if (verb === 'AUTH') s.authChallenges = 0;
}

function entryOf(m: Extract<Move, { kind: 'command' }>, command: WireCommand): FlightEntry {
  return { command, verb: m.verb, stage: m.stage, deadline: m.deadline, rcpt: m.rcpt };
}

export function startBody(ctx: Ctx, method: 'DATA' | 'BDAT', bdat?: WireCommand): void {
  const { s } = ctx;
  s.awaitingBody = false;
  if (method === 'BDAT' && bdat) {
    s.dataSent = true;
    // The reply to BDAT … LAST is the final one: its deadline starts once the bytes are written.
    // RFC 2033 §4.2 (and §4.3 for BDAT): LMTP answers once per accepted recipient, in RCPT order.
    for (const rcpt of s.config.lmtp ? lmtpReplyOrder(s.recipients) : [undefined])
      s.queue.push({ id: s.nextId++, verb: 'BDAT', stage: 'body', deadline: 'dataEndMs', sentAt: ctx.input.at, afterChunk: ctx.input.chunkNo, final: true, rcpt });
    ctx.events.push({ kind: 'command', stage: 'body', text: bdat.display, pipelined: pipeliningActive(s), bytes: utf8.encode(bdat.wire).length });
  }
  s.stage = 'body';
  ctx.actions.push({ type: 'send-body', method, bdat });
}

/** Runs one move now (auto mode, or a suggestion the user accepted). */
export function execute(ctx: Ctx, move: Move): void {
  const { s } = ctx;
  switch (move.kind) {
    case 'wait':
      return;
    case 'quit':
      return execute(ctx, quitCommand());
    case 'stop':
      setFailure(ctx, { stage: move.stage, reason: move.reason });
      info(ctx, 'error', move.reason, move.stage);
      return execute(ctx, quitCommand());
    case 'body': {
      if (move.method === 'BDAT') {
        if (!move.command?.ok) return commandFailed(ctx, 'body', move.command?.ok === false ? move.command.error.message : 'BDAT');
        return startBody(ctx, 'BDAT', move.command.value);
      }
      return startBody(ctx, 'DATA');
    }
    case 'command': {
      if (!move.command.ok) return commandFailed(ctx, move.stage, move.command.error.message);
      if (move.verb === 'MAIL' && s.mode === 'auto' && pipeliningActive(s)) return sendTransactionFlight(ctx, entryOf(move, move.command.value));
      if (move.authClient) {
        s.authClient = move.authClient;
        for (const secret of move.authClient.secrets) if (!s.secrets.includes(secret)) s.secrets.push(secret);
      }
      if (move.verb === 'RCPT') s.rcptNext++;
      applySent(s, move.verb);
      return sendCommands(ctx, [entryOf(move, move.command.value)], false);
    }
  }
}

function commandFailed(ctx: Ctx, stage: Stage, message: string): void {
  setFailure(ctx, { stage, reason: `The command could not be built: ${message}` });
  info(ctx, 'error', `The command could not be built: ${message}`, stage);
  if (!ctx.s.quitSent) execute(ctx, quitCommand());
}

function stopsBefore(s: DialogState, stage: Stage): 'quit' | 'break' | undefined {
  if (s.config.breakpoints.includes(stage) && !s.breaksHit.includes(stage)) return 'break';
  if (s.config.quitAfter && STAGE_ORDER[stage] > STAGE_ORDER[s.config.quitAfter]) return 'quit';
  return undefined;
}

/**
 * RFC 2920: MAIL, every RCPT and DATA in one flight (DATA last, as §3.1 requires). With CHUNKING and a small
 * message the BDAT chunk rides in the same flight (RFC 3030 §4.2 allows BDAT to be pipelined). Quit-after
 * and breakpoints cut the flight where they apply.
 */
function sendTransactionFlight(ctx: Ctx, mail: FlightEntry): void {
  const { s } = ctx;
  const cfg = s.config;
  const flight: FlightEntry[] = [mail];
  applySent(s, 'MAIL');
  let cut = stopsBefore(s, 'rcpt');
  if (!cut) {
    for (; s.rcptNext < cfg.rcptTo.length; s.rcptNext++) {
      const rcpt = cfg.rcptTo[s.rcptNext];
      const cmd = rcptTo(rcpt, rcptParams(s, rcpt));
      if (!cmd.ok) {
        // Never happens with validated input; refuse the whole flight rather than send half of it.
        s.mailSent = false;
        return commandFailed(ctx, 'rcpt', cmd.error.message);
      }
      flight.push({ command: cmd.value, verb: 'RCPT', stage: 'rcpt', deadline: 'rcptMs', rcpt });
    }
    cut = stopsBefore(s, 'data');
  }
  let bodyNow = false;
  if (!cut) {
    if (!chunkingActive(s)) {
      const d = dataCommand();
      if (d.ok) {
        flight.push({ command: d.value, verb: 'DATA', stage: 'data', deadline: 'dataStartMs' });
        applySent(s, 'DATA');
      }
    } else if (!cfg.lmtp && cfg.message.sizeBytes <= (cfg.optimisticBdatMax ?? DEFAULT_OPTIMISTIC_BDAT_MAX)) {
      // LMTP: the number of final replies is the number of accepted RCPTs, unknown until they are answered.
      bodyNow = true;
    }
  }
  if (cut === 'quit') {
    s.quitAfterHit = true;
    const q = quitCommand();
    if (q.kind === 'command' && q.command.ok) {
      flight.push({ command: q.command.value, verb: 'QUIT', stage: 'quit', deadline: 'quitMs' });
      applySent(s, 'QUIT');
    }
  }
  sendCommands(ctx, flight, true);
  if (bodyNow) {
    const b = bdat(cfg.message.sizeBytes, true);
    if (b.ok) startBody(ctx, 'BDAT', b.value);
  }
}

/** Nothing is outstanding: act (auto mode) or ask (step mode). */
export function advance(ctx: Ctx): void {
  const { s } = ctx;
  if (s.finished || s.queue.length > 0) return;
  const move = nextMove(s);
  if (move.kind === 'wait') return;
  if (s.mode === 'step') return prompt(ctx, move);
  const stage = moveStage(move);
  if (stage && move.kind !== 'quit' && move.kind !== 'stop') {
    const stop = stopsBefore(s, stage);
    if (stop === 'break') {
      s.breaksHit.push(stage);
      s.mode = 'step';
      info(ctx, 'info', `Paused before ${stage.toUpperCase()} (breakpoint): send the suggested command, edit it, or run to the end.`, stage);
      return prompt(ctx, move);
    }
    if (stop === 'quit') {
      s.quitAfterHit = true;
      info(ctx, 'info', `Stopping after ${s.config.quitAfter?.toUpperCase()} as asked (quit-after).`, stage);
      return execute(ctx, quitCommand());
    }
  }
  execute(ctx, move);
}

export function prompt(ctx: Ctx, move: Move): void {
  const { s } = ctx;
  if (move.kind === 'stop') {
    setFailure(ctx, { stage: move.stage, reason: move.reason });
    info(ctx, 'error', move.reason, move.stage);
    return prompt(ctx, quitCommand());
  }
  let suggestion: DialogState['suggestion'];
  let waitingFor: 'command' | 'data-body' = 'command';
  if (move.kind === 'command') {
    if (move.command.ok) suggestion = { display: move.command.value.display, command: move.command.value, authClient: move.authClient, rcpt: move.rcpt };
    else info(ctx, 'error', `No suggestion: ${move.command.error.message}`);
  } else if (move.kind === 'body') {
    waitingFor = 'data-body';
    const size = s.config.message.sizeBytes;
    const display = move.method === 'DATA' ? `‹message: ${size} bytes, then the final dot›` : `${move.command?.ok ? move.command.value.display : 'BDAT'} ‹message: ${size} bytes›`;
    suggestion = { display, body: move.method };
  } else if (move.kind === 'quit') {
    const q = quitCommand();
    if (q.kind === 'command' && q.command.ok) suggestion = { display: q.command.value.display, command: q.command.value };
  }
  s.suggestion = suggestion;
  const stage = moveStage(move) ?? s.stage;
  ctx.events.push({ kind: 'step_prompt', stage, suggestion: suggestion?.display ?? '', waitingFor });
  ctx.actions.push({ type: 'prompt', suggestion: suggestion?.display, waitingFor });
}

/** The message was handed over (the dot or BDAT LAST) and its final reply has not come yet. */
export function dotInFlight(s: DialogState): boolean {
  return s.queue.some((e) => e.final);
}

function deliveredReason(s: DialogState): string {
  const total = s.recipients.length;
  const ok = acceptedCount(s);
  const rejected = s.recipients.filter((r) => !r.accepted).map((r) => r.rcpt);
  const who = rejected.length === 0 ? `${ok === 1 ? 'its recipient' : `all ${ok} recipients`}` : `${ok} of ${total} recipients (refused: ${rejected.join(', ')})`;
  return `The server accepted the message for ${who}${s.queueId ? `, queue id ${s.queueId}` : ''}.`;
}

export interface FinishOptions {
  outcome?: 'unknown' | 'cancelled';
  reason?: string;
  tryNext?: boolean;
}

export function finish(ctx: Ctx, opts: FinishOptions = {}): void {
  const { s } = ctx;
  if (s.finished) return;
  let r: TransactionResult;
  const base = { dotSent: s.dotSent, recipients: s.recipients, tryNext: opts.tryNext === true, timedOut: s.failure?.timedOut === true };
  if (opts.outcome === 'unknown') {
    r = { ...base, outcome: 'unknown', stage: 'body', reason: joinSentences(opts.reason ?? 'No final reply arrived.', 'The message was sent, so the server may have accepted it; it is not retried automatically (RFC 5321 §4.5.3.2, §6.1).') };
  } else if (s.delivered) {
    r = { ...base, outcome: 'delivered', stage: 'body', reason: deliveredReason(s), queueId: s.queueId, reply: s.deliveredReply };
  } else if (opts.outcome === 'cancelled') {
    r = { ...base, outcome: 'cancelled', stage: s.stage, reason: opts.reason ?? `Cancelled during ${s.stage.toUpperCase()}; the message was not sent.` };
  } else if (s.failure) {
    r = { ...base, outcome: 'not_delivered', stage: s.failure.stage, reason: s.failure.reason, reply: s.failure.reply };
  } else if (s.quitAfterHit && s.config.quitAfter) {
    r = { ...base, outcome: 'not_delivered', stage: s.config.quitAfter, reason: `Stopped after ${s.config.quitAfter.toUpperCase()} as asked; no message was sent.` };
  } else {
    r = { ...base, outcome: 'not_delivered', stage: s.stage, reason: opts.reason ?? 'The session ended before a message was sent.' };
  }
  s.finished = r;
  s.queue = [];
  ctx.actions.push({ type: 'finish', result: r });
}

/** Ends at once without QUIT: the stream can't be trusted or the server is gone. */
export function endNow(ctx: Ctx, f: Failure, opts: { tryNext?: boolean } = {}): void {
  const { s } = ctx;
  if (dotInFlight(s)) return finish(ctx, { outcome: 'unknown', reason: f.reason });
  setFailure(ctx, f);
  finish(ctx, { tryNext: opts.tryNext });
}

/** The cancel command for a SASL exchange that must stop (RFC 4954 §4: a lone `*`; no secret in it). */
export function saslCancel(): WireCommand | undefined {
  const c = authSecret('*', 'password');
  return c.ok ? { ...c.value, display: '*' } : undefined;
}
