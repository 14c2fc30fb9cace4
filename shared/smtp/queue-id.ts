/**
 * The queue id a server gives in its 250 after the message (no standard: each MTA has its own wording).
 * Used only for display and for finding the message in the server's logs.
 */
const PATTERNS: RegExp[] = [
  /\bqueued as ([A-Za-z0-9._-]{4,64})/i, // Postfix: "2.0.0 Ok: queued as 4Xyz1234"
  /\bid=([A-Za-z0-9._-]{4,64})/i, // Exim: "OK id=1rABCd-0001ab-2x"
  /^(?:[245]\.\d+\.\d+ )?([A-Za-z0-9]{6,32}) Message accepted for delivery/i, // Sendmail
  /\bOK (\d{6,20}) [-–] gsmtp/i, // Google
  /\b(?:Queued|Accepted)[^:]*: *([A-Za-z0-9._-]{4,64})\b/i, // many others: "Queued as: X", "Accepted: X"
];

export function parseQueueId(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    for (const p of PATTERNS) {
      const m = p.exec(line);
      if (m) return m[1];
    }
  }
  return undefined;
}
