/**
 * Where the MTA-STS policy server is reached, from the environment. Real use needs nothing: port 443 and
 * Node's roots. Tests (and a private deployment) set `MXDESK_MTA_STS_PORT` to reach a policy server on
 * another port, and `MXDESK_MTA_STS_CA_FILE` to trust a private CA beside the usual roots.
 */
import { readFileSync } from 'node:fs';
import type { StsFetchOptions } from './mta-sts-fetch';

export function stsOptionsFromEnv(env: Record<string, string | undefined> = process.env, extraCa: string[] = []): StsFetchOptions {
  const opts: StsFetchOptions = {};
  const port = env.MXDESK_MTA_STS_PORT;
  if (port && /^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535) opts.port = Number(port);
  const ca = [...extraCa];
  if (env.MXDESK_MTA_STS_CA_FILE) {
    try {
      ca.push(readFileSync(env.MXDESK_MTA_STS_CA_FILE, 'utf8'));
    } catch {
      // An unreadable file adds no CA; the fetch then fails with the certificate error, which says why.
    }
  }
  if (ca.length > 0) opts.ca = ca;
  return opts;
}
