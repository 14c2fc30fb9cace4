// Building blocks for hostile-server scripts: the well-behaved parts of a dialog, so each test spells out
// only the part that misbehaves.
import type { HostileStep } from './hostile-server';
import { close, expect, expectData, reply } from './hostile-server';

/** A multi-line EHLO reply: `250-mx.example.test`, then one line per keyword (the last one `250 `). */
export function ehloReply(...keywords: string[]): HostileStep {
  const lines = ['mx.example.test', ...keywords];
  return reply(...lines.map((l, i) => `250${i === lines.length - 1 ? ' ' : '-'}${l}`));
}

export const greet = (): HostileStep => reply('220 mx.example.test ESMTP hostile');

/** Greeting and EHLO with the given keywords. */
export function hello(...keywords: string[]): HostileStep[] {
  return [greet(), expect(/^EHLO /i), ehloReply(...keywords)];
}

/** MAIL, one RCPT per recipient, DATA and the body accepted one by one, then QUIT. */
export function acceptMessage(recipients = 1, queueId = 'HOSTILE1'): HostileStep[] {
  const steps: HostileStep[] = [expect(/^MAIL FROM:/i), reply('250 2.1.0 Ok')];
  for (let i = 0; i < recipients; i++) steps.push(expect(/^RCPT TO:/i), reply('250 2.1.5 Ok'));
  steps.push(expect(/^DATA$/i), reply('354 End data with <CR><LF>.<CR><LF>'), expectData(), reply(`250 2.0.0 Ok: queued as ${queueId}`));
  steps.push(...quit());
  return steps;
}

/** QUIT answered, then the server closes. */
export function quit(): HostileStep[] {
  return [expect(/^QUIT$/i), reply('221 2.0.0 Bye'), close()];
}
