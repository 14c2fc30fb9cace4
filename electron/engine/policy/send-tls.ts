/**
 * One connection under `tlsPolicy: 'mta'`: the TLS mode the dialog must use (STARTTLS mandatory under DANE
 * and MTA-STS enforce), the certificate decision after the handshake (DANE match on the presented chain,
 * or the PKIX result for MTA-STS), and the result rewritten so that a policy refusal tries the next host
 * (RFC 7672 §2.2: a host that fails DANE is not used; RFC 8461 §5 for MTA-STS enforce).
 */
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import type { SessionEventBody } from '../../../shared/events';
import type { TlsMode } from '../../../shared/model';
import { decideCertificate, tlsMandatory, type HostTlsPolicy } from '../../../shared/policy-send';
import type { TransactionResult } from '../../../shared/smtp/dialog-types';
import { joinSentences } from '../../../shared/smtp/sentences';
import type { TlsAuthenticate } from '../tls-upgrade';
import { matchPresented, pemFromBase64Der } from './dane-check';

/** RFC 7672 §3.1.2 chains are short; a hostile server's loop of issuers stops here. */
const MAX_CHAIN = 10;

/** The chain the peer presented, leaf first, as PEM (getPeerCertificate(true) links each issuer). */
export function peerChainPem(tls: TLSSocket): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  let c: DetailedPeerCertificate | undefined = tls.getPeerCertificate(true);
  while (c && c.raw && out.length < MAX_CHAIN && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    out.push(pemFromBase64Der(c.raw.toString('base64')));
    c = c.issuerCertificate && c.issuerCertificate !== c ? c.issuerCertificate : undefined;
  }
  return out;
}

export interface ConnectionPolicy {
  /** The TLS mode for the dialog: STARTTLS required when the policy makes TLS mandatory. */
  tlsMode(requested: TlsMode): TlsMode;
  authenticate: TlsAuthenticate;
  /** A refusal or a missing STARTTLS under a mandatory policy: not delivered here, try the next host. */
  settle(result: TransactionResult): TransactionResult;
}

export function connectionPolicy(host: string, policy: HostTlsPolicy, emit: (e: SessionEventBody) => void): ConnectionPolicy {
  let refused: string | undefined;
  return {
    tlsMode: (requested) => (tlsMandatory(policy) && (requested === 'auto' || requested === 'none') ? 'starttls' : requested),
    authenticate: (tls, pkixProblem) => {
      const dane = policy.kind === 'dane' ? matchPresented(policy.records, peerChainPem(tls), host) : undefined;
      const d = decideCertificate(host, policy, { pkixProblem, dane });
      if (!d.accept) {
        // Said once, by the failed TLS event and the "trying next" line that quote it.
        refused = d.text;
        return { accept: false, message: d.text };
      }
      emit({ kind: 'info', level: d.level, text: d.text, stage: 'tls' });
      return { accept: true, verified: d.authenticated };
    },
    settle: (result) => {
      if (result.outcome !== 'not_delivered' || result.dotSent) return result;
      if (refused && result.stage === 'tls') return { ...result, reason: refused, tryNext: true };
      if (tlsMandatory(policy) && (result.stage === 'starttls' || result.stage === 'tls')) {
        return { ...result, reason: joinSentences(`The TLS policy makes TLS mandatory for ${host} (${policy.rfc}), so it is not used.`, result.reason), tryNext: true };
      }
      return result;
    },
  };
}
