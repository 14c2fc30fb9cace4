/**
 * What to scrub for a DKIM private key: the PEM text, its base64 body joined and line by line, and the forms
 * secretNeedles derives (JSON-escaped, base64, hex), so no piece of the key survives in a journal or export.
 */
import { secretNeedles } from '../export/secret-scrub';

export function dkimKeyNeedles(pem: string | undefined): string[] {
  if (!pem) return [];
  const lines = pem.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length >= 16 && !l.startsWith('-----'));
  const body = lines.join('');
  return [...new Set([...secretNeedles(pem), body, ...lines])];
}
