// `mxdesk send …`: one session through the same session manager the app uses, printed as a swaks-style
// transcript (or one JSON event per line), with an exit code that says what happened to the message.
import type { SessionEvent, SessionEventBody } from '../../shared/events';
import type { Stage } from '../../shared/model';
import { parseSessionRequest } from '../../shared/validate/session-request';
import { buildMessage, fileMessageSource, type MessageSource } from '../engine/message';
import { createSessionManager } from '../engine/session-manager';
import type { SendArgs } from './args';
import type { CliIo } from './io';
import { EXIT } from './io';
import { buildSendRequest } from './send-request';
import { formatEvent, terminalSafe } from './transcript';

type OutcomeEvent = Extract<SessionEventBody, { kind: 'outcome' }>;

/** Validator field names (SessionRequest / Draft paths) → the flag a CLI user typed. */
const FIELD_FLAGS: Array<[RegExp, string]> = [
  [/(^|\.)(from|mailFrom)$/, '--from'],
  [/(^|\.)to$/, '--to'],
  [/(^|\.)cc$/, '--cc'],
  [/(^|\.)bcc$/, '--bcc'],
  [/rcptTo/, '--to'],
  [/(^|\.)subject$/, '--subject'],
  [/customHeaders/, '--header'],
  [/(^|\.)heloName$/, '--helo'],
  [/(^|\.)(text|html)$/, '--body'],
  [/(^|\.)raw$/, '--raw'],
  [/attachments/, '--attach'],
  [/target/, '--server'],
  [/(^|\.)port$/, '--port'],
  [/resolver/, '--dns'],
  [/auth/, '--auth-user'],
  [/timeouts/, '--timeout-ms'],
  [/quitAfter/, '--quit-after'],
  [/protocol\.requireTls/, '--require-tls'],
  [/(^|\.)tls$/, '--tls'],
];

export function flagForField(field: string | undefined): string {
  if (!field) return 'input';
  return FIELD_FLAGS.find(([re]) => re.test(field))?.[1] ?? field;
}

/**
 * The exit code for an outcome. A deadline that expired before the final dot counts as "timed out before
 * the dot" (4), like a cancel: nothing was handed over, and trying again may work.
 */
export function exitCodeFor(o: OutcomeEvent, quitAfter?: Stage): number {
  // `--quit-after STAGE` that got there without an error is a success, as in swaks: the point of such a
  // run is to see the server accept everything up to that stage.
  if (quitAfter && o.outcome === 'not_delivered' && o.stage === quitAfter && /as asked/i.test(o.reason)) return EXIT.delivered;
  switch (o.outcome) {
    case 'delivered':
      return EXIT.delivered;
    case 'unknown':
      return EXIT.unknown;
    case 'cancelled':
      return EXIT.cancelled;
    case 'not_delivered':
      // The outcome event has no timeout flag; the engine words every expired deadline "no … within N"
      // (electron/engine/deadline.ts describeDeadline), DNS and connect as "timed out"/"timeout".
      return !o.dotSent && /\bwithin \d|timed out|time-?out|deadline/i.test(o.reason) ? EXIT.cancelled : EXIT.notDelivered;
  }
}

export async function runSendCommand(args: SendArgs, io: CliIo): Promise<number> {
  const built = await buildSendRequest(args, io);
  if (!built.ok) {
    io.err(`mxdesk: ${built.error.field}: ${terminalSafe(built.error.message)}`);
    return EXIT.badInput;
  }
  // The same validator main applies to the window's requests: bad input stops here, before any socket.
  const parsed = parseSessionRequest(built.req);
  if (!parsed.ok) {
    io.err(`mxdesk: ${flagForField(parsed.error.field)}: ${terminalSafe(parsed.error.message)}`);
    return EXIT.badInput;
  }
  let finish: (o: OutcomeEvent) => void = () => undefined;
  const outcome = new Promise<OutcomeEvent>((resolve) => (finish = resolve));
  const print = (e: SessionEvent) => {
    if (args.json) io.out(JSON.stringify(e));
    else for (const line of formatEvent(e)) io.out(line);
    if (e.kind === 'outcome') finish(e);
  };
  // A file-backed message is read from the file on each pass (measuring, then sending), never held whole.
  let messageSource: MessageSource | undefined;
  if (built.streamed?.kind === 'raw') messageSource = fileMessageSource(built.streamed.path);
  else if (built.streamed?.kind === 'text') {
    const composed = buildMessage(parsed.value.draft, new Date(), { textFile: built.streamed.path });
    if (!composed.ok) {
      io.err(`mxdesk: ${flagForField(composed.error.field)}: ${terminalSafe(composed.error.message)}`);
      return EXIT.badInput;
    }
    messageSource = composed.value;
  }
  const manager = createSessionManager({ emit: print, defaultResolver: args.dns });
  const started = manager.start(parsed.value, { messageSource });
  if (!started.ok) {
    const { error } = started;
    io.err(`mxdesk: ${flagForField(error.field)}: ${terminalSafe(error.message)}`);
    return error.code === 'invalid_input' ? EXIT.badInput : EXIT.notDelivered;
  }
  const { sessionId } = started.value;
  let interrupts = 0;
  // First Ctrl-C cancels cleanly (the engine sends QUIT where it can and reports `cancelled`); a second
  // one stops waiting.
  const onInterrupt = () => {
    interrupts++;
    if (interrupts === 1) {
      io.err('mxdesk: cancelling… (Ctrl-C again to stop waiting)');
      manager.cancel(sessionId);
    } else finish({ kind: 'outcome', outcome: 'cancelled', stage: 'connect', reason: 'interrupted twice', dotSent: false, durationMs: 0 });
  };
  io.onInterrupt(onInterrupt);
  try {
    return exitCodeFor(await outcome, args.quitAfter);
  } finally {
    io.offInterrupt(onInterrupt);
  }
}
