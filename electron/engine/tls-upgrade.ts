// TLS on an existing TCP socket: STARTTLS (RFC 3207) after the server's 220, or implicit TLS (RFC 8314) right
// after connect. The certificate is verified against the MX host NAME (SNI = that name, never an IP), and a
// failure is named precisely. Verification is done here rather than by Node's default so that the
// certificate can still be shown and, when the user asked for it for this one run, overridden.
import { X509Certificate } from 'node:crypto';
import { isIP, type Socket } from 'node:net';
import { checkServerIdentity, createSecureContext, rootCertificates, connect as tlsConnect, type PeerCertificate, type SecureContext, type TLSSocket } from 'node:tls';
import type { CertSummary } from '../../shared/events';
import type { CertPolicy } from '../../shared/model';
import { formatMs } from './deadline';
import type { TlsClientMaterial } from './transport/tls-client';

export interface TlsUpgradeOptions {
  /** The host name to verify and to send as SNI (an MX host name, or the host the user typed). */
  hostname: string;
  certPolicy: CertPolicy;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots. */
  ca?: string[];
  mode: 'starttls' | 'implicit';
  port: number;
  /** --tls-name, --tls-ca, client certificate, versions and ciphers (transport/tls-client.ts). */
  client?: TlsClientMaterial;
  /** A TLS policy (DANE, MTA-STS: policy/send-tls.ts) decides instead of the PKIX check and certPolicy. */
  authenticate?: TlsAuthenticate;
}

/** Given the peer and the PKIX problems (undefined when none), accept or refuse the connection. */
export type TlsAuthenticate = (tls: TLSSocket, pkixProblem: string | undefined) => { accept: true; verified: boolean } | { accept: false; message: string };

export type TlsFailureName = 'expired' | 'not yet valid' | 'self-signed' | 'unknown CA' | 'name mismatch' | 'revoked' | 'obsolete protocol' | 'handshake failed' | 'not TLS' | 'policy refused';

export interface TlsInfo {
  protocol?: string;
  cipher?: string;
  cert?: CertSummary;
  verified: boolean;
  /** Named failure ("expired", "self-signed", …) and the detail, when not verified. */
  verifyError?: string;
  failure?: TlsFailureName;
  overridden: boolean;
}

export type TlsUpgradeResult = { ok: true; socket: TLSSocket; info: TlsInfo } | { ok: false; failure: TlsFailureName; message: string; info?: TlsInfo; timedOut?: boolean; cancelled?: boolean };

/** Maps OpenSSL verification codes (X509_V_ERR_* names as Node reports them) to the names people use. */
export function nameVerifyError(code: string): TlsFailureName {
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return 'expired';
    case 'CERT_NOT_YET_VALID':
      return 'not yet valid';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return 'self-signed';
    case 'CERT_REVOKED':
      return 'revoked';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return 'name mismatch';
    default:
      return 'unknown CA'; // UNABLE_TO_GET_ISSUER_CERT(_LOCALLY), UNABLE_TO_VERIFY_LEAF_SIGNATURE, …
  }
}

