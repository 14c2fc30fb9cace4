/**
 * The envelope (MAIL FROM / RCPT TO) a draft will use. Unless the user edited it, it is filled from the
 * headers: From's first mailbox, and every mailbox of To, Cc and Bcc (Bcc exists only here, RFC 5321 §7.2
 * / RFC 5322 §3.6.3). In raw mode the headers are the user's text, so the envelope is always explicit.
 */
import type { Draft } from '../model';
import { parseAddressList } from './address-list';

export interface EnvelopeStrings {
  mailFrom: string;
  rcptTo: string[];
}

function addresses(text: string): string[] {
  const r = parseAddressList(text);
  return r.ok ? r.value.map((e) => e.address) : [];
}

/** The envelope implied by the headers (whether or not it is the one used). */
export function headerEnvelope(draft: Pick<Draft, 'from' | 'to' | 'cc' | 'bcc'>): EnvelopeStrings {
  const seen = new Set<string>();
  const rcptTo: string[] = [];
  for (const a of [...addresses(draft.to), ...addresses(draft.cc), ...addresses(draft.bcc)]) {
    const key = a.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      rcptTo.push(a);
    }
  }
  return { mailFrom: addresses(draft.from)[0] ?? '', rcptTo };
}

/** The envelope the session will use. */
export function effectiveEnvelope(draft: Draft): EnvelopeStrings {
  if (draft.envelopeEdited || draft.rawMode) return { mailFrom: draft.mailFrom.trim(), rcptTo: draft.rcptTo.map((r) => r.trim()).filter((r) => r !== '') };
  return headerEnvelope(draft);
}

/** True when an edited envelope differs from what the headers say: the lesson of the telnet exercise. */
export function envelopeDiffersFromHeaders(draft: Draft): boolean {
  const used = effectiveEnvelope(draft);
  const fromHeaders = headerEnvelope(draft);
  const norm = (list: string[]) => [...list].map((a) => a.toLowerCase()).sort().join('\n');
  return used.mailFrom.toLowerCase() !== fromHeaders.mailFrom.toLowerCase() || norm(used.rcptTo) !== norm(fromHeaders.rcptTo);
}
