/** DKIM signing options (RFC 6376; Ed25519 RFC 8463) as they travel with a session request. */

export type DkimAlgorithm = 'rsa-sha256' | 'ed25519-sha256';
export type DkimCanonicalization = 'relaxed/relaxed' | 'relaxed/simple' | 'simple/relaxed' | 'simple/simple';

export const DKIM_CANONICALIZATIONS: readonly DkimCanonicalization[] = ['relaxed/relaxed', 'relaxed/simple', 'simple/relaxed', 'simple/simple'];
export const DKIM_ALGORITHMS: readonly DkimAlgorithm[] = ['rsa-sha256', 'ed25519-sha256'];

/** RFC 6376 §5.4.1: From must be signed; these are the fields worth signing by default. */
export const DEFAULT_DKIM_HEADERS: readonly string[] = ['From', 'To', 'Cc', 'Subject', 'Date', 'Message-ID', 'Reply-To', 'MIME-Version', 'Content-Type', 'Content-Transfer-Encoding'];

export interface DkimRequest {
  /** d= (RFC 6376 §3.5). */
  domain: string;
  /** s= (RFC 6376 §3.1). */
  selector: string;
  /** a=; derived from the key when absent. */
  algorithm?: DkimAlgorithm;
  /** h=: header fields to sign, in order. From is always included (RFC 6376 §5.4). */
  headers?: string[];
  /** c= (RFC 6376 §3.4). Default relaxed/relaxed. */
  canonicalization?: DkimCanonicalization;
  /**
   * The private key (PEM). Travels renderer→main only, like a password: never journaled, exported, or sent
   * back. Absent when the key was saved earlier (then main looks it up by domain and selector).
   */
  privateKey?: string;
}
