import { parseIpv4, parseIpv6 } from '../../../shared/ip-address';

/**
 * The PTR owner name of an address: `4.3.2.1.in-addr.arpa` for 1.2.3.4 (RFC 1035 §3.5) and the nibble form
 * under `ip6.arpa` for IPv6 (RFC 3596 §2.5). Undefined when `ip` is not an address.
 */
export function reverseName(ip: string): string | undefined {
  const text = ip.trim().replace(/^\[|\]$/g, '');
  const v4 = parseIpv4(text);
  if (v4) return `${[...v4].reverse().join('.')}.in-addr.arpa`;
  if (!text.includes(':') || text.includes('%')) return undefined;
  const v6 = parseIpv6(text);
  if (!v6) return undefined;
  const nibbles = v6.flatMap((group) => group.toString(16).padStart(4, '0').split(''));
  return `${nibbles.reverse().join('.')}.ip6.arpa`;
}
