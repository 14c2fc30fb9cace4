/** Anything a test starts: a peer, a web mode or a proxy has stop(); a browser has close(). */
export type Stoppable = { stop(): Promise<void> } | { close(): Promise<void> };

/**
 * Stops everything a test started, one after the other in the order given (a browser before the web mode
 * it talks to, the web mode before its peers). An undefined entry (a `before` that failed part way) is
 * passed over; every entry is tried even when one fails, and the first failure is thrown at the end.
 */
export async function stopAll(...started: (Stoppable | undefined)[]): Promise<void> {
  let failure: { error: unknown } | undefined;
  for (const s of started) {
    if (!s) continue;
    try {
      if ('stop' in s) await s.stop();
      else await s.close();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
}
