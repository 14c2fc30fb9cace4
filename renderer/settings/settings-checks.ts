/** As-you-type checks of the Settings' text fields, with the shared validators main applies too. Pure. */
import { parseResolverSpec } from '../../shared/mx';
import { validateHeloName } from '../../shared/validate/fields';

export function resolverError(text: string): string | undefined {
  if (text.trim() === '') return undefined; // empty: the system resolver (or web mode's --dns)
  const r = parseResolverSpec(text);
  return r.ok ? undefined : r.error.message;
}

export function heloSettingError(text: string): string | undefined {
  if (text.trim() === '') return undefined; // empty: this machine's name
  const r = validateHeloName(text.trim());
  return r.ok ? undefined : r.message;
}
