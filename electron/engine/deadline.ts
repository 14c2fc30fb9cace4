// Named, absolute deadlines. A deadline is fixed when a wait starts and never moves: a server that drips one
// byte a second must not keep a session alive (an idle timer would be reset by every byte).
import type { Timeouts } from '../../shared/model';

/** RFC 5321 §4.5.3.2 values where the RFC names one; the others are conservative client-side choices. */
export const DEFAULT_TIMEOUTS: Timeouts = {
  dnsMs: 30_000,
  connectMs: 30_000,
  greetingMs: 5 * 60_000, // §4.5.3.2.1 initial 220 message: 5 minutes
  commandMs: 5 * 60_000, // EHLO/HELO/STARTTLS/AUTH/RSET/VRFY…: same as MAIL, the RFC names no other value
  mailMs: 5 * 60_000, // §4.5.3.2.2 MAIL: 5 minutes
  rcptMs: 5 * 60_000, // §4.5.3.2.3 RCPT: 5 minutes
  dataStartMs: 2 * 60_000, // §4.5.3.2.4 DATA initiation: 2 minutes
  dataBlockMs: 3 * 60_000, // §4.5.3.2.5 data block: 3 minutes per write
  dataEndMs: 10 * 60_000, // §4.5.3.2.6 DATA termination: 10 minutes
  tlsMs: 60_000,
  quitMs: 10_000, // grace for the 221 after QUIT; the outcome is already known by then
};

export type DeadlineName = keyof Timeouts;

export function resolveTimeouts(overrides: Partial<Timeouts> | undefined): Timeouts {
  const out: Timeouts = { ...DEFAULT_TIMEOUTS };
  for (const key of Object.keys(DEFAULT_TIMEOUTS) as DeadlineName[]) {
    const v = overrides?.[key];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) out[key] = v;
  }
  return out;
}

/** Plain words for a deadline, used in error messages ("no reply to RCPT within 300 s"). */
export function describeDeadline(name: DeadlineName, ms: number): string {
  const what: Record<DeadlineName, string> = {
    dnsMs: 'DNS answer',
    connectMs: 'TCP connection',
    greetingMs: 'greeting',
    commandMs: 'reply to the command',
    mailMs: 'reply to MAIL',
    rcptMs: 'reply to RCPT',
    dataStartMs: 'reply to DATA',
    dataBlockMs: 'room to write the next block of the message',
    dataEndMs: 'final reply after the message',
    tlsMs: 'TLS handshake',
    quitMs: 'reply to QUIT',
  };
  return `no ${what[name]} within ${formatMs(ms)}`;
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export class DeadlineError extends Error {
  constructor(
    readonly deadline: DeadlineName,
    readonly ms: number,
  ) {
    super(describeDeadline(deadline, ms));
    this.name = 'DeadlineError';
  }
}

export class AbortedError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'AbortedError';
  }
}

/**
 * Runs `work` with an absolute deadline and the session's abort signal. On expiry or abort, `onGiveUp` runs
 * (typically: destroy the socket) so the work stops too; the returned promise rejects with
 * DeadlineError/AbortedError. The timer is always cleared.
 */
export async function withDeadline<T>(
  work: Promise<T>,
  name: DeadlineName,
  ms: number,
  signal: AbortSignal | undefined,
  onGiveUp?: () => void,
): Promise<T> {
  if (signal?.aborted) {
    onGiveUp?.();
    throw new AbortedError();
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onGiveUp?.();
      reject(new DeadlineError(name, ms));
    }, ms);
    onAbort = () => {
      onGiveUp?.();
      reject(new AbortedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, guard]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * One re-armable timer for "the reply we are waiting for". `arm` sets an absolute expiry; arming again with
 * the same key keeps the original expiry (so bytes trickling in never extend it).
 */
export class ReplyDeadline {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private key: string | undefined;

  get armedKey(): string | undefined {
    return this.key;
  }

  /** Returns true when a new deadline was set (false: the same wait is already armed). */
  arm(key: string, ms: number, onExpire: () => void): boolean {
    if (this.timer && this.key === key) return false;
    this.clear();
    this.key = key;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.key = undefined;
      onExpire();
    }, ms);
    return true;
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.key = undefined;
  }
}
