/** Pure view helpers for DNSSEC badges in the MX inspector: words, tone and the sentence behind each status. */
import type { DnssecStatus } from '../../shared/dns-types';
import type { BadgeTone } from '../components/badge-tone';

export interface DnssecView {
  label: string;
  tone: BadgeTone;
  /** One sentence for the tooltip and for screen readers. */
  sentence: string;
}

const VIEWS: Record<DnssecStatus, Omit<DnssecView, 'sentence'> & { sentence: (what: string) => string }> = {
  secure: { label: 'secure', tone: 'ok', sentence: (w) => `The ${w} is DNSSEC-signed and the resolver validated it (AD bit, RFC 4035 §3.2.3).` },
  insecure: { label: 'unsigned', tone: 'neutral', sentence: (w) => `The resolver validates DNSSEC, but the ${w} is not signed, so DANE does not apply (RFC 7672 §2.2).` },
  bogus: { label: 'bogus', tone: 'error', sentence: (w) => `The ${w} fails DNSSEC validation: the resolver answered SERVFAIL and the data came back only with checking disabled (RFC 4035 §5.5).` },
  unknown: { label: 'not validated', tone: 'neutral', sentence: (w) => `The DNSSEC status of the ${w} is not known: this resolver does not validate, or the query failed.` },
};

export function dnssecView(status: DnssecStatus, what: string): DnssecView {
  const v = VIEWS[status];
  return { label: v.label, tone: v.tone, sentence: v.sentence(what) };
}
