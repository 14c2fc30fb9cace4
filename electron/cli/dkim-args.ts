// `mxdesk send` DKIM flags: --dkim-domain D --dkim-selector S --dkim-key FILE [--dkim-headers A:B:C]
// [--dkim-canon relaxed/relaxed] [--dkim-algorithm rsa-sha256|ed25519-sha256]. The key is read from a file
// (never a flag value: shell history and `ps` would show it) and checked by the shared validator.
import { readFile } from 'node:fs/promises';
import type { DkimRequest } from '../../shared/sender-auth/dkim-types';
import { MAX_DKIM_KEY_CHARS, readDkimRequest } from '../../shared/sender-auth/dkim-validate';
import type { ArgError } from './args';

export const DKIM_FLAGS = {
  'dkim-domain': { type: 'string' },
  'dkim-selector': { type: 'string' },
  'dkim-key': { type: 'string' },
  'dkim-headers': { type: 'string' },
  'dkim-canon': { type: 'string' },
  'dkim-algorithm': { type: 'string' },
} as const;

export const DKIM_USAGE = `              [--dkim-domain D --dkim-selector S --dkim-key FILE] [--dkim-headers From:To:Subject…]
              [--dkim-canon relaxed/relaxed|relaxed/simple|simple/relaxed|simple/simple] [--dkim-algorithm rsa-sha256|ed25519-sha256]`;

export interface DkimArgs {
  request: Omit<DkimRequest, 'privateKey'>;
  keyFile: string;
}

type Values = { [K in keyof typeof DKIM_FLAGS]?: string };

const FIELD_FLAGS: Record<string, string> = {
  'dkim.domain': '--dkim-domain',
  'dkim.selector': '--dkim-selector',
  'dkim.algorithm': '--dkim-algorithm',
  'dkim.canonicalization': '--dkim-canon',
  'dkim.headers': '--dkim-headers',
  'dkim.privateKey': '--dkim-key',
};

export function readDkimArgs(v: Values): { ok: true; value?: DkimArgs } | { ok: false; error: ArgError } {
  const any = Object.keys(DKIM_FLAGS).some((k) => v[k as keyof Values] !== undefined);
  if (!any) return { ok: true };
  if (!v['dkim-domain'] || !v['dkim-selector'] || !v['dkim-key']) {
    return { ok: false, error: { field: '--dkim-key', message: 'DKIM signing needs all three of --dkim-domain D, --dkim-selector S and --dkim-key FILE' } };
  }
  const r = readDkimRequest({
    domain: v['dkim-domain'],
    selector: v['dkim-selector'],
    algorithm: v['dkim-algorithm'],
    canonicalization: v['dkim-canon'],
    headers: v['dkim-headers'] !== undefined ? v['dkim-headers'].split(':').map((h) => h.trim()).filter((h) => h !== '') : undefined,
  });
  if (!r.ok) return { ok: false, error: { field: FIELD_FLAGS[r.field] ?? '--dkim-domain', message: r.message } };
  return { ok: true, value: { request: r.value ?? { domain: '', selector: '' }, keyFile: v['dkim-key'] } };
}

/** Reads the key file; the error names the file, never its content. */
export async function readDkimKeyFile(args: DkimArgs): Promise<{ ok: true; request: DkimRequest } | { ok: false; error: ArgError }> {
  let text: string;
  try {
    text = await readFile(args.keyFile, 'utf8');
  } catch (e) {
    return { ok: false, error: { field: '--dkim-key', message: `cannot read ${JSON.stringify(args.keyFile)} (${(e as NodeJS.ErrnoException).code ?? 'error'})` } };
  }
  if (text.length > MAX_DKIM_KEY_CHARS) return { ok: false, error: { field: '--dkim-key', message: `${JSON.stringify(args.keyFile)} is larger than a private key (${MAX_DKIM_KEY_CHARS} characters at most)` } };
  const r = readDkimRequest({ ...args.request, privateKey: text });
  if (!r.ok || !r.value) return { ok: false, error: { field: '--dkim-key', message: r.ok ? 'no key' : `${JSON.stringify(args.keyFile)}: ${r.message}` } };
  return { ok: true, request: r.value };
}