/** Names a handshake error from OpenSSL in plain words; `implicit` adds the "try 587" hint. */
export function describeHandshakeError(e: NodeJS.ErrnoException, mode: 'starttls' | 'implicit', port: number, client?: TlsClientMaterial): { failure: TlsFailureName; message: string } {
  const text = `${e.code ?? ''} ${e.message}`;
  const limited = client?.minVersion || client?.maxVersion;
  if (limited && /UNSUPPORTED_PROTOCOL|unsupported protocol|NO_PROTOCOLS_AVAILABLE|PROTOCOL_VERSION|protocol version|VERSION_TOO_(LOW|HIGH)/i.test(text)) {
    const range = `${client?.minVersion ?? 'any'} to ${client?.maxVersion ?? 'any'}`;
    return { failure: 'handshake failed', message: `TLS handshake failed: the server offers no TLS version in the range allowed by --tls-min/--tls-max (${range}).` };
  }
  if (client?.ciphers && /NO_SHARED_CIPHER|no shared cipher|HANDSHAKE_FAILURE|handshake failure|NO_CIPHERS|no ciphers/i.test(text)) {
    return { failure: 'handshake failed', message: `TLS handshake failed: the server accepts none of the ciphers allowed by --tls-ciphers (${client.ciphers}).` };
  }
  if (/WRONG_VERSION_NUMBER|wrong version number|packet length too long|http request/i.test(text)) {
    if (mode === 'implicit') {
      return {
        failure: 'not TLS',
        message: `The server on port ${port} answered in plain text, not TLS: it does not speak implicit TLS here. Try port 587 with STARTTLS (or port 25).`,
      };
    }
    return { failure: 'not TLS', message: 'The server answered the TLS handshake with something that is not TLS.' };
  }
  if (/UNSUPPORTED_PROTOCOL|unsupported protocol|NO_PROTOCOLS_AVAILABLE|TLSV1_ALERT_PROTOCOL_VERSION|protocol version/i.test(text)) {
    return { failure: 'obsolete protocol', message: 'The server only offers an obsolete TLS version (older than TLS 1.2), which this client refuses.' };
  }
  if (/ECONNRESET|socket hang up|EPIPE/i.test(text)) {
    return { failure: 'handshake failed', message: 'The server closed the connection during the TLS handshake.' };
  }
  return { failure: 'handshake failed', message: `TLS handshake failed: ${e.message}` };
}

export function summarizeCertificate(peer: PeerCertificate): CertSummary | undefined {
  if (!peer || !peer.raw) return undefined;
  try {
    const x = new X509Certificate(peer.raw);
    return {
      subject: x.subject.replace(/\n/g, ', '),
      subjectAltNames: (x.subjectAltName ?? '')
        .split(/,\s*/)
        .map((s) => s.trim())
        .filter(Boolean),
      issuer: x.issuer.replace(/\n/g, ', '),
      validFrom: new Date(x.validFrom).toISOString(),
      validTo: new Date(x.validTo).toISOString(),
      fingerprint256: x.fingerprint256,
      selfSigned: x.subject === x.issuer && x.verify(x.publicKey),
    };
  } catch {
    return undefined;
  }
}

// Parsing Node's ~140 bundled roots costs ~20 ms of CPU; with extra CAs the context is built once per CA list
// (a batch of MX probes would otherwise parse them on every connection).
const CA_CONTEXTS = new Map<string, SecureContext>();
function contextWithCas(ca: string[]): SecureContext {
  const key = ca.join('\n');
  let ctx = CA_CONTEXTS.get(key);
  if (!ctx) {
    if (CA_CONTEXTS.size >= 16) CA_CONTEXTS.clear();
    ctx = createSecureContext({ ca: [...rootCertificates, ...ca] });
    CA_CONTEXTS.set(key, ctx);
  }
  return ctx;
}

/**
 * Upgrades `socket` to TLS. Never throws: failures come back named, with the certificate summary when the
 * handshake got that far. On failure the caller must close the connection (the plain socket cannot be
 * reused: the server is mid-handshake).
 */
/** A context for --tls-ca (trusted instead of the bundled roots), a client certificate, versions and ciphers. */
function clientContext(c: TlsClientMaterial, extraCa: string[] | undefined): SecureContext {
  const ca = c.ca !== undefined ? [c.ca] : extraCa && extraCa.length > 0 ? [...rootCertificates, ...extraCa] : undefined;
  return createSecureContext({ ca, cert: c.cert, key: c.key, minVersion: c.minVersion, maxVersion: c.maxVersion, ciphers: c.ciphers });
}

function hasClientContext(c: TlsClientMaterial | undefined): c is TlsClientMaterial {
  return c !== undefined && (c.ca !== undefined || c.cert !== undefined || c.minVersion !== undefined || c.maxVersion !== undefined || c.ciphers !== undefined);
}

