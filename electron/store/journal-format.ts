import type { SessionRequest } from '../../shared/model';

/** The request summary in a journal header: enough for the history list, never a secret. */
export interface JournalSummary {
  target: string;
  mailFrom: string;
  rcptTo: string[];
  mode: 'auto' | 'step';
  tls?: string;
  authUser?: string;
  /** Set when the journal is a check's (MX health or relay), not a send's. */
  check?: 'mx' | 'relay';
}

export function describeTarget(req: SessionRequest): string {
  if (req.target.kind === 'host') return `${req.target.host}:${req.target.port}`;
  const domains = [...new Set(req.draft.rcptTo.map((r) => r.slice(r.lastIndexOf('@') + 1).toLowerCase()).filter((d) => d !== ''))];
  return `MX of ${domains.join(', ') || 'the recipients'}${req.port && req.port !== 25 ? ` (port ${req.port})` : ''}`;
}

export function requestSummary(req: SessionRequest): JournalSummary {
  return {
    target: describeTarget(req),
    mailFrom: req.draft.mailFrom,
    rcptTo: [...req.draft.rcptTo],
    mode: req.mode,
    tls: req.tls,
    ...(req.auth ? { authUser: req.auth.user } : {}),
  };
}

/** The request as stored for "run again": the password is dropped (a profile id stays: main looks it up). */
export function redactRequest(req: SessionRequest): SessionRequest {
  // The DKIM private key is dropped like the password (a saved key is looked up again by domain and selector).
  const noKey = req.dkim?.privateKey !== undefined ? { ...req, dkim: { ...req.dkim, privateKey: undefined } } : req;
  if (!noKey.auth) return noKey;
  const { password: _password, ...auth } = noKey.auth;
  return { ...noKey, auth };
}
