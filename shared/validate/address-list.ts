/**
 * Header address lists (RFC 5322 §3.4): `Ann <a@x>, "Doe, John" <j@y>, b@z`, groups
 * (`Team: a@x, b@y;`) and comments (`b@z (Bob)`), as typed in To, Cc, Bcc, From and Reply-To.
 */
import type { Mailbox } from './address';
import { validateMailbox } from './address';
import type { FieldResult } from './text-rules';
import { controlError, fieldError, fieldOk, quote } from './text-rules';

export interface AddressEntry {
  /** Display name without quotes; absent when none was given. */
  name?: string;
  address: string;
  mailbox: Mailbox;
}

interface RawEntry {
  name: string;
  angle?: string;
  bare: string;
}

/** Splits at top-level commas, honouring quotes, comments, angle brackets and groups. */
function split(text: string): RawEntry[] | string {
  const entries: RawEntry[] = [];
  let cur: RawEntry = { name: '', bare: '' };
  let inAngle = false;
  const flush = () => {
    if (cur.angle !== undefined || cur.bare.trim() !== '' || cur.name.trim() !== '') entries.push(cur);
    cur = { name: '', bare: '' };
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' && !inAngle) {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j];
        j++;
      }
      if (j >= text.length) return 'a quote (") is not closed';
      // A quoted string before '<' is a display name; glued to '@' it is a quoted local part.
      cur.name += value;
      cur.bare += text.slice(i, j + 1);
      i = j;
    } else if (ch === '(' && !inAngle) {
      let depth = 1;
      let j = i + 1;
      for (; j < text.length && depth > 0; j++) {
        if (text[j] === '\\') j++;
        else if (text[j] === '(') depth++;
        else if (text[j] === ')') depth--;
      }
      if (depth > 0) return 'a comment "(" is not closed';
      i = j - 1;
    } else if (ch === '<') {
      if (inAngle || cur.angle !== undefined) return "there is a second '<' in one address";
      inAngle = true;
      cur.angle = '';
    } else if (ch === '>') {
      if (!inAngle) return "there is a '>' without its '<'";
      inAngle = false;
    } else if (inAngle) {
      cur.angle += ch;
    } else if (ch === ',') {
      flush();
    } else if (ch === ':' && cur.angle === undefined && !cur.bare.includes('@')) {
      cur = { name: '', bare: '' }; // group display name: "Team: a@x, b@y;"
    } else if (ch === ';') {
      flush();
    } else {
      cur.name += ch;
      cur.bare += ch;
    }
  }
  if (inAngle) return "a '<' is not closed";
  flush();
  return entries;
}

/** Parses a header address list; empty text gives an empty list. `label` names the field in messages. */
export function parseAddressList(text: string, label = 'The address list'): FieldResult<AddressEntry[]> {
  const ctl = controlError(text, label);
  if (ctl) return fieldError(ctl);
  const raw = split(text);
  if (typeof raw === 'string') return fieldError(`${label}: ${raw}.`);
  const out: AddressEntry[] = [];
  const notes: string[] = [];
  for (const [i, e] of raw.entries()) {
    const addressText = e.angle !== undefined ? e.angle.trim() : e.bare.trim();
    const where = raw.length > 1 ? `${label}, address ${i + 1}` : label;
    if (addressText === '') return fieldError(`${where} has a name but no address in <...>.`);
    if (e.angle === undefined && /\s/.test(addressText) && !addressText.includes('@')) {
      return fieldError(`${where}: ${quote(addressText)} is not an address; write it as Name <user@example.com>.`);
    }
    const r = validateMailbox(addressText, { label: where });
    if (!r.ok) return fieldError(r.message);
    const name = e.angle !== undefined ? e.name.trim().replace(/\s+/g, ' ') : '';
    out.push({ ...(name !== '' ? { name } : {}), address: r.value.address, mailbox: r.value });
    notes.push(...r.notes);
  }
  return fieldOk(out, [...new Set(notes)]);
}
