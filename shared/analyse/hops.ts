import { shown } from './header-block';
import { formatDuration, parseMailDate } from './mail-date';
import { parseReceived } from './received';
import type { Hop, HopTimeline } from './types';
import { ANALYSE_LIMITS } from './types';

/** A date more than this far ahead of the analyser's clock is "in the future" (clock skew). */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

export interface TimelineInput {
  /** Received: values in message order: the top one is the newest (RFC 5321 §4.4: prepended at each hop). */
  received: string[];
  dateHeader?: string;
  now: number;
  maxHops?: number;
}

function optional(v: string | undefined): string | undefined {
  return v === undefined ? undefined : shown(v, 300);
}

/**
 * The Received: chain as a timeline, oldest hop first, with the delay at each hop and clock skew flagged.
 * With more headers than `maxHops`, the newest are kept: they were written by the receiving side, while the
 * oldest can be forged by whoever sent the message.
 */
export function buildTimeline(input: TimelineInput): HopTimeline {
  const max = input.maxHops ?? ANALYSE_LIMITS.maxHops;
  const total = input.received.length;
  const kept = input.received.slice(0, max).reverse();
  const notes: string[] = [];
  if (total > kept.length) notes.push(`Only the newest ${kept.length} of ${total} Received: headers are shown; the ${total - kept.length} oldest were not read.`);
  const sent = input.dateHeader === undefined ? undefined : parseMailDate(input.dateHeader);
  let previous = sent;
  const hops: Hop[] = kept.map((value, i) => {
    const f = parseReceived(value);
    const hop: Hop = {
      index: total - kept.length + i + 1,
      from: optional(f.from),
      by: optional(f.by),
      via: optional(f.via),
      with: optional(f.with),
      id: optional(f.id),
      for: optional(f.for),
      dateText: optional(f.dateText),
      tls: {
        state: f.tls.state,
        version: optional(f.tls.version),
        cipher: optional(f.tls.cipher),
        evidence: optional(f.tls.evidence),
      },
      flags: [],
      raw: shown(value),
    };
    const t = f.dateText === undefined ? undefined : parseMailDate(f.dateText);
    if (f.dateText === undefined) hop.flags.push('no-date');
    else if (t === undefined) hop.flags.push('bad-date');
    if (t !== undefined) {
      hop.time = new Date(t).toISOString();
      if (previous !== undefined) hop.delayMs = t - previous;
      if (hop.delayMs !== undefined && hop.delayMs < 0) hop.flags.push('negative-delay');
      if (t > input.now + FUTURE_TOLERANCE_MS) hop.flags.push('future');
      previous = t;
    }
    return hop;
  });
  const times = hops.map((h) => (h.time === undefined ? undefined : Date.parse(h.time))).filter((t): t is number => t !== undefined);
  const start = sent ?? times[0];
  const end = times[times.length - 1];
  const transitMs = start !== undefined && end !== undefined && times.length > 0 ? end - start : undefined;
  for (const h of hops) {
    const where = h.by ? ` at ${h.by.split(' ')[0]}` : '';
    if (h.flags.includes('negative-delay')) {
      notes.push(`Hop ${h.index}${where} is dated ${formatDuration(-(h.delayMs ?? 0))} before the step before it: one of the two clocks is wrong (clock skew).`);
    }
    if (h.flags.includes('future')) notes.push(`Hop ${h.index}${where} is dated in the future: that server's clock is ahead, or the header is forged.`);
    if (h.flags.includes('bad-date')) notes.push(`Hop ${h.index}${where} has a date that does not parse as RFC 5322 §3.3 says.`);
  }
  const plain = hops.filter((h) => h.tls.state === 'plain').map((h) => h.index);
  if (plain.length > 0) notes.push(`Hop${plain.length === 1 ? '' : 's'} ${plain.join(', ')} name${plain.length === 1 ? 's' : ''} no TLS: the message may have crossed that link unencrypted.`);
  if (sent === undefined && input.dateHeader !== undefined) notes.push('The Date: header does not parse; the first hop has no delay.');
  return { hops, totalReceived: total, transitMs, notes };
}
