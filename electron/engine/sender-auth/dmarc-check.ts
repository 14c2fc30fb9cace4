/**
 * DMARC of the From domain (RFC 7489): the record found by mailauth's discovery (§6.6.3: the From domain,
 * then the organizational domain) through MX Desk's resolver, then alignment of the SPF and DKIM domains.
 */
import getDmarcRecord from 'mailauth/lib/dmarc/get-dmarc-record';
import { getDomain } from 'tldts';
import type { DnsQueryStat } from '../../../shared/model';
import { alignmentRow, applicablePolicy, dispositionOf, dmarcRecordOf } from '../../../shared/sender-auth/dmarc';
import type { DmarcReport, SpfResult } from '../../../shared/sender-auth/types';
import { createMailauthResolver } from '../mailauth-resolver';
import type { DnsResolver } from '../resolver';

/** RFC 7489 §3.2: the organizational domain, from the public suffix list (as mailauth reads it). */
export function organizationalDomain(domain: string): string {
  const d = domain.toLowerCase().replace(/\.$/, '');
  return getDomain(d, { allowIcannDomains: true, allowPrivateDomains: true }) ?? d;
}

export interface DmarcCheckInput {
  fromDomain: string;
  spfDomain?: string;
  spfResult: SpfResult;
  dkimDomain?: string;
  /** False when the signing key is not published (the signature would fail); undefined: not checked. */
  dkimVerifiable?: boolean;
  onQuery?: (q: DnsQueryStat) => void;
}

export async function checkDmarc(resolver: DnsResolver, input: DmarcCheckInput): Promise<DmarcReport> {
  const fromDomain = input.fromDomain.toLowerCase();
  const org = organizationalDomain(fromDomain);
  const ask = createMailauthResolver(resolver, { onQuery: (q) => input.onQuery?.(q.stat) });
  const base = { fromDomain, organizationalDomain: org, alignment: [] };
  let found: Awaited<ReturnType<typeof getDmarcRecord>>;
  try {
    found = await getDmarcRecord(fromDomain, ask);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return {
      ...base,
      result: 'temperror',
      disposition: 'Unknown: the DMARC record could not be fetched; receivers would try again later (RFC 7489 §6.6.3).',
      explanation: `The DMARC lookup for ${fromDomain} failed: ${reason}.`,
      queries: ask.queries.map((q) => q.stat),
    };
  }
  const queries = ask.queries.map((q) => q.stat);
  if (!found) {
    return {
      ...base,
      result: 'none',
      disposition: 'No DMARC policy: receivers apply their own rules (RFC 7489 §6.6.3).',
      explanation:
        org !== fromDomain
          ? `Neither _dmarc.${fromDomain} nor _dmarc.${org} has one v=DMARC1 record, so DMARC gives no result (RFC 7489 §6.6.3).`
          : `_dmarc.${fromDomain} has no single v=DMARC1 record, so DMARC gives no result (RFC 7489 §6.6.3).`,
      queries,
    };
  }
  const foundAt = found.isOrgRecord ? `_dmarc.${org}` : `_dmarc.${fromDomain}`;
  const record = dmarcRecordOf(found, found.rr, foundAt);
  const orgOf = organizationalDomain;
  const alignment = [
    alignmentRow('spf', input.spfDomain, fromDomain, record.aspf, input.spfResult === 'pass', orgOf),
    alignmentRow('dkim', input.dkimDomain, fromDomain, record.adkim, input.dkimDomain !== undefined && input.dkimVerifiable !== false, orgOf),
  ];
  const passing = alignment.filter((a) => a.aligned && a.authenticated);
  const pass = passing.length > 0;
  const policy = applicablePolicy(record, !found.isOrgRecord || fromDomain === org);
  const how = pass
    ? `DMARC passes: ${passing.map((a) => a.mechanism.toUpperCase()).join(' and ')} ${passing.length > 1 ? 'give' : 'gives'} an aligned pass (RFC 7489 §4.2).`
    : 'DMARC fails: neither SPF nor DKIM gives an aligned pass (RFC 7489 §4.2).';
  const report: DmarcReport = { ...base, result: pass ? 'pass' : 'fail', record, alignment, disposition: dispositionOf(pass, policy, record.pct), explanation: how, queries };
  if (policy) report.policy = policy;
  return report;
}
