/**
 * DANE for SMTP as pure decisions (RFC 6698, RFC 7671, RFC 7672). No node:*: hashing is injected, so the
 * engine passes node:crypto and tests pass the same. Certificates come in as DER bytes with their SPKI.
 */
import type { DnssecStatus, TlsaRecord } from './dns-types';

/** RFC 6698 §2.1.1 certificate usages. */
export const TLSA_USAGE = { PKIX_TA: 0, PKIX_EE: 1, DANE_TA: 2, DANE_EE: 3 } as const;

/** Hash functions the caller supplies (matching types 1 and 2, RFC 6698 §2.1.3). */
export interface DaneHashes {
  sha256(data: Uint8Array): Uint8Array;
  sha512(data: Uint8Array): Uint8Array;
}

/** One certificate of the chain the host presented: full DER and its SubjectPublicKeyInfo DER. */
export interface ChainCert {
  der: Uint8Array;
  spki: Uint8Array;
}

export type TlsaUsability = 'usable' | 'ignored' | 'host-unusable' | 'cannot-judge' | 'none';

export interface TlsaDecision {
  usability: TlsaUsability;
  /** The records that count (usage 2 or 3, known selector and matching type). */
  usable: TlsaRecord[];
  verdict: string;
  rfc: string;
}

export function tlsaOwnerName(mxHost: string, port = 25): string {
  // RFC 6698 §3: _<port>._tcp.<host>; RFC 7672 §2.2.3 uses the MX host name for SMTP.
  return `_${port}._tcp.${mxHost.replace(/\.$/, '').toLowerCase()}`;
}

/** A TLSA record whose fields SMTP can use (RFC 7672 §3.1.3: PKIX usages 0 and 1 are not for SMTP). */
export function isUsableForSmtp(r: TlsaRecord): boolean {
  return (r.usage === 2 || r.usage === 3) && (r.selector === 0 || r.selector === 1) && r.matchingType >= 0 && r.matchingType <= 2 && /^[0-9a-f]+$/.test(r.data);
}

export function describeTlsa(r: TlsaRecord): string {
  const usage = ['PKIX-TA', 'PKIX-EE', 'DANE-TA', 'DANE-EE'][r.usage] ?? `usage ${r.usage}`;
  const selector = ['full certificate', 'SPKI'][r.selector] ?? `selector ${r.selector}`;
  const matching = ['exact', 'SHA-256', 'SHA-512'][r.matchingType] ?? `matching type ${r.matchingType}`;
  return `${r.usage} ${r.selector} ${r.matchingType} (${usage}, ${selector}, ${matching})`;
}

/**
 * Decide whether the TLSA RRset counts, from its DNSSEC status (RFC 7672 §2.2): only a secure RRset counts;
 * insecure is ignored; bogus makes the host unusable for a DANE MTA; a non-validating resolver cannot judge.
 */
export function decideTlsa(status: DnssecStatus, records: TlsaRecord[]): TlsaDecision {
  if (status === 'bogus') {
    return { usability: 'host-unusable', usable: [], verdict: 'The TLSA lookup is bogus (DNSSEC signatures do not validate): a DANE MTA must not deliver to this host.', rfc: 'RFC 7672 §2.2' };
  }
  if (status === 'unknown') {
    return { usability: 'cannot-judge', usable: [], verdict: 'The resolver does not validate DNSSEC, so DANE cannot be judged.', rfc: 'RFC 7672 §2.2' };
  }
  if (records.length === 0) {
    return { usability: 'none', usable: [], verdict: 'No TLSA records: DANE does not apply to this host.', rfc: 'RFC 7672 §2.2' };
  }
  if (status === 'insecure') {
    return { usability: 'ignored', usable: [], verdict: 'TLSA records exist but are not DNSSEC-signed, so they are ignored.', rfc: 'RFC 7672 §2.2' };
  }
  const usable = records.filter(isUsableForSmtp);
  if (usable.length === 0) {
    return { usability: 'host-unusable', usable, verdict: 'Secure TLSA records exist but none is usable for SMTP (PKIX-TA/EE or unknown parameters): a DANE MTA still requires TLS but authentication fails.', rfc: 'RFC 7672 §3.1.3, §2.2' };
  }
  return { usability: 'usable', usable, verdict: `${usable.length} usable DNSSEC-secure TLSA record(s): the host must present a matching certificate.`, rfc: 'RFC 7672 §2.2' };
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** The association data a certificate yields for one record (RFC 6698 §2.1.2, §2.1.3). */
export function associationData(r: TlsaRecord, cert: ChainCert, hashes: DaneHashes): string | undefined {
  const input = r.selector === 0 ? cert.der : r.selector === 1 ? cert.spki : undefined;
  if (!input) return undefined;
  if (r.matchingType === 0) return toHex(input);
  if (r.matchingType === 1) return toHex(hashes.sha256(input));
  if (r.matchingType === 2) return toHex(hashes.sha512(input));
  return undefined;
}

export interface DaneMatch {
  matched: boolean;
  /** The record that matched, if any. */
  record?: TlsaRecord;
  /** Index in the chain (0 = leaf) of the matching certificate. */
  chainIndex?: number;
  /** DANE-TA matched: the caller must still verify the chain to that element and check the MX name. */
  needsChainAndName: boolean;
  verdict: string;
  rfc: string;
}

/**
 * Match the presented chain (leaf first) against usable TLSA records. DANE-EE(3) matches only the leaf and
 * ignores names and dates (RFC 7672 §3.1.1); DANE-TA(2) matches any chain element above the leaf, after which
 * the chain must verify to it with the MX name checked (RFC 7672 §3.1.2).
 */
export function matchChain(records: TlsaRecord[], chain: ChainCert[], hashes: DaneHashes): DaneMatch {
  if (chain.length === 0) {
    return { matched: false, needsChainAndName: false, verdict: 'The host presented no certificate, so no TLSA record can match.', rfc: 'RFC 7672 §3' };
  }
  for (const r of records.filter(isUsableForSmtp)) {
    const data = r.data.toLowerCase();
    if (r.usage === 3 && associationData(r, chain[0], hashes) === data) {
      return { matched: true, record: r, chainIndex: 0, needsChainAndName: false, verdict: `The leaf certificate matches TLSA ${describeTlsa(r)}; names and validity dates do not apply.`, rfc: 'RFC 7672 §3.1.1' };
    }
    if (r.usage === 2) {
      for (let i = 0; i < chain.length; i++) {
        if (associationData(r, chain[i], hashes) === data) {
          return { matched: true, record: r, chainIndex: i, needsChainAndName: true, verdict: `Chain certificate ${i} matches TLSA ${describeTlsa(r)} as trust anchor; the chain must verify to it and name the MX host.`, rfc: 'RFC 7672 §3.1.2' };
        }
      }
    }
  }
  return { matched: false, needsChainAndName: false, verdict: 'No usable TLSA record matches the certificate chain the host presented: a DANE MTA does not deliver here.', rfc: 'RFC 7672 §3' };
}
