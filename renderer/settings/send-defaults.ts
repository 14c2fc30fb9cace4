/**
 * What the Settings contribute to a send, applied where the request is built so the form's own values
 * always win. Pure.
 */
import type { SessionRequest } from '../../shared/model';
import type { Settings } from '../../shared/store-model';
import { timeoutsForPreset } from '../../shared/store-model';

/**
 * Fills what the form left empty: the resolver (for the MX plan), the HELO name, and the "Quick diagnose"
 * timeouts. "RFC defaults" sends none: the engine's defaults are the RFC 5321 §4.5.3.2 ones.
 */
export function withSendDefaults(req: SessionRequest, s: Settings): SessionRequest {
  const out: SessionRequest = { ...req };
  if (!out.resolver && s.defaultResolver.trim()) out.resolver = s.defaultResolver.trim();
  if (!out.heloName && s.heloName.trim()) out.heloName = s.heloName.trim();
  if (!out.timeouts && s.timeoutPreset === 'quick') out.timeouts = timeoutsForPreset('quick');
  return out;
}

/** The HELO name the Send panel prefills: the Settings' one, else the host's own name. */
export function heloDefault(s: Settings, hostDefault: string): string {
  return s.heloName.trim() || hostDefault;
}
