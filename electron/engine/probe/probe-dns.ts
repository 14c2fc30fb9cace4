// Reverse DNS for probes: the PTR names of an address and whether one of them resolves back to it
// (forward-confirmed reverse DNS, FCrDNS; RFC 8601 §2.7.3 "iprev"). Bounded: a few names, one deadline per
// query. Asked through MX Desk's own DNS client (electron/engine/resolver.ts), so the resolver the user set
// answers PTR queries too, and no node:dns path is left for probes.
import type { ProbePtr } from '../../../shared/probe/types';
import { escapeAndTruncate } from '../../../shared/smtp/escape';
import { createResolver, reverseName, type DnsResolver } from '../resolver';

export interface ReverseDns {
  reverse(address: string): Promise<string[]>;
  addresses(name: string, family: 4 | 6): Promise<string[]>;
  cancel(): void;
}

const MAX_PTR_NAMES = 5;

function failing(message: string, errCode: string): Promise<never> {
  return Promise.reject(Object.assign(new Error(message), { code: errCode }));
}

/** PTR and A/AAAA over one DnsResolver (each query has the resolver's absolute deadline). */
export function reverseDnsOver(r: DnsResolver): ReverseDns {
  return {
    // A PTR query proper (RFC 1035 §3.5, RFC 3596 §2.5), never /etc/hosts.
    reverse: async (address) => {
      const name = reverseName(address);
      if (!name) return failing('not an address', 'EINVAL');
      return (await r.query(name, 'PTR')).records.map((p) => p.name);
    },
    addresses: async (name, family) => (await (family === 4 ? r.resolve4(name) : r.resolve6(name))).map((a) => a.address),
    cancel: () => r.cancel(),
  };
}

/** `server` is `host[:port]` (validated by the caller), undefined for the system's resolvers. */
export function createReverseDns(server: string | undefined, timeoutMs: number): ReverseDns {
  let r: DnsResolver;
  try {
    r = createResolver(server, timeoutMs);
  } catch (e) {
    const why = `the resolver ${server ?? ''} cannot be used: ${(e as Error).message}`;
    return { reverse: () => failing(why, 'EINVAL'), addresses: () => failing(why, 'EINVAL'), cancel: () => undefined };
  }
  return reverseDnsOver(r);
}

function code(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
}

/** Never rejects. `none` when the address has no PTR (NXDOMAIN / NODATA), `error` when DNS failed. */
export async function lookupPtr(dnsr: ReverseDns, address: string, family: 4 | 6): Promise<ProbePtr> {
  let names: string[];
  try {
    names = (await dnsr.reverse(address)).map((n) => n.toLowerCase().replace(/\.$/, '')).slice(0, MAX_PTR_NAMES);
  } catch (e) {
    const c = code(e);
    if (c === 'ENOTFOUND' || c === 'ENODATA') return { status: 'none', names: [], forwardConfirmed: false };
    return { status: 'error', names: [], forwardConfirmed: false, error: escapeAndTruncate(`${c || 'error'}: ${(e as Error).message}`, 200) };
  }
  if (names.length === 0) return { status: 'none', names: [], forwardConfirmed: false };
  const norm = (a: string): string => a.toLowerCase();
  const checks = await Promise.all(
    names.map(async (n) => {
      try {
        return (await dnsr.addresses(n, family)).map(norm).includes(norm(address));
      } catch {
        return false;
      }
    }),
  );
  return { status: 'ok', names: names.map((n) => escapeAndTruncate(n, 255)), forwardConfirmed: checks.some(Boolean) };
}
