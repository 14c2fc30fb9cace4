/**
 * The Advanced section's field errors for the whole target form: the shared validators' messages
 * (advanced-state.ts), plus what only the form can know (a UNIX socket needs a specific server). Pure.
 */
import { advancedGroups } from './advanced-state';
import type { TargetState } from './target-state';

export function advancedTargetErrors(t: TargetState): Record<`advanced.${string}`, string> {
  const out: Record<`advanced.${string}`, string> = {};
  for (const [k, v] of Object.entries(advancedGroups(t.advanced).errors)) out[`advanced.${k}`] = v;
  if (t.kind === 'mx' && t.advanced.socketPath.trim() && !out['advanced.socketPath']) {
    out['advanced.socketPath'] = 'A UNIX socket replaces the MX hosts: choose “A specific server” (its name is used for HELO and TLS; empty means localhost).';
  }
  return out;
}
