/**
 * What the MX health probe saw of each host's TLS, in the shape the policy report reads: the chain (PEM,
 * leaf first) for DANE matching, whether it was PKIX-valid for the MX name (MTA-STS), or why there was no
 * TLS. One entry per host: the first address that reached TLS wins, so no second connection is needed.
 */
import type { AddressProbe } from '../../../shared/probe/types';
import type { PresentedCertificate } from '../../../shared/policy-model';
import { pemFromBase64Der } from './dane-check';

export interface PresentedTls {
  chains: Record<string, string[]>;
  certificates: Record<string, PresentedCertificate>;
  /** Hosts reached on the probed port that gave no TLS, with the reason. */
  noTls: Record<string, string>;
}

export function presentedFromProbes(probes: AddressProbe[]): PresentedTls {
  const out: PresentedTls = { chains: {}, certificates: {}, noTls: {} };
  for (const p of probes) {
    const host = p.host.replace(/\.$/, '').toLowerCase();
    const tls = p.starttls?.tls;
    if (tls && tls.chainDer.length > 0) {
      if (out.chains[host]) continue;
      out.chains[host] = tls.chainDer.map(pemFromBase64Der);
      out.certificates[host] = { validForName: tls.verified, failure: tls.failure, subject: tls.chain[0]?.subject };
      delete out.noTls[host];
      continue;
    }
    // Reached the server (EHLO answered) but no TLS: STARTTLS not offered, refused, or the handshake failed.
    if (!out.chains[host] && p.ehlo && p.starttls) {
      out.noTls[host] = p.starttls.offered ? (p.starttls.error ?? 'the TLS handshake failed') : 'STARTTLS was not offered';
    }
  }
  return out;
}
