/**
 * Replies to AUTH (RFC 4954): 334 challenges answered by the mechanism's client (or, in step mode, by the
 * user), bounded so a server that never stops challenging gets a "*" and the session ends; 235 success;
 * 535 and every other failure explained and never retried.
 */
import { DEFAULT_EXTRA_AUTH_CHALLENGES, saslCancel, sendCommands, setFailure, type Ctx } from './dialog-core';
import type { SmtpReply } from './reply-reader';

export function onAuthReply(ctx: Ctx, reply: SmtpReply, quoted: string): void {
  const { s } = ctx;
  if (s.authCancelled) {
    s.inSasl = false;
    return;
  }
  if (reply.code === 334) {
    s.authChallenges++;
    s.inSasl = true;
    const client = s.authClient;
    const max = (client?.expectedChallenges ?? 2) + (s.config.extraAuthChallenges ?? DEFAULT_EXTRA_AUTH_CHALLENGES);
    if (s.authChallenges > max) {
      // RFC 4954 §4: "*" cancels the exchange. A server that never stops challenging gets no more answers.
      setFailure(ctx, { stage: 'auth', reason: `The server kept sending AUTH challenges (${s.authChallenges}); the exchange was cancelled.` });
      s.authCancelled = true;
      const star = saslCancel();
      if (star) sendCommands(ctx, [{ command: star, verb: 'AUTH', stage: 'auth', deadline: 'commandMs' }], false);
      return;
    }
    if (s.mode === 'step' || !client) {
      if (s.queue.length === 0) {
        const answer = client?.respond(reply);
        s.suggestion = answer?.ok ? { display: answer.value.display, command: answer.value } : undefined;
        ctx.events.push({ kind: 'step_prompt', stage: 'auth', suggestion: s.suggestion?.display ?? '', waitingFor: 'command' });
        ctx.actions.push({ type: 'prompt', suggestion: s.suggestion?.display, waitingFor: 'command' });
      }
      return;
    }
    const answer = client.respond(reply);
    if (!answer.ok) {
      setFailure(ctx, { stage: 'auth', reason: `The AUTH challenge could not be answered: ${answer.error.message}` });
      s.authCancelled = true;
      const star = saslCancel();
      if (star) sendCommands(ctx, [{ command: star, verb: 'AUTH', stage: 'auth', deadline: 'commandMs' }], false);
      return;
    }
    sendCommands(ctx, [{ command: answer.value, verb: 'AUTH', stage: 'auth', deadline: 'commandMs' }], false);
    return;
  }
  s.inSasl = false;
  if (reply.code >= 200 && reply.code < 300) {
    s.authenticated = true;
    return;
  }
  // RFC 4954 §6: 535 — the credentials are wrong. Never retried: a loop would lock the account.
  const what = reply.code === 535 ? 'The server rejected the user name or password (535)' : `Authentication failed (${reply.code})`;
  setFailure(ctx, { stage: 'auth', reason: `${what}: "${quoted}". Not retried.`, reply: quoted });
}
