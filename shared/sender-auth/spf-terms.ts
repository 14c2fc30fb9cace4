/**
 * Splits an SPF record into its terms for display (RFC 7208 §4.6.1, §5, §6). This does not evaluate
 * anything: mailauth does; these terms are the rows of the evaluation tree the engine fills in.
 */
import type { SpfMechanism, SpfQualifier, SpfTerm } from './types';

const MECHANISMS: readonly SpfMechanism[] = ['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists'];
/** RFC 7208 §4.6.4: these terms cause DNS queries and count against the limit of 10. */
const COUNTED: readonly SpfMechanism[] = ['include', 'a', 'mx', 'ptr', 'exists', 'redirect'];
/** A record longer than this is shown cut; DNS caps TXT well below it anyway. */
const MAX_TERMS = 64;

export function isSpfRecord(text: string): boolean {
  // RFC 7208 §4.5: exactly "v=spf1" followed by a space or the end.
  return /^v=spf1(\s|$)/i.test(text.trim());
}

function termOf(raw: string): SpfTerm {
  const base = { text: raw, outcome: 'not-reached' as const, lookups: [] };
  const modifier = /^([a-z][a-z0-9_.-]*)=(.*)$/i.exec(raw);
  if (modifier) {
    const name = (modifier[1] ?? '').toLowerCase();
    const mechanism: SpfMechanism = name === 'redirect' || name === 'exp' ? name : 'unknown';
    return { ...base, mechanism, qualifier: '+', target: modifier[2], countsLookup: mechanism === 'redirect' };
  }
  let qualifier: SpfQualifier = '+';
  let rest = raw;
  const first = rest.charAt(0);
  if (first === '+' || first === '-' || first === '~' || first === '?') {
    qualifier = first;
    rest = rest.slice(1);
  }
  const name = (/^[a-z0-9]+/i.exec(rest)?.[0] ?? '').toLowerCase();
  const mechanism = (MECHANISMS as readonly string[]).includes(name) ? (name as SpfMechanism) : 'unknown';
  const arg = rest.slice(name.length);
  const target = arg.startsWith(':') ? arg.slice(1) : undefined;
  return { ...base, mechanism, qualifier, target, countsLookup: COUNTED.includes(mechanism) };
}

/** The terms of a `v=spf1 …` record, in order, without the version tag. */
export function spfTerms(record: string): SpfTerm[] {
  return record
    .trim()
    .split(/\s+/)
    .slice(1)
    .filter((t) => t.length > 0)
    .slice(0, MAX_TERMS)
    .map(termOf);
}

/** RFC 7208 §4.6.2 qualifier names. */
export function qualifierResult(q: SpfQualifier): 'pass' | 'fail' | 'softfail' | 'neutral' {
  return q === '-' ? 'fail' : q === '~' ? 'softfail' : q === '?' ? 'neutral' : 'pass';
}
