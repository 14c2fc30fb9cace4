/** Plain sentences for the sender check, each naming the RFC section behind it. */
import type { SpfReport } from './types';

export function spfExplanation(r: Pick<SpfReport, 'result' | 'domain' | 'ip' | 'decidedBy' | 'lookupCount' | 'lookupLimit' | 'voidCount' | 'voidLimit' | 'detail'>): string {
  const by = r.decidedBy ? ` (${r.decidedBy})` : '';
  switch (r.result) {
    case 'pass':
      return `Pass: ${r.domain} authorises ${r.ip} to send its mail${by} (RFC 7208 §2.6.3).`;
    case 'fail':
      return `Fail: ${r.domain} says ${r.ip} must not send its mail${by}; receivers may refuse it (RFC 7208 §2.6.4, §8.4).`;
    case 'softfail':
      return `Softfail: ${r.domain} says ${r.ip} is probably not allowed${by}; expect spam scoring, not refusal (RFC 7208 §2.6.5).`;
    case 'neutral':
      return `Neutral: ${r.domain} makes no claim about ${r.ip}${by} (RFC 7208 §2.6.2).`;
    case 'none':
      return `None: ${r.domain} publishes no SPF record, so nothing can be said about ${r.ip} (RFC 7208 §2.6.1).`;
    case 'permerror':
      if (r.lookupCount > r.lookupLimit) return `Permerror: the record needs more than ${r.lookupLimit} DNS lookups (RFC 7208 §4.6.4); receivers treat it as broken.`;
      if (r.voidCount > r.voidLimit) return `Permerror: more than ${r.voidLimit} lookups found nothing (void lookups, RFC 7208 §4.6.4).`;
      return `Permerror: the SPF record of ${r.domain} cannot be evaluated: ${r.detail} (RFC 7208 §2.6.7).`;
    case 'temperror':
      return `Temperror: a DNS lookup failed for now (${r.detail}); try again (RFC 7208 §2.6.6).`;
  }
}
