/**
 * The SPF evaluation tree, rebuilt from the DNS questions mailauth asked while it evaluated (mailauth gives
 * only the result). mailauth evaluates depth-first and in record order (RFC 7208 §4.6.2, §5.2, §6.1), so each
 * TXT question belongs to the nearest open record with an include/redirect naming it, and each A/AAAA/MX/PTR
 * question to the nearest open record with a term that names the queried domain. Macros (§7) are expanded with
 * mailauth's own macro module, so the targets compared are the ones mailauth asked for.
 */
import macro from 'mailauth/lib/spf/macro';
import type { MailauthQuery } from '../mailauth-resolver';
import { isSpfRecord, spfTerms } from '../../../shared/sender-auth/spf-terms';
import type { SpfLookup, SpfNode, SpfTerm } from '../../../shared/sender-auth/types';
import { reverseName } from '../resolver';

export interface TreeParams {
  sender: string;
  ip: string;
  helo?: string;
}

/** A record still being evaluated, with what its terms will look up. */
interface Open {
  node: SpfNode;
  /** include/redirect terms whose record has not been fetched yet. */
  pending: SpfTerm[];
  /** Domain names this record's terms look up (a, mx, exists, ptr, and the hosts an mx answer named). */
  names: Map<string, SpfTerm>;
  chain: string[];
}

function lower(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/**
 * Expands macros exactly as mailauth does, so the names compared are the names it asked for. (mailauth
 * expands %{d} to the sender's domain in nested records too, where RFC 7208 §7.3 says the current domain.)
 */
function expand(value: string, p: TreeParams): string | undefined {
  try {
    return lower(macro(value, { sender: p.sender, ip: p.ip, helo: p.helo }));
  } catch {
    return undefined;
  }
}

function lookupOf(q: MailauthQuery): SpfLookup {
  const isVoid = q.code === 'ENOTFOUND' || q.code === 'ENODATA' || (q.stat.status === 'ok' && q.values.length === 0);
  return { query: q.stat, values: q.values.slice(0, 20), void: isVoid };
}

function open(domain: string, q: MailauthQuery, p: TreeParams, chain: string[]): Open {
  const spf = q.values.filter(isSpfRecord);
  const node: SpfNode = { domain, loop: chain.includes(domain), terms: [], lookup: lookupOf(q) };
  if (q.code && q.code !== 'ENOTFOUND' && q.code !== 'ENODATA') node.problem = `The TXT lookup failed (${q.code}).`;
  else if (spf.length === 0) node.problem = 'No v=spf1 record (RFC 7208 §4.5).';
  else if (spf.length > 1) node.problem = `${spf.length} v=spf1 records: a permerror (RFC 7208 §4.5).`;
  if (spf.length === 1) {
    node.record = spf[0];
    node.terms = spfTerms(spf[0] ?? '');
  }
  const pending: SpfTerm[] = [];
  const names = new Map<string, SpfTerm>();
  for (const t of node.terms) {
    if (t.mechanism === 'include' || t.mechanism === 'redirect') {
      const target = t.target !== undefined ? expand(t.target, p) : undefined;
      if (target) t.target = target;
      pending.push(t);
    } else if (t.mechanism === 'a' || t.mechanism === 'mx' || t.mechanism === 'exists') {
      const spec = (t.target ?? '').replace(/\/\/?\d+$/, '').replace(/\/\d+$/, '');
      const target = spec ? expand(spec, p) : domain;
      if (target) {
        t.target = target;
        if (!names.has(target)) names.set(target, t);
      }
    } else if (t.mechanism === 'ptr') {
      const rev = lower(reverseName(p.ip) ?? '');
      if (rev && !names.has(rev)) names.set(rev, t);
    }
  }
  return { node, pending, names, chain: [...chain, domain] };
}

/** Attaches each question to its node and term. The first TXT question is the root. */
export function buildSpfTree(queries: readonly MailauthQuery[], p: TreeParams): SpfNode | undefined {
  const stack: Open[] = [];
  let root: SpfNode | undefined;
  for (const q of queries) {
    const name = lower(q.stat.name);
    if (q.stat.type === 'TXT') {
      if (stack.length === 0) {
        if (root) break; // a second top-level TXT is not SPF's (DMARC asks later)
        const o = open(name, q, p, []);
        root = o.node;
        stack.push(o);
        continue;
      }
      const at = findOpen(stack, (o) => o.pending.some((t) => t.target === name));
      if (at < 0) continue;
      const parent = stack[at] as Open;
      stack.length = at + 1;
      const term = parent.pending.find((t) => t.target === name) as SpfTerm;
      parent.pending.splice(parent.pending.indexOf(term), 1);
      const child = open(name, q, p, parent.chain);
      term.child = child.node;
      term.lookups.push(lookupOf(q));
      if (!child.node.loop) stack.push(child);
      continue;
    }
    const at = findOpen(stack, (o) => o.names.has(name));
    if (at < 0) continue;
    const owner = stack[at] as Open;
    stack.length = at + 1;
    const term = owner.names.get(name) as SpfTerm;
    term.lookups.push(lookupOf(q));
    // The hosts an MX answer names are looked up next, for the same term (RFC 7208 §5.4).
    if (q.stat.type === 'MX') for (const v of q.values) owner.names.set(lower(v.split(' ').pop() ?? ''), term);
    // PTR names are then checked forward (§5.5): their A/AAAA belong to the ptr term.
    if (q.stat.type === 'PTR') for (const v of q.values) owner.names.set(lower(v), term);
  }
  return root;
}

function findOpen(stack: Open[], test: (o: Open) => boolean): number {
  for (let i = stack.length - 1; i >= 0; i--) if (test(stack[i] as Open)) return i;
  return -1;
}
