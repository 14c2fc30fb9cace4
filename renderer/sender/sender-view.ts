/** View helpers for the sender check: tones and labels. Pure. */
import type { DmarcReport, SpfResult, SpfTermOutcome } from '../../shared/sender-auth/types';

export type Tone = 'ok' | 'warn' | 'error' | 'info';

export function spfTone(r: SpfResult): Tone {
  return r === 'pass' ? 'ok' : r === 'fail' || r === 'permerror' ? 'error' : r === 'softfail' || r === 'temperror' ? 'warn' : 'info';
}

export function dmarcTone(r: DmarcReport['result']): Tone {
  return r === 'pass' ? 'ok' : r === 'fail' ? 'error' : r === 'temperror' ? 'warn' : 'info';
}

export const OUTCOME_LABEL: Record<SpfTermOutcome, string> = { match: 'match', 'no-match': 'no match', 'not-reached': 'not reached', error: 'error' };

/** The lookup gauge's tone: near the limit is a warning, over it an error (RFC 7208 §4.6.4). */
export function gaugeTone(count: number, limit: number): Tone {
  return count > limit ? 'error' : count >= limit - 2 ? 'warn' : 'ok';
}
