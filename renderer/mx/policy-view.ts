/** Pure view helpers for the Policies section: a word and a badge tone per verdict (never colour alone). */
import type { BadgeTone } from '../components/badge-tone';
import type { PolicyTone } from '../../shared/policy-model';

export interface ToneView {
  word: string;
  badge: BadgeTone;
}

const VIEWS: Record<PolicyTone, ToneView> = {
  pass: { word: 'OK', badge: 'ok' },
  warn: { word: 'Warning', badge: 'warn' },
  fail: { word: 'Fails', badge: 'error' },
  info: { word: 'Note', badge: 'neutral' },
};

export function toneView(tone: PolicyTone | undefined): ToneView {
  return VIEWS[tone ?? 'info'];
}

/** `1 day`, `7 days`, `3600 s`: max_age in the largest whole unit. */
export function formatMaxAge(seconds: number): string {
  if (seconds >= 86400 && seconds % 86400 === 0) return `${seconds / 86400} day${seconds === 86400 ? '' : 's'} (${seconds} s)`;
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h (${seconds} s)`;
  return `${seconds} s`;
}
