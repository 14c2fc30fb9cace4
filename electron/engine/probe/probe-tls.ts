// What a probe keeps of a TLS connection: protocol, cipher, key exchange group, and the certificate chain as
// the server sent it (leaf first), each certificate summarised and kept as base64 DER, capped in count and
// bytes so a server sending 100 certificates cannot grow memory.
import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import type { ProbeCertificate, ProbeTls } from '../../../shared/probe/types';
import { MAX_CHAIN_BYTES, MAX_CHAIN_CERTS } from '../../../shared/probe/types';
import type { TlsInfo } from '../tls-upgrade';

const DAY_MS = 86_400_000;

export function describeCertificate(der: Buffer): ProbeCertificate | undefined {
  try {
    const x = new X509Certificate(der);
    const key = x.publicKey;
    const details = key.asymmetricKeyDetails;
    const curve = details?.namedCurve;
    const curveBits: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521 };
    return {
      subject: x.subject.replace(/\n/g, ', '),
      subjectAltNames: (x.subjectAltName ?? '')
        .split(/,\s*/)
        .map((s) => s.trim())
        .filter(Boolean)
        .slice(0, 100),
      issuer: x.issuer.replace(/\n/g, ', '),
      validFrom: new Date(x.validFrom).toISOString(),
      validTo: new Date(x.validTo).toISOString(),
      fingerprint256: x.fingerprint256,
      keyType: key.asymmetricKeyType,
      keyBits: details?.modulusLength ?? (curve ? curveBits[curve] : key.asymmetricKeyType === 'ed25519' ? 256 : undefined),
      curve,
      selfSigned: x.subject === x.issuer && safeVerify(x),
    };
  } catch {
    return undefined;
  }
}

function safeVerify(x: X509Certificate): boolean {
  try {
    return x.verify(x.publicKey);
  } catch {
    return false;
  }
}

/** Walks the peer chain leaf first, stopping at the caps or where the chain loops (a root issues itself). */
export function peerChain(socket: TLSSocket): { der: Buffer[]; truncated: boolean } {
  const der: Buffer[] = [];
  let bytes = 0;
  let truncated = false;
  const seen = new Set<string>();
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true) as DetailedPeerCertificate | undefined;
  while (cert && cert.raw && cert.raw.length > 0) {
    const fp = cert.fingerprint256;
    if (seen.has(fp)) break;
    seen.add(fp);
    if (der.length >= MAX_CHAIN_CERTS || bytes + cert.raw.length > MAX_CHAIN_BYTES) {
      truncated = true;
      break;
    }
    der.push(cert.raw);
    bytes += cert.raw.length;
    cert = cert.issuerCertificate;
  }
  return { der, truncated };
}

export function probeTlsInfo(socket: TLSSocket, info: TlsInfo, ms: number, nowMs = Date.now()): ProbeTls {
  const { der, truncated } = peerChain(socket);
  const chain = der.map(describeCertificate).filter((c): c is ProbeCertificate => c !== undefined);
  let group: string | undefined;
  try {
    const eph = socket.getEphemeralKeyInfo();
    if (eph && typeof eph === 'object' && 'name' in eph && typeof eph.name === 'string') group = eph.name;
    else if (eph && typeof eph === 'object' && 'type' in eph && typeof eph.type === 'string') group = eph.type;
  } catch {
    group = undefined;
  }
  const leaf = chain[0];
  return {
    protocol: info.protocol,
    cipher: info.cipher,
    group,
    verified: info.verified,
    failure: info.failure,
    verifyError: info.verifyError,
    chain,
    chainDer: der.map((d) => d.toString('base64')),
    chainTruncated: truncated,
    daysToExpiry: leaf ? Math.floor((Date.parse(leaf.validTo) - nowMs) / DAY_MS) : undefined,
    ms: Math.round(ms * 10) / 10,
  };
}
