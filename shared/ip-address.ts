import type { AddressFlag } from './model';

/**
 * IP address parsing and classification, pure. Used by the MX inspector to warn about MX targets that are
 * address literals or that resolve to space which is not reachable on the public internet.
 */

/** Four octets, or undefined when `text` is not a dotted-quad IPv4 address. */
export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const p of parts) {
    // No leading zeros: `010` is octal to some parsers and decimal to others.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    octets.push(n);
  }
  return octets;
}

/** Eight 16-bit groups, or undefined when `text` is not an IPv6 address (RFC 4291 §2.2 text forms). */
export function parseIpv6(text: string): number[] | undefined {
  let s = text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (s === '' || /[^0-9a-fA-F:.]/.test(s)) return undefined;
  // An embedded IPv4 tail (`::ffff:192.0.2.1`) becomes two groups.
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (!v4 || lastColon < 0) return undefined;
    s = `${s.slice(0, lastColon + 1)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** True for an IPv4 or IPv6 address, bare or in brackets (`[192.0.2.1]`, `[IPv6:2001:db8::1]`). */
export function isIpLiteral(text: string): boolean {
  let s = text.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1).replace(/^IPv6:/i, '');
  if (s.endsWith('.')) s = s.slice(0, -1);
  return parseIpv4(s) !== undefined || (s.includes(':') && parseIpv6(s) !== undefined);
}

function inV4(o: number[], base: [number, number, number, number], bits: number): boolean {
  const a = ((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) >>> 0;
  const b = ((base[0] << 24) | (base[1] << 16) | (base[2] << 8) | base[3]) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

function ipv4Flags(o: number[]): AddressFlag[] {
  const flags: AddressFlag[] = [];
  if (inV4(o, [0, 0, 0, 0], 8)) flags.push('unspecified'); // RFC 1122 §3.2.1.3 "this network"
  if (inV4(o, [127, 0, 0, 0], 8)) flags.push('loopback');
  if (inV4(o, [10, 0, 0, 0], 8) || inV4(o, [172, 16, 0, 0], 12) || inV4(o, [192, 168, 0, 0], 16)) flags.push('private'); // RFC 1918
  if (inV4(o, [169, 254, 0, 0], 16)) flags.push('link-local'); // RFC 3927
  if (inV4(o, [192, 0, 2, 0], 24) || inV4(o, [198, 51, 100, 0], 24) || inV4(o, [203, 0, 113, 0], 24)) flags.push('documentation'); // RFC 5737
  if (inV4(o, [100, 64, 0, 0], 10)) flags.push('shared'); // RFC 6598 carrier-grade NAT
  if (inV4(o, [224, 0, 0, 0], 4)) flags.push('multicast');
  return flags;
}

function ipv6Flags(g: number[]): AddressFlag[] {
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    // RFC 4291 §2.5.5.2 IPv4-mapped: judge the IPv4 address inside.
    return ipv4Flags([g[6] >> 8, g[6] & 0xff, g[7] >> 8, g[7] & 0xff]);
  }
  const flags: AddressFlag[] = [];
  const allZeroTo6 = g.slice(0, 7).every((x) => x === 0);
  if (allZeroTo6 && g[7] === 0) flags.push('unspecified');
  if (allZeroTo6 && g[7] === 1) flags.push('loopback');
  if ((g[0] & 0xfe00) === 0xfc00) flags.push('private'); // RFC 4193 unique local fc00::/7
  if ((g[0] & 0xffc0) === 0xfe80) flags.push('link-local');
  if (g[0] === 0x2001 && g[1] === 0x0db8) flags.push('documentation'); // RFC 3849
  if ((g[0] & 0xff00) === 0xff00) flags.push('multicast');
  return flags;
}

/** Why an address would not be reached from the public internet; empty for ordinary global unicast. */
export function addressFlags(address: string): AddressFlag[] {
  const v4 = parseIpv4(address);
  if (v4) return ipv4Flags(v4);
  const v6 = parseIpv6(address);
  if (v6) return ipv6Flags(v6);
  return [];
}

const FLAG_WORDS: Record<AddressFlag, string> = {
  loopback: 'a loopback address (this machine itself)',
  private: 'a private address (not reachable from the internet)',
  'link-local': 'a link-local address (only valid on one network segment)',
  unspecified: 'an unspecified address (not a real destination)',
  documentation: 'a documentation-only address (reserved for examples)',
  shared: 'a carrier-grade NAT address (100.64.0.0/10, not public)',
  multicast: 'a multicast address (not a mail server)',
};

export function describeAddressFlag(flag: AddressFlag): string {
  return FLAG_WORDS[flag];
}
