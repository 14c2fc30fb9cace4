/**
 * SPF of the MAIL FROM domain for one outgoing address (RFC 7208 check_host(), §4), evaluated by mailauth
 * with its DNS questions answered by MX Desk's resolver; the tree is rebuilt from those questions.
 */
import { spf } from 'mailauth/lib/spf';
import type { DnsQueryStat } from '../../../shared/model';
import type { SpfReport, SpfResult } from '../../../shared/sender-auth/types';
import { spfExplanation } from '../../../shared/sender-auth/explain';
import { createMailauthResolver } from '../mailauth-resolver';
import type { DnsResolver } from '../resolver';
import { markError, markOutcomes } from './spf-outcome';
import { buildSpfTree } from './spf-tree';

/** RFC 7208 §4.6.4: at most 10 DNS-querying terms, and at most 2 void lookups. */
export const SPF_LOOKUP_LIMIT = 10;
export const SPF_VOID_LIMIT = 2;

const RESULTS: readonly SpfResult[] = ['pass', 'fail', 'softfail', 'neutral', 'none', 'permerror', 'temperror'];

export interface SpfCheckInput {
  sender: string;
  ip: string;
  ipSource: 'typed' | 'route';
  helo?: string;
  onQuery?: (q: DnsQueryStat) => void;
}

/** `postmaster@domain` when the local part is empty (RFC 7208 §4.3), as mailauth does too. */
function normalSender(sender: string): string {
  const s = sender.trim().replace(/^<|>$/g, '');
  const at = s.lastIndexOf('@');
  if (at < 0) return `postmaster@${s}`;
  if (at === 0) return `postmaster${s}`;
  return s;
}

export async function checkSpf(resolver: DnsResolver, input: SpfCheckInput): Promise<SpfReport> {
  const sender = normalSender(input.sender);
  const domain = (sender.split('@').pop() ?? '').toLowerCase();
  const ask = createMailauthResolver(resolver, { onQuery: (q) => input.onQuery?.(q.stat) });
  const r = await spf({ sender, ip: input.ip, helo: input.helo, mta: 'mxdesk', resolver: ask, maxResolveCount: SPF_LOOKUP_LIMIT, maxVoidCount: SPF_VOID_LIMIT });
  const result = (RESULTS as readonly string[]).includes(r.status.result) ? (r.status.result as SpfResult) : 'temperror';
  const tree = buildSpfTree(ask.queries, { sender, ip: input.ip, helo: input.helo });
  const decidedBy = tree && ['pass', 'fail', 'softfail', 'neutral'].includes(result) ? markOutcomes(tree, input.ip) : undefined;
  if (tree && (result === 'permerror' || result === 'temperror')) markError(tree, ask.queries.at(-1)?.stat);
  const lookups = r.lookups ?? { limit: SPF_LOOKUP_LIMIT, count: 0, void: 0, subqueries: {} };
  const subLookups = (lookups.subqueries.mx ?? 0) + (lookups.subqueries.ptr ?? 0);
  const report: SpfReport = {
    domain,
    ip: input.ip,
    ipSource: input.ipSource,
    sender,
    result,
    explanation: '',
    detail: (r.status.comment ?? '').replace(/^mxdesk: /, ''),
    lookupCount: lookups.count,
    lookupLimit: lookups.limit,
    voidCount: lookups.void,
    voidLimit: SPF_VOID_LIMIT,
    subLookups,
    queries: ask.queries.map((q) => q.stat),
    receivedSpf: r.header.trim(),
  };
  if (input.helo) report.helo = input.helo;
  if (decidedBy) report.decidedBy = decidedBy;
  if (tree) report.tree = tree;
  report.explanation = spfExplanation(report);
  return report;
}
