import { EscapedText } from '../components/escaped-text';
import type { TlsState } from './session-view';

/**
 * The server's certificate when verification failed: who it claims to be and its SHA-256 fingerprint, so
 * the user can compare it out of band before trusting it for one run.
 */
export function CertPanel({ tls, onOverride, disabled }: { tls: TlsState; onOverride?: () => void; disabled?: boolean }) {
  const cert = tls.cert;
  return (
    <section className="callout callout-error cert-panel" aria-label="Server certificate">
      <p className="cert-headline">
        <strong>The certificate of {tls.servername} could not be verified</strong>: <EscapedText text={tls.verifyError ?? 'unknown reason'} />
      </p>
      {cert ? (
        <dl className="facts cert-facts">
          <div>
            <dt>Subject</dt>
            <dd>
              <EscapedText text={cert.subject} />
              {cert.selfSigned ? ' (self-signed)' : ''}
            </dd>
          </div>
          <div>
            <dt>Names</dt>
            <dd>
              <EscapedText text={cert.subjectAltNames.join(', ') || '(none)'} />
            </dd>
          </div>
          <div>
            <dt>Issuer</dt>
            <dd>
              <EscapedText text={cert.issuer} />
            </dd>
          </div>
          <div>
            <dt>Valid</dt>
            <dd>
              <EscapedText text={`${cert.validFrom} to ${cert.validTo}`} />
            </dd>
          </div>
          <div>
            <dt>SHA-256</dt>
            <dd className="mono cert-fingerprint">
              <EscapedText text={cert.fingerprint256} />
            </dd>
          </div>
        </dl>
      ) : null}
      {onOverride ? (
        <p className="cert-actions">
          <button type="button" onClick={onOverride} disabled={disabled}>
            Trust it for one run and send again
          </button>
          <span className="muted"> The exception is not remembered, and the log records it.</span>
        </p>
      ) : null}
    </section>
  );
}
