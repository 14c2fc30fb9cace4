import type { AuthMechanism, Draft, TlsMode } from '../model';
import type { Result } from '../result';
import { fail, ok } from '../result';
import type { ExportFormat, ProfileFields, SaveProfileRequest, Settings, Theme, TimeoutPreset } from '../store-model';
import { parseResolverSpec } from '../mx';
import { DEFAULT_SETTINGS, EXPORT_FORMATS } from '../store-model';
import { firstError, readDraftShape } from './draft';
import { ShapeReader } from './shape';

/**
 * Parsers for the store's requests and for the files it reads back. A draft is checked for shape only:
 * autosave must keep a half-typed address, so field rules (validateDraftFields) are the form's business.
 * Stored files are read leniently (a missing field takes its default) so an older file still loads.
 */

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
// C0 controls and DEL: never allowed in one-line fields (header injection, log forging).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export const MAX_IMPORT_CHARS = 64 * 1024 * 1024;
export const HISTORY_ID = /^[A-Za-z0-9_-]{1,100}$/;

const TLS_MODES: readonly TlsMode[] = ['auto', 'starttls', 'require', 'implicit', 'none'];
const MECHANISMS: readonly AuthMechanism[] = ['auto', 'PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2', 'OAUTHBEARER'];
const PRESETS: readonly TimeoutPreset[] = ['rfc', 'quick'];
const THEMES: readonly Theme[] = ['system', 'light', 'dark'];

const bad = <T>(field: string, message: string): Result<T> => fail('invalid_input', message, { field });

function str(r: Rec, key: string, max: number, fallback?: string): Result<string> {
  const v = r[key] ?? fallback;
  if (typeof v !== 'string') return bad(key, `${key} must be text.`);
  if (v.length > max) return bad(key, `${key} is too long (at most ${max} characters).`);
  return ok(v);
}

function oneOf<T extends string>(r: Rec, key: string, allowed: readonly T[], fallback?: T): Result<T> {
  const v = r[key] ?? fallback;
  return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? ok(v as T) : bad(key, `${key} must be one of ${allowed.join(', ')}.`);
}

/** Shape check of a Draft (H4's reader: types and sizes); a missing field takes the empty default. */
export function parseDraftShape(input: unknown): Result<Draft> {
  const s = new ShapeReader();
  const draft = readDraftShape(input, s, '');
  return firstError<Draft>(s.errors) ?? ok(draft);
}

/** Settings; a missing field takes its default. */
export function parseSettings(input: unknown): Result<Settings> {
  if (!isRecord(input)) return bad('settings', 'Expected settings.');
  const resolver = str(input, 'defaultResolver', 300, DEFAULT_SETTINGS.defaultResolver);
  if (!resolver.ok) return resolver;
  if (resolver.value !== '') {
    const spec = parseResolverSpec(resolver.value);
    if (!spec.ok) return bad('defaultResolver', spec.error.message);
  }
  const helo = str(input, 'heloName', 255, DEFAULT_SETTINGS.heloName);
  if (!helo.ok) return helo;
  if (/\s/.test(helo.value) || CONTROL.test(helo.value)) return bad('heloName', 'The HELO name cannot contain spaces or control characters.');
  const preset = oneOf(input, 'timeoutPreset', PRESETS, DEFAULT_SETTINGS.timeoutPreset);
  if (!preset.ok) return preset;
  const theme = oneOf(input, 'theme', THEMES, DEFAULT_SETTINGS.theme);
  if (!theme.ok) return theme;
  return ok({ defaultResolver: resolver.value, heloName: helo.value, timeoutPreset: preset.value, theme: theme.value });
}

export function parseProfileFields(input: unknown): Result<ProfileFields> {
  if (!isRecord(input)) return bad('profile', 'Expected a profile.');
  const name = str(input, 'name', 100);
  if (!name.ok) return name;
  if (name.value.trim() === '' || CONTROL.test(name.value)) return bad('name', 'Give the profile a name (one line).');
  const host = str(input, 'host', 255);
  if (!host.ok) return host;
  if (host.value === '' || /\s/.test(host.value) || CONTROL.test(host.value)) return bad('host', 'The host is a name or an address, without spaces.');
  const port = input.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return bad('port', 'The port is a number from 1 to 65535.');
  const tls = oneOf(input, 'tls', TLS_MODES);
  if (!tls.ok) return tls;
  const user = str(input, 'authUser', 255, '');
  if (!user.ok) return user;
  if (CONTROL.test(user.value)) return bad('authUser', 'The AUTH user cannot contain control characters.');
  const mech = oneOf(input, 'authMechanism', MECHANISMS, 'auto');
  if (!mech.ok) return mech;
  return ok({ name: name.value.trim(), host: host.value, port, tls: tls.value, authUser: user.value, authMechanism: mech.value });
}

export function parseSaveProfileRequest(input: unknown): Result<SaveProfileRequest> {
  if (!isRecord(input)) return bad('profile', 'Expected a profile.');
  const fields = parseProfileFields(input.profile);
  if (!fields.ok) return fields;
  const p = input.profile as Rec;
  if (p.id !== undefined && (typeof p.id !== 'string' || !HISTORY_ID.test(p.id))) return bad('id', 'Unknown profile id.');
  const out: SaveProfileRequest = { profile: { ...fields.value, ...(typeof p.id === 'string' ? { id: p.id } : {}) } };
  if (input.password !== undefined) {
    // NUL separates the fields of AUTH PLAIN (RFC 4616 §2), so a password cannot contain one.
    if (typeof input.password !== 'string' || input.password === '' || input.password.length > 1024 || input.password.includes('\u0000'))
      return bad('password', 'The password must be 1 to 1024 characters, without NUL.');
    out.password = input.password;
  }
  if (input.forgetPassword !== undefined) {
    if (typeof input.forgetPassword !== 'boolean') return bad('forgetPassword', 'forgetPassword must be true or false.');
    out.forgetPassword = input.forgetPassword;
  }
  return ok(out);
}

export function parseIdRequest(input: unknown): Result<{ id: string }> {
  return isRecord(input) && typeof input.id === 'string' && HISTORY_ID.test(input.id) ? ok({ id: input.id }) : bad('id', 'id must be a short name of letters, digits, - and _.');
}

export function parseEmptyRequest(_input: unknown): Result<Record<string, never>> {
  return ok({});
}

export function parseSaveDraftRequest(input: unknown): Result<{ draft: Draft }> {
  if (!isRecord(input)) return bad('draft', 'Expected a draft.');
  const d = parseDraftShape(input.draft);
  return d.ok ? ok({ draft: d.value }) : d;
}

export function parseSaveSettingsRequest(input: unknown): Result<{ settings: Settings }> {
  if (!isRecord(input)) return bad('settings', 'Expected settings.');
  const s = parseSettings(input.settings);
  return s.ok ? ok({ settings: s.value }) : s;
}

export function parseExportRequest(input: unknown): Result<{ id: string; format: ExportFormat }> {
  const id = parseIdRequest(input);
  if (!id.ok) return id;
  const format = oneOf(input as Rec, 'format', EXPORT_FORMATS);
  return format.ok ? ok({ id: id.value.id, format: format.value }) : format;
}

export function parseImportRequest(input: unknown): Result<{ text: string }> {
  if (!isRecord(input) || typeof input.text !== 'string') return bad('text', 'Expected the text of an MX Desk events export.');
  if (input.text.length > MAX_IMPORT_CHARS) return bad('text', 'That file is too large to be an MX Desk export (64 MiB at most).');
  return ok({ text: input.text });
}
