import { toASCII, toUnicode } from 'punycode/';
import type { DnsStatus, HostWarning, MxHostView, MxVerdict } from './model';
import type { Result } from './result';
import { fail, ok } from './result';
import { isIpLiteral, parseIpv4, parseIpv6 } from './ip-address';

/** Pure rules of the MX inspector: what the user typed, ordering of MX hosts, and the verdict in words. */

export { addressFlags, describeAddressFlag, isIpLiteral } from './ip-address';

export interface DomainQuery {
  /** The domain as an A-label (ASCII, lower case, no trailing dot): what goes on the wire. */
  ascii: string;
  /** The same domain as U-labels, for display. Equal to `ascii` for a plain ASCII domain. */
  unicode: string;
  /** Set when the user typed an e-mail address. */
  localPart?: string;
}

// RFC 5321 §4.1.2: sub-domain = Let-dig [Ldh-str]. Letters, digits, hyphens; no hyphen at either end.
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
// The dot and its ideographic/full-width/half-width equivalents (UTS #46 treats them all as separators).
const DOTS = /[.\u3002\uff0e\uff61]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function field<T>(message: string, fieldName = 'query'): Result<T> {
  return fail('invalid_input', message, { field: fieldName });
}

function clip(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Turns a domain or an e-mail address (optionally `Name <user@domain>`) into the domain to look up, as
 * A-label and U-label. Refuses with a plain sentence anything DNS cannot carry.
 */
export function parseDomainQuery(input: unknown): Result<DomainQuery> {
  if (typeof input !== 'string') return field('Type a domain or an e-mail address.');
  if (/[\r\n]/.test(input)) return field('The domain must be on one line: it contains a line break.');
  if (CONTROL.test(input)) return field('The domain contains a control character, which no domain can have.');
  let text = input.trim();
  if (text === '') return field('Type a domain or an e-mail address.');
  if (text.length > 1000) return field('That is far too long to be a domain (DNS names are at most 253 characters).');
  const angle = /<([^<>]*)>$/.exec(text);
  if (angle) text = angle[1].trim();

  let localPart: string | undefined;
  const at = text.lastIndexOf('@');
  if (at >= 0) {
    localPart = text.slice(0, at);
    text = text.slice(at + 1);
    if (localPart === '') return field('There is nothing before the @: type a whole address, or just the domain.');
    if (text === '') return field('There is nothing after the @: the domain is missing.');
  }
  if (text.startsWith('[')) return field('That address uses an IP literal instead of a domain, so there are no MX records to look up.');
  if (isIpLiteral(text)) return field('That is an IP address, not a domain, so there are no MX records to look up.');
  if (/\s/.test(text)) return field('A domain cannot contain spaces.');
  if (/[\p{Cf}\p{Z}]/u.test(text)) return field('The domain contains an invisible or direction-changing character, which no domain can have.');

  const unified = text.replace(DOTS, '.');
  // One trailing dot names the root (`example.com.`); it is not part of what we show or send.
  const name = unified.endsWith('.') ? unified.slice(0, -1) : unified;
  if (name === '') return field('Type a domain, not just a dot.');
  if (name.split('.').some((l) => l === '')) return field('The domain has an empty label: two dots in a row, or a dot at the start.');

  let ascii: string;
  try {
    ascii = toASCII(name.normalize('NFC').toLowerCase());
  } catch {
    return field(`“${clip(text)}” is not a valid international domain name.`);
  }
  for (const label of ascii.split('.')) {
    if (label.length > 63) {
      return field(`The label “${clip(label, 20)}” is ${label.length} characters long; DNS allows at most 63 (RFC 1035 §2.3.4).`);
    }
    if (!LDH_LABEL.test(label)) {
      return field(
        `“${clip(text)}” contains characters a domain cannot have: use letters, digits and hyphens, with no hyphen at the start or end of a label (RFC 5321 §4.1.2).`,
      );
    }
    if (label.startsWith('xn--') && decodeALabel(label) === undefined) return field(`The label “${clip(label, 30)}” is not valid punycode.`);
  }
  if (ascii.length > 253) return field(`The domain is ${ascii.length} characters long; DNS allows at most 253 (RFC 1035 §2.3.4).`);
  return ok({ ascii, unicode: unicodeHostName(ascii), ...(localPart !== undefined ? { localPart } : {}) });
}

// Control, format (bidi overrides, zero-width) and separator characters have no place in a host name, and
// would let a hostile zone disguise a name on screen.
const UNSAFE_IN_LABEL = /[\p{Cc}\p{Cf}\p{Z}]/u;

/** The U-label of an `xn--` label, or undefined when it is not a clean round trip to Unicode and back. */
function decodeALabel(label: string): string | undefined {
  try {
    const u = toUnicode(label);
    if (u === label || !/[^\p{ASCII}]/u.test(u) || UNSAFE_IN_LABEL.test(u)) return undefined;
    return toASCII(u) === label ? u : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The display form of an ASCII host name from DNS: each valid `xn--` label decoded, any label that is not
 * valid punycode (or would decode to control or bidi characters) kept as it came.
 */
export function unicodeHostName(ascii: string): string {
  return ascii
    .split('.')
    .map((l) => (l.startsWith('xn--') ? (decodeALabel(l) ?? l) : l))
    .join('.');
}

export interface ResolverSpec {
  host: string;
  port: number;
  family: 4 | 6;
  /** The form node:dns `setServers` takes, and the label shown to users: `127.0.0.1:53`, `[::1]:53`. */
  server: string;
}

/** Parses `host[:port]`, `[v6]:port` or a bare IPv6 address; the port defaults to 53. Empty is an error. */
export function parseResolverSpec(input: unknown): Result<ResolverSpec> {
  const bad = (m: string) => field<ResolverSpec>(m, 'resolver');
  if (typeof input !== 'string') return bad('The resolver must be text such as 127.0.0.1:53.');
  if (/[\r\n]/.test(input)) return bad('The resolver must be on one line: it contains a line break.');
  const text = input.trim();
  if (text === '') return bad('Type a resolver address such as 127.0.0.1:53, or leave it empty for the system resolver.');
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]*)\](?::([^:]*))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1];
    portText = bracketed[2];
  } else if ((text.match(/:/g) ?? []).length >= 2) {
    host = text; // a bare IPv6 address cannot carry a port without brackets
  } else {
    const colon = text.indexOf(':');
    host = colon >= 0 ? text.slice(0, colon) : text;
    portText = colon >= 0 ? text.slice(colon + 1) : undefined;
  }
  let port = 53;
  if (portText !== undefined) {
    if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      return bad(`“${clip(portText, 10)}” is not a port: use a number from 1 to 65535.`);
    }
    port = Number(portText);
  }
  // node:dns talks to resolvers by address only; a host name would need a resolver of its own.
  if (parseIpv4(host)) return ok({ host, port, family: 4, server: `${host}:${port}` });
  if (host.includes(':') && parseIpv6(host) && !host.includes('%')) {
    const h = host.toLowerCase();
    return ok({ host: h, port, family: 6, server: `[${h}]:${port}` });
  }
  return bad('Give the resolver as an IP address with an optional port, such as 127.0.0.1:5353 or [::1]:53.');
}

