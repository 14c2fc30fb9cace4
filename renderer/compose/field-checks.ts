/**
 * The form's as-you-type checks, all delegated to the shared validators (the same ones main uses on the
 * request), so the form and the host can never disagree. This file only adapts their results to
 * "field → message" maps.
 */
import type { Draft } from '../../shared/model';
import { parseAddressList, validateHeloName, validateHostPort, validateMailbox } from '../../shared/validate/fields';
import { validateDraftFields } from '../../shared/validate/draft';

/** The addresses in a header field; an invalid list gives none (its error is shown next to the field). */
export function addressesIn(text: string): string[] {
  if (text.trim() === '') return [];
  const r = parseAddressList(text);
  return r.ok ? r.value.map((e) => e.address) : [];
}

export function draftErrors(d: Draft): Record<string, string> {
  return { ...validateDraftFields(d) };
}

export function heloError(name: string): string | undefined {
  if (name.trim() === '') return undefined; // empty = the host's default name
  const r = validateHeloName(name.trim());
  return r.ok ? undefined : r.message;
}

export function hostPortError(host: string, port: string): { host?: string; port?: string } {
  if (host.trim() === '') return { host: 'Enter the server’s host name or IP address.' };
  const r = validateHostPort(`${host.trim().includes(':') && !host.trim().startsWith('[') ? `[${host.trim()}]` : host.trim()}:${port.trim()}`);
  if (r.ok) return {};
  return /port/i.test(r.message) ? { port: r.message } : { host: r.message };
}

export function portError(port: string): string | undefined {
  const r = validateHostPort(`localhost:${port.trim()}`);
  return r.ok ? undefined : r.message;
}

/** Envelope domains (as A-labels) in order of first appearance, for the MX plan. */
export function recipientDomains(rcpts: string[]): string[] {
  const out: string[] = [];
  for (const r of rcpts) {
    const m = validateMailbox(r);
    const d = m.ok ? m.value.domainAscii.toLowerCase() : '';
    if (d && !d.startsWith('[') && !out.includes(d)) out.push(d);
  }
  return out;
}
