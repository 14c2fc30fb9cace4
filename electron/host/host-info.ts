import { hostname } from 'node:os';
import type { HostInfo, RequestApi } from '../../shared/api';
import { ok } from '../../shared/result';

export interface HostInfoDeps {
  host: HostInfo['host'];
  version: string;
  secretStorage?: HostInfo['secretStorage'];
  /** Injected for tests; defaults to os.hostname(). */
  hostname?: () => string;
}

/**
 * RFC 5321 §4.1.1.1: EHLO carries the client's fully qualified domain name, or an address literal when it
 * has none. A bare machine name ("laptop") is neither, so fall back to the loopback literal and let the
 * user type a better one.
 */
export function defaultHeloName(name: string): string {
  const n = name.trim().replace(/\.$/, '');
  const fqdn = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
  return fqdn.test(n) ? n.toLowerCase() : '[127.0.0.1]';
}

export function createHostInfoMethods(deps: HostInfoDeps): Pick<RequestApi, 'hostInfo'> {
  return {
    hostInfo: async () =>
      ok({
        host: deps.host,
        version: deps.version,
        defaultHeloName: defaultHeloName((deps.hostname ?? hostname)()),
        secretStorage: deps.secretStorage ?? 'none',
      }),
  };
}
