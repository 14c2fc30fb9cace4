/**
 * DANE for one MX host (RFC 7672): ask TLSA at _<port>._tcp.<mx> with its DNSSEC status, decide whether
 * it counts, and match the presented certificate chain (PEM, leaf first) with node:crypto hashing.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { DnssecStatus, TlsaRecord } from '../../../shared/dns-types';
import { decideTlsa, matchChain, tlsaOwnerName, type ChainCert, type DaneHashes, type DaneMatch, type TlsaDecision } from '../../../shared/dane';
import type { DnsResolver } from '../resolver';
import { verifyDaneTaChain } from './dane-ta';

export const nodeHashes: DaneHashes = {
  sha256: (d) => createHash('sha256').update(d).digest(),
  sha512: (d) => createHash('sha512').update(d).digest(),
};

export interface DaneHostReport {
  host: string;
  owner: string;
  status: DnssecStatus;
  records: TlsaRecord[];
  decision: TlsaDecision;
  /** Present when a chain was given and the TLSA RRset is usable. */
  match?: DaneMatch;
}

export function chainFromPem(pems: string[]): ChainCert[] {
  return pems.map((pem) => {
    const x = new X509Certificate(pem);
    return { der: x.raw, spki: x.publicKey.export({ type: 'spki', format: 'der' }) };
  });
}

/** The probe keeps chains as base64 DER (shared/probe/types.ts chainDer): the same certificates as ChainCert. */
export function chainFromBase64Der(ders: string[]): ChainCert[] {
  return ders.map((b64) => {
    const x = new X509Certificate(Buffer.from(b64, 'base64'));
    return { der: x.raw, spki: x.publicKey.export({ type: 'spki', format: 'der' }) };
  });
}

export function pemFromBase64Der(b64: string): string {
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

export async function checkDane(resolver: DnsResolver, host: string, chainPem?: string[], port = 25): Promise<DaneHostReport> {
  const owner = tlsaOwnerName(host, port);
  const a = await resolver.dnssec(owner, 'TLSA');
  const records = a.answer?.records ?? [];
  const decision = decideTlsa(a.status, records);
  const report: DaneHostReport = { host, owner, status: a.status, records, decision };
  if (chainPem && decision.usability === 'usable') report.match = matchPresented(decision.usable, chainPem, host);
  return report;
}

/**
 * Matches a presented chain (PEM, leaf first) against usable records; a DANE-TA match is then checked for
 * chain, dates and name (RFC 7672 §3.1.2), so `matched` is the final answer a DANE MTA would act on.
 */
export function matchPresented(records: TlsaRecord[], chainPem: string[], host: string): DaneMatch {
  let chain: ChainCert[];
  try {
    chain = chainFromPem(chainPem);
  } catch {
    return { matched: false, needsChainAndName: false, verdict: 'The certificate the host presented could not be read, so no TLSA record can match.', rfc: 'RFC 7672 §3' };
  }
  const m = matchChain(records, chain, nodeHashes);
  if (!m.matched || !m.needsChainAndName || m.chainIndex === undefined) return m;
  const ta = verifyDaneTaChain(chainPem, m.chainIndex, host);
  return { ...m, matched: ta.ok, needsChainAndName: false, verdict: `${m.verdict.replace(/; the chain must verify.*$/, '.')} ${ta.verdict}`, rfc: ta.rfc };
}
