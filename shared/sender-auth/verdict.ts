/** The one line on top of the sender check: will it pass, and the first thing wrong. */
import type { DmarcReport, SpfReport } from './types';

export function senderVerdict(spf: SpfReport, dmarc: DmarcReport): { verdict: string; passes: boolean } {
  if (dmarc.result === 'pass') {
    const spfNote = spf.result === 'pass' ? '' : ` SPF alone gives ${spf.result}.`;
    return { passes: true, verdict: `Will pass: DMARC passes for ${dmarc.fromDomain}.${spfNote}` };
  }
  if (dmarc.result === 'temperror' || spf.result === 'temperror') {
    return { passes: false, verdict: `Unknown for now: a DNS lookup failed (${spf.result === 'temperror' ? 'SPF' : 'DMARC'}); try again.` };
  }
  if (dmarc.result === 'fail') {
    const first = spf.result !== 'pass' ? `SPF gives ${spf.result} for ${spf.ip}` : 'SPF passes but its domain does not align with From';
    return { passes: false, verdict: `Will not pass DMARC: ${first}, and no aligned DKIM signature. ${dmarc.disposition}` };
  }
  // No DMARC record: SPF decides on its own.
  if (spf.result === 'pass') return { passes: true, verdict: `SPF passes for ${spf.ip}; ${dmarc.fromDomain} publishes no DMARC policy.` };
  return { passes: false, verdict: `SPF gives ${spf.result} for ${spf.ip}, and ${dmarc.fromDomain} publishes no DMARC policy: receivers decide on their own.` };
}
