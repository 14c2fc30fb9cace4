import { readFileSync } from 'node:fs';
import { parseResolverSpec } from '../../../shared/mx';
import type { ServerAddress } from './transport';

/** At most this many `nameserver` lines are used, as in glibc (MAXNS, resolv.conf(5)). */
const MAX_NAMESERVERS = 3;

/** The `nameserver` lines of a resolv.conf text, parsed; lines that are not an IP address are skipped. */
export function parseResolvConf(text: string): ServerAddress[] {
  const out: ServerAddress[] = [];
  for (const line of text.split(/\r?\n/).slice(0, 1000)) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (!m) continue;
    const host = m[1].replace(/%.*$/, ''); // a link-local zone id cannot be used by name here
    const spec = parseResolverSpec(host.includes(':') ? `[${host}]:53` : `${host}:53`);
    if (spec.ok) out.push({ host: spec.value.host, port: spec.value.port, family: spec.value.family });
    if (out.length >= MAX_NAMESERVERS) break;
  }
  return out;
}

/** The system's resolvers from /etc/resolv.conf; 127.0.0.1:53 when there is none (resolv.conf(5) default). */
export function systemServers(path = '/etc/resolv.conf'): ServerAddress[] {
  let text = '';
  try {
    text = readFileSync(path, 'utf8').slice(0, 64 * 1024);
  } catch {
    // no file: the default below
  }
  const found = parseResolvConf(text);
  return found.length > 0 ? found : [{ host: '127.0.0.1', port: 53, family: 4 }];
}

export function serverLabel(s: ServerAddress): string {
  return s.family === 6 ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`;
}
