/**
 * The compose form's data: a Draft (shared/model.ts) plus the rules that tie the envelope to the headers.
 * Pure. The envelope follows the headers (From → MAIL FROM; To, Cc, Bcc → RCPT TO) until the user edits
 * it; when the two differ, the differences are spelled out, because that difference is the lesson of the
 * telnet exercise: the envelope decides where mail goes, the headers only what the reader sees.
 */
import type { Draft } from '../../shared/model';
export { emptyDraft } from '../../shared/model';
import { effectiveEnvelope as sharedEffectiveEnvelope, headerEnvelope } from '../../shared/validate/envelope';
import { addressesIn } from './field-checks';


/** The envelope the headers imply (shared rule, also used by main). */
export const envelopeFromHeaders = headerEnvelope;

/** The envelope that will be sent. */
export const effectiveEnvelope = sharedEffectiveEnvelope;

/** Keeps the stored envelope in step with the headers while the user has not taken it over. */
export function syncEnvelope(d: Draft): Draft {
  if (d.envelopeEdited) return d;
  const env = envelopeFromHeaders(d);
  if (env.mailFrom === d.mailFrom && env.rcptTo.length === d.rcptTo.length && env.rcptTo.every((r, i) => r === d.rcptTo[i])) return d;
  return { ...d, ...env };
}

export interface EnvelopeDifference {
  kind: 'sender' | 'envelope-only' | 'header-only' | 'bcc';
  text: string;
}

/** Plain sentences for every way the envelope and the headers disagree. */
export function envelopeDifferences(d: Draft): EnvelopeDifference[] {
  const env = effectiveEnvelope(d);
  const out: EnvelopeDifference[] = [];
  const from = addressesIn(d.from)[0];
  if (!d.rawMode) {
    const nullSender = env.mailFrom.trim() === '' || env.mailFrom.trim() === '<>';
    if (nullSender && from)
      out.push({ kind: 'sender', text: `MAIL FROM is the null sender <>: bounces go nowhere, while the reader sees From: ${from}.` });
    else if (from && env.mailFrom.toLowerCase() !== from.toLowerCase())
      out.push({ kind: 'sender', text: `Bounces go to ${env.mailFrom || '<>'} (MAIL FROM), while the reader sees From: ${from}.` });
  }
  const visible = new Set([...addressesIn(d.to), ...addressesIn(d.cc)].map((a) => a.toLowerCase()));
  const bcc = new Set(addressesIn(d.bcc).map((a) => a.toLowerCase()));
  const rcpt = new Set(env.rcptTo.map((a) => a.toLowerCase()));
  if (d.rawMode) return out;
  for (const r of env.rcptTo) {
    const k = r.toLowerCase();
    if (bcc.has(k) && !visible.has(k)) out.push({ kind: 'bcc', text: `${r} gets a copy (Bcc): it is in the envelope only, never in a header.` });
    else if (!visible.has(k)) out.push({ kind: 'envelope-only', text: `${r} gets the message but appears in no header.` });
  }
  for (const a of [...addressesIn(d.to), ...addressesIn(d.cc)]) {
    if (!rcpt.has(a.toLowerCase())) out.push({ kind: 'header-only', text: `${a} is shown in the headers but will NOT receive the message (not in RCPT TO).` });
  }
  return out;
}

/** A starting text for raw mode, built from the form, so the user edits rather than types from scratch. */
export function rawTemplate(d: Draft): string {
  const lines: string[] = [];
  const add = (name: string, value: string) => {
    if (value.trim()) lines.push(`${name}: ${value.trim()}`);
  };
  add('From', d.from);
  add('To', d.to);
  add('Cc', d.cc);
  add('Reply-To', d.replyTo);
  add('Subject', d.subject);
  for (const h of d.customHeaders) if (h.name.trim()) lines.push(`${h.name.trim()}: ${h.value}`);
  return `${lines.join('\n')}\n\n${d.text}`;
}