export async function upgradeToTls(socket: Socket, opts: TlsUpgradeOptions): Promise<TlsUpgradeResult> {
  // --tls-name overrides both the SNI and the name the certificate must carry.
  const verifyName = opts.client?.name ?? opts.hostname;
  const servername = isIP(verifyName) ? undefined : verifyName; // RFC 6066 §3: SNI carries names only, never IP literals
  let secureContext: SecureContext | undefined;
  try {
    secureContext = hasClientContext(opts.client) ? clientContext(opts.client, opts.ca) : opts.ca && opts.ca.length > 0 ? contextWithCas(opts.ca) : undefined;
  } catch (e) {
    return { ok: false, failure: 'handshake failed', message: `TLS setup: OpenSSL refused the TLS options (${(e as Error).message.slice(0, 200)}).` };
  }
  return new Promise<TlsUpgradeResult>((resolve) => {
    let done = false;
    const tls = tlsConnect({
      socket,
      servername,
      // Verified below, after the handshake, so that the failure can be named and the certificate shown.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      secureContext,
    });
    const settle = (r: TlsUpgradeResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (!r.ok) tls.destroy();
      resolve(r);
    };
    const timer = setTimeout(
      () => settle({ ok: false, failure: 'handshake failed', message: `TLS handshake: no answer within ${formatMs(opts.timeoutMs)}`, timedOut: true }),
      opts.timeoutMs,
    );
    const onAbort = (): void => settle({ ok: false, failure: 'handshake failed', message: 'cancelled', cancelled: true });
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    tls.once('error', (e: NodeJS.ErrnoException) => settle({ ok: false, ...describeHandshakeError(e, opts.mode, opts.port, opts.client) }));
    tls.once('secureConnect', () => {
      const cert = summarizeCertificate(tls.getPeerCertificate(true));
      const cipher = tls.getCipher();
      const info: TlsInfo = { protocol: tls.getProtocol() ?? undefined, cipher: cipher?.standardName ?? cipher?.name, cert, verified: false, overridden: false };
      // Every problem is named, not just the first: a self-signed cert for the wrong name is both.
      const problems: { name: TlsFailureName; detail: string }[] = [];
      const idErr = checkServerIdentity(verifyName, tls.getPeerCertificate());
      if (idErr) problems.push({ name: 'name mismatch', detail: idErr.message });
      if (!tls.authorized) {
        const code = String(tls.authorizationError ?? 'UNKNOWN');
        problems.push({ name: nameVerifyError(code), detail: code });
      }
      const failure = problems[0]?.name;
      const detail = problems.map((p) => (p === problems[0] ? p.detail : `also ${p.name}: ${p.detail}`)).join('; ');
      if (opts.authenticate) {
        const d = opts.authenticate(tls, failure ? `${problems.map((p) => p.name).join(' and ')}: ${detail}` : undefined);
        // A DANE match authenticates on its own (RFC 7672 §3.1.1): PKIX problems are then not errors.
        if (failure && !(d.accept && d.verified)) info.verifyError = `${problems.map((p) => p.name).join(' and ')}: ${detail}`;
        if (d.accept) {
          info.verified = d.verified;
          settle({ ok: true, socket: tls, info });
        } else settle({ ok: false, failure: 'policy refused', message: d.message, info });
        return;
      }
      if (!failure) {
        info.verified = true;
        settle({ ok: true, socket: tls, info });
        return;
      }
      info.failure = failure;
      info.verifyError = `${problems.map((p) => p.name).join(' and ')}: ${detail}`;
      if (opts.certPolicy === 'override-once') {
        info.overridden = true;
        settle({ ok: true, socket: tls, info });
        return;
      }
      const names = problems.map((p) => p.name).join(' and ');
      settle({ ok: false, failure, message: `Certificate check failed for ${verifyName}: ${names} (${detail}).`, info });
    });
  });
}
