/**
 * The checks a DANE-TA(2) match still needs (RFC 7672 §3.1.2): the presented chain must verify from the leaf
 * up to the certificate the TLSA record matched, each issuer a CA, every certificate below the anchor within
 * its validity dates, and the leaf must name the MX host (RFC 7672 §3.2.2; wildcards allowed, §3.2.3).
 * DANE-EE(3) needs none of this (RFC 7672 §3.1.1).
 */
import { X509Certificate } from 'node:crypto';

export interface DaneTaCheck {
  ok: boolean;
  /** One sentence: what held, or the first thing that failed. */
  verdict: string;
  rfc: string;
}

const RFC = 'RFC 7672 §3.1.2, §3.2.2';

function parse(pems: string[]): X509Certificate[] | undefined {
  try {
    return pems.map((p) => new X509Certificate(p));
  } catch {
    return undefined;
  }
}

/** `anchorIndex` is the chain position (0 = leaf) of the certificate the DANE-TA record matched. */
export function verifyDaneTaChain(chainPem: string[], anchorIndex: number, host: string, now: Date = new Date()): DaneTaCheck {
  const certs = parse(chainPem);
  if (!certs || anchorIndex < 0 || anchorIndex >= certs.length) return { ok: false, verdict: 'The presented chain could not be read, so the DANE-TA match cannot be checked.', rfc: RFC };
  for (let i = 0; i < anchorIndex; i++) {
    const child = certs[i];
    const issuer = certs[i + 1];
    if (!issuer.ca) return { ok: false, verdict: `Chain certificate ${i + 1} is not a CA certificate, so it cannot issue certificate ${i}.`, rfc: RFC };
    if (!child.checkIssued(issuer) || !child.verify(issuer.publicKey)) {
      return { ok: false, verdict: `Chain certificate ${i} is not signed by certificate ${i + 1}, so the chain does not lead to the DANE-TA trust anchor.`, rfc: RFC };
    }
    if (now < new Date(child.validFrom) || now > new Date(child.validTo)) {
      return { ok: false, verdict: `Chain certificate ${i} is outside its validity dates (${child.validFrom} to ${child.validTo}); DANE-TA keeps the date checks.`, rfc: RFC };
    }
  }
  const leaf = certs[0];
  if (leaf.checkHost(host.replace(/\.$/, '')) === undefined) {
    return { ok: false, verdict: `The chain leads to the DANE-TA trust anchor, but the leaf certificate does not name ${host}.`, rfc: RFC };
  }
  return { ok: true, verdict: `The chain verifies up to the DANE-TA trust anchor (certificate ${anchorIndex}) and the leaf names ${host}.`, rfc: RFC };
}
