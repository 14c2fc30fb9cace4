/**
 * Marks each term of the rebuilt SPF tree as matched, not matched or not reached, walking it in evaluation
 * order (RFC 7208 §4.6.2: the first matching mechanism decides; §6.1: redirect only when nothing matched).
 * This is for display: the result itself is mailauth's. Matching uses the answers mailauth received and
 * node's BlockList for CIDR (RFC 7208 §5.6).
 */
import { BlockList, isIP } from 'node:net';
import type { DnsQueryStat } from '../../../shared/model';
import type { SpfNode, SpfTerm } from '../../../shared/sender-auth/types';

type Walk = 'match' | 'none' | 'error';

function cidrOf(text: string, v6: boolean): number | undefined {
  // RFC 7208 §5.6: ip4-cidr-length "/n", ip6-cidr-length "//n" on a and mx.
  const m = /(?:\/(\d+))?(?:\/\/(\d+))?$/.exec(text);
  const n = v6 ? m?.[2] : m?.[1];
  return n === undefined ? undefined : Number(n);
}

function inRange(ip: string, range: string, prefix: number | undefined): boolean {
  const fam = isIP(ip);
  if (fam === 0 || isIP(range) !== fam) return false;
  const type = fam === 6 ? 'ipv6' : 'ipv4';
  const list = new BlockList();
  try {
    if (prefix === undefined) list.addAddress(range, type);
    else list.addSubnet(range, prefix, type);
    return list.check(ip, type);
  } catch {
    return false;
  }
}

function addressMatch(term: SpfTerm, ip: string): boolean {
  const v6 = isIP(ip) === 6;
  const prefix = cidrOf(term.text, v6);
  return term.lookups.some((l) => (l.query.type === 'A' || l.query.type === 'AAAA') && l.values.some((a) => inRange(ip, a, prefix)));
}

function termMatches(term: SpfTerm, ip: string): Walk {
  if (term.lookups.some((l) => !l.void && l.query.status !== 'ok')) return 'error';
  switch (term.mechanism) {
    case 'all':
      return 'match';
    case 'ip4':
    case 'ip6': {
      const spec = term.target ?? '';
      const [range = '', len] = spec.split('/');
      return inRange(ip, range, len === undefined ? undefined : Number(len)) ? 'match' : 'none';
    }
    case 'a':
    case 'mx':
    case 'ptr':
      return addressMatch(term, ip) ? 'match' : 'none';
    case 'exists':
      return term.lookups.some((l) => l.query.type === 'A' && l.values.length > 0) ? 'match' : 'none';
    case 'include':
      if (!term.child) return term.lookups.length > 0 ? 'error' : 'none';
      return walk(term.child, ip) === 'match' && decidingQualifier(term.child) === '+' ? 'match' : 'none';
    default:
      return 'none';
  }
}

/** The qualifier of the term that decided a node (after walk()), or undefined. */
function decidingQualifier(node: SpfNode): string | undefined {
  for (const t of node.terms) {
    if (t.outcome !== 'match') continue;
    if (t.mechanism === 'redirect' && t.child) return decidingQualifier(t.child);
    return t.qualifier;
  }
  return undefined;
}

/** Sets every term's outcome in a node; says whether a term matched. */
function walk(node: SpfNode, ip: string): Walk {
  if (node.loop || !node.record) return node.loop ? 'error' : 'none';
  let decided: Walk | undefined;
  const hasAll = node.terms.some((t) => t.mechanism === 'all');
  for (const t of node.terms) {
    if (t.mechanism === 'redirect' || t.mechanism === 'exp' || t.mechanism === 'unknown') continue;
    if (decided) {
      t.outcome = 'not-reached';
      continue;
    }
    const r = termMatches(t, ip);
    t.outcome = r === 'match' ? 'match' : r === 'error' ? 'error' : 'no-match';
    if (r !== 'none') decided = r;
  }
  for (const t of node.terms) {
    if (t.mechanism !== 'redirect') continue;
    if (decided || hasAll || !t.child) {
      t.outcome = t.child && !decided ? 'error' : 'not-reached';
      continue;
    }
    const r = walk(t.child, ip);
    t.outcome = 'match';
    decided = r;
  }
  return decided ?? 'none';
}

/** Marks the outcomes and returns the deciding term's text (`-all`, `ip4:192.0.2.0/24`), if one decided. */
export function markOutcomes(root: SpfNode, ip: string): string | undefined {
  walk(root, ip);
  const find = (node: SpfNode): string | undefined => {
    for (const t of node.terms) {
      if (t.outcome !== 'match') continue;
      if (t.mechanism === 'redirect' && t.child) return find(t.child);
      if (t.mechanism === 'include' && t.child) return find(t.child) ? `${t.text} → ${find(t.child) ?? ''}` : t.text;
      return t.text;
    }
    return undefined;
  };
  return find(root);
}

/**
 * For a permerror or temperror: the term whose lookup was the last one asked is where evaluation stopped
 * (`error`), and so are the include/redirect terms that led to it; other terms that made lookups did not
 * match. Terms never reached stay `not-reached`.
 */
export function markError(root: SpfNode, last: DnsQueryStat | undefined): void {
  const visit = (node: SpfNode): boolean => {
    let hit = false;
    for (const t of node.terms) {
      const below = t.child ? visit(t.child) : false;
      const here = (last !== undefined && t.lookups.some((l) => l.query === last)) || t.child?.loop === true;
      if (below || here) {
        t.outcome = 'error';
        hit = true;
      } else if (t.lookups.length > 0 && !hit) t.outcome = 'no-match';
    }
    return hit;
  };
  visit(root);
}
