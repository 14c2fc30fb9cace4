// TLS alerts a server sends after the handshake looked done (TLS 1.3 checks the client certificate then, so
// the refusal arrives as an error on the first read), named in plain words instead of OpenSSL's raw text.
// RFC 8446 §6.2 lists the alerts; Node reports them as ERR_SSL_<…>_ALERT_<NAME> codes.

const ALERTS: [RegExp, string][] = [
  [/CERTIFICATE_REQUIRED|certificate required/i, 'the server requires a client certificate (TLS alert "certificate required", RFC 8446 §6.2); give one with --tls-cert and --tls-key'],
  [/UNKNOWN_CA|unknown ca/i, 'the server does not trust the CA of the client certificate (TLS alert "unknown CA")'],
  [/BAD_CERTIFICATE|bad certificate|CERTIFICATE_UNKNOWN|certificate unknown|UNSUPPORTED_CERTIFICATE/i, 'the server refused the client certificate (TLS alert "bad certificate")'],
  [/CERTIFICATE_EXPIRED|certificate expired/i, 'the server says the client certificate has expired (TLS alert "certificate expired")'],
  [/ACCESS_DENIED|access denied/i, 'the server denied access after checking the client certificate (TLS alert "access denied")'],
];

/** Plain words for a TLS alert error, or undefined when the error is not one. */
export function describeTlsAlert(code: string | undefined, message: string): string | undefined {
  const text = `${code ?? ''} ${message}`;
  if (!/ALERT|alert/.test(text)) return undefined;
  for (const [re, words] of ALERTS) if (re.test(text)) return words;
  const m = /alert ([a-z0-9 ]+?)(?::|$)/i.exec(message);
  return `the server ended TLS with the alert "${(m?.[1] ?? 'unknown').trim().slice(0, 60)}"`;
}