/**
 * Sorts MX records by preference, lowest first. Records of equal preference are shuffled with `random`
 * (RFC 5321 §5.1: the client SHOULD pick among them at random), so tests can inject a fixed sequence.
 */
export function sortMx<T extends { preference: number }>(records: readonly T[], random: () => number): T[] {
  const out: T[] = [];
  for (const group of groupByPreference([...records].sort((a, b) => a.preference - b.preference))) {
    const hosts = [...group.hosts];
    for (let i = hosts.length - 1; i > 0; i--) {
      const j = Math.min(i, Math.floor(random() * (i + 1)));
      [hosts[i], hosts[j]] = [hosts[j], hosts[i]];
    }
    out.push(...hosts);
  }
  return out;
}

/** Consecutive runs of equal preference in an already sorted list. */
export function groupByPreference<T extends { preference: number }>(sorted: readonly T[]): { preference: number; hosts: T[] }[] {
  const groups: { preference: number; hosts: T[] }[] = [];
  for (const r of sorted) {
    const last = groups[groups.length - 1];
    if (last && last.preference === r.preference) last.hosts.push(r);
    else groups.push({ preference: r.preference, hosts: [r] });
  }
  return groups;
}

/** `bücher.test (xn--bcher-kva.test)` for an IDN, the plain name otherwise. */
export function showDomain(ascii: string, unicode: string): string {
  return ascii === unicode ? ascii : `${unicode} (${ascii})`;
}

