// Reverse DNS for probes: the PTR names of an address and whether one of them resolves back to it
// (forward-confirmed reverse DNS, FCrDNS; RFC 8601 §2.7.3 "iprev"). Bounded: a few names, one deadline.
import { promises as dns } from 'node:dns';
import type { ProbePtr } from '../../../shared/probe/types';
import { parseResolverSpec } from '../../../shared/mx';
import { escapeAndTruncate } from '../../../shared/smtp/escape';
import { reverseName } from '../dns/reverse-name';

export interface ReverseDns {
  reverse(address: string): Promise<string[]>;
  addresses(name: string, family: 4 | 6): Promise<string[]>;
  cancel(): void;
}

const MAX_PTR_NAMES = 5;

function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEOUT' })), ms);
  });
  return Promise.race([p, guard]).finally(() => clearTimeout(timer));
}

export function createReverseDns(server: string | undefined, timeoutMs: number): ReverseDns {
  const r = new dns.Resolver({ timeout: Math.max(1, Math.floor(timeoutMs / 3)), tries: 2 });
  if (server) {
    const spec = parseResolverSpec(server);
    if (spec.ok) r.setServers([spec.value.server]);
  }
  return {
    // A PTR query proper: Resolver.reverse() would consult /etc/hosts first (c-ares gethostbyaddr).
    reverse: (address) => {
      const name = reverseName(address);
      return name ? withDeadline(r.resolvePtr(name), timeoutMs) : Promise.reject(Object.assign(new Error('not an address'), { code: 'EINVAL' }));
    },
    addresses: (name, family) => withDeadline(family === 4 ? r.resolve4(name) : r.resolve6(name), timeoutMs),
    cancel: () => r.cancel(),
  };
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
