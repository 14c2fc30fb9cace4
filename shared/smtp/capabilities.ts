/**
 * EHLO reply → capabilities (RFC 5321 §4.1.1.1: the first line is the server's domain and an optional
 * greeting; every further line is `ehlo-keyword *(SP ehlo-param)`). Keywords are case-insensitive
 * (RFC 5321 §2.4), so they are stored upper-case.
 */
import type { SmtpReply } from './reply-reader';

export interface Capabilities {
  pipelining: boolean; // RFC 2920
  chunking: boolean; // RFC 3030
  binaryMime: boolean; // RFC 3030
  starttls: boolean; // RFC 3207
  smtputf8: boolean; // RFC 6531
  eightBitMime: boolean; // RFC 6152
  dsn: boolean; // RFC 3461
  enhancedStatusCodes: boolean; // RFC 2034
  /** RFC 1870 maximum message size in octets; absent when not advertised or advertised as 0 / without a number (no fixed limit). */
  size?: number;
  /** SASL mechanisms (RFC 4954), upper-case, de-duplicated, from `AUTH` and the pre-standard `AUTH=` line. */
  auth: string[];
  /** Every keyword advertised, upper-case, in order, de-duplicated. */
  keywords: string[];
  /** The domain from the first line of the reply. */
  domain?: string;
}

export function emptyCapabilities(): Capabilities {
  return {
    pipelining: false,
    chunking: false,
    binaryMime: false,
    starttls: false,
    smtputf8: false,
    eightBitMime: false,
    dsn: false,
    enhancedStatusCodes: false,
    auth: [],
    keywords: [],
  };
}

// RFC 5321 §4.1.1.1: ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-"). The old `AUTH=PLAIN LOGIN`
// form (pre-RFC 2554 clients like Outlook) is accepted by splitting at the '='.
const KEYWORD = /^([A-Za-z0-9][A-Za-z0-9-]*)(?:=(.*))?$/;
// RFC 4422 §3.1: SASL mechanism names are 1–20 of upper-case letters, digits, '-' and '_'.
const SASL_MECH = /^[A-Z0-9_-]{1,20}$/;

export function parseEhloReply(reply: SmtpReply): Capabilities {
  const caps = emptyCapabilities();
  const [first, ...rest] = reply.lines;
  const domain = first?.trim().split(/\s+/)[0];
  if (domain) caps.domain = domain;
  const keywords = new Set<string>();
  const auth = new Set<string>();
  for (const line of rest) {
    const words = line.trim().split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) continue;
    const m = KEYWORD.exec(words[0]);
    if (!m) continue;
    const keyword = m[1].toUpperCase();
    const params = m[2] !== undefined ? [m[2], ...words.slice(1)].filter((w) => w !== '') : words.slice(1);
    keywords.add(keyword);
    switch (keyword) {
      case 'PIPELINING':
        caps.pipelining = true;
        break;
      case 'CHUNKING':
        caps.chunking = true;
        break;
      case 'BINARYMIME':
        caps.binaryMime = true;
        break;
      case 'STARTTLS':
        caps.starttls = true;
        break;
      case 'SMTPUTF8':
        caps.smtputf8 = true;
        break;
      case '8BITMIME':
        caps.eightBitMime = true;
        break;
      case 'DSN':
        caps.dsn = true;
        break;
      case 'ENHANCEDSTATUSCODES':
        caps.enhancedStatusCodes = true;
        break;
      case 'SIZE': {
        // RFC 1870 §4: "SIZE" [SP number]; 0 or no number means no fixed maximum.
        const n = params[0] !== undefined && /^\d{1,15}$/.test(params[0]) ? Number(params[0]) : 0;
        if (n > 0) caps.size = n;
        break;
      }
      case 'AUTH':
        for (const p of params) {
          const mech = p.toUpperCase();
          if (SASL_MECH.test(mech)) auth.add(mech);
        }
        break;
    }
  }
  caps.keywords = [...keywords];
  caps.auth = [...auth];
  return caps;
}