const FAILURE_WORDS: Partial<Record<DnsStatus, string>> = {
  timeout: 'the resolver did not answer in time',
  servfail: 'the resolver answered SERVFAIL',
  refused: 'the resolver refused the query',
  error: 'the resolver could not be asked',
};

export interface VerdictInput {
  verdict: MxVerdict;
  domain: string;
  domainUnicode: string;
  hosts: readonly MxHostView[];
  /** The status that made the lookup fail, for `dns_failure`. */
  failure?: DnsStatus;
  /** True when the failure is a DNSSEC validation failure of the MX set (bogus). */
  bogus?: boolean;
}

/** One or two plain sentences that say what the lookup found and what it means for mail. */
export function verdictSummary(v: VerdictInput): string {
  const d = showDomain(v.domain, v.domainUnicode);
  switch (v.verdict) {
    case 'mx': {
      const n = v.hosts.length;
      const usable = v.hosts.filter((h) => h.addresses.length > 0);
      const plural = n === 1 ? 'host' : 'hosts';
      if (usable.length === 0) {
        const none = n === 1 ? 'it has no usable address' : 'none of them has a usable address';
        return `${d} has ${n} MX ${plural}, but ${none}, so mail to it cannot be delivered now.`;
      }
      const best = groupByPreference(usable)[0];
      const first =
        best.hosts.length === 1
          ? `${best.hosts[0].exchangeUnicode} (preference ${best.preference})`
          : `one of ${best.hosts.map((h) => h.exchangeUnicode).join(', ')} (preference ${best.preference}, picked at random)`;
      const warned = v.hosts.filter((h) => h.warnings.length > 0).length;
      const tail = warned === 0 ? '' : warned === 1 && n === 1 ? ' It has a warning.' : ` ${warned} of them ${warned === 1 ? 'has a warning' : 'have warnings'}.`;
      return `${d} has ${n} MX ${plural}; mail goes first to ${first}.${tail}`;
    }
    case 'implicit_mx':
      return `${d} has no MX records, so mail goes to the domain's own address (implicit MX, RFC 5321 §5.1).`;
    case 'no_mail_host':
      return `${d} has no MX records and no address, so it cannot receive mail.`;
    case 'null_mx':
      return `${d} accepts no mail: it publishes a null MX (RFC 7505).`;
    case 'nxdomain':
      return `${d} does not exist (NXDOMAIN). This is permanent: check the spelling.`;
    case 'dns_failure':
      // RFC 4035 §5.5: a validating resolver answers SERVFAIL for bogus data; waiting does not fix a bad signature.
      if (v.bogus) return `Looking up ${d} failed: its DNSSEC signatures do not validate (bogus), so a validating resolver refuses the answer. This is a fault in the domain's DNS and is usually not temporary.`;
      return `Looking up ${d} failed: ${FAILURE_WORDS[v.failure ?? 'error'] ?? FAILURE_WORDS.error}. This is usually temporary: try again.`;
    case 'cancelled':
      return `The lookup of ${d} was cancelled.`;
  }
}

const WARNING_WORDS: Record<HostWarning, string> = {
  no_address: 'This host has neither an A nor an AAAA record, so no mail can be delivered to it.',
  ip_literal: 'The MX target is an IP address, not a host name (RFC 1035 §3.3.9 wants a name); senders that follow the rules will not use it.',
  private_address: 'It resolves to an address that is not public (loopback, private, link-local or reserved); senders on the internet cannot reach it.',
  address_lookup_failed: 'Its A or AAAA lookup failed (SERVFAIL or timeout), so the addresses shown may be incomplete.',
};

export function describeHostWarning(w: HostWarning): string {
  return WARNING_WORDS[w];
}
