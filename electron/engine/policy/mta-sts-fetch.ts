/**
 * Fetch an MTA-STS policy over HTTPS (RFC 8461 §3.3): https://mta-sts.<domain>/.well-known/mta-sts.txt,
 * certificate verified for that name, no redirects, size capped, time bounded. For tests, `connectTo` maps
 * the policy host to a loopback host:port; the real name is still used for SNI and verification.
 */
import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import { fail, ok, type Result } from '../../../shared/result';
import { MAX_POLICY_BYTES, parseStsPolicy, type StsPolicy } from '../../../shared/mta-sts';

export interface StsFetchOptions {
  /** Policy host name → "host:port" to actually connect to (tests). */
  connectTo?: Record<string, string>;
  /** Extra trusted CA certificates (PEM), added to Node's own roots (a private CA, or the tests'). */
  ca?: string[];
  /** Port of the policy server when it is found through DNS (443; a test server's port in tests). */
  port?: number;
  timeoutMs?: number;
}

export interface FetchedPolicy {
  url: string;
  policy: StsPolicy;
}

export function fetchStsPolicy(domain: string, opts: StsFetchOptions = {}): Promise<Result<FetchedPolicy>> {
  const host = `mta-sts.${domain.replace(/\.$/, '').toLowerCase()}`;
  const url = `https://${host}/.well-known/mta-sts.txt`;
  const stage = 'mta-sts fetch';
  const target = opts.connectTo?.[host];
  const [connectHost, connectPort] = target ? [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))] : [host, 443];
  return new Promise((resolve) => {
    let done = false;
    const timeoutMs = opts.timeoutMs ?? 10_000;
    // One absolute deadline for the whole fetch: an idle timer alone lets a server that drips a byte at a
    // time hold the check open for ever.
    const deadline = setTimeout(() => {
      finish(fail('mta_sts_timeout', `MTA-STS: ${url} did not send the whole policy within ${timeoutMs} ms.`, { stage }));
      req.destroy();
    }, timeoutMs);
    const finish = (r: Result<FetchedPolicy>): void => { if (!done) { done = true; clearTimeout(deadline); resolve(r); } };
    const req = request({
      host: connectHost, port: connectPort, path: '/.well-known/mta-sts.txt', method: 'GET',
      // servername: SNI and the certificate name check use the policy host, not the address we connect to.
      servername: host, headers: { host }, ca: opts.ca ? [...rootCertificates, ...opts.ca] : undefined, rejectUnauthorized: true, agent: false,
      timeout: timeoutMs,
    }, (res) => {
      // RFC 8461 §3.3: HTTP 3xx redirects must not be followed; only 200 counts.
      if (res.statusCode !== 200) {
        res.resume();
        finish(fail('mta_sts_http', `MTA-STS: ${url} answered HTTP ${res.statusCode ?? '?'}; only 200 is accepted and redirects are not followed (RFC 8461 §3.3).`, { stage }));
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_POLICY_BYTES) {
          finish(fail('mta_sts_too_large', `MTA-STS: the policy at ${url} is larger than ${MAX_POLICY_BYTES} bytes and was refused.`, { stage }));
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        const parsed = parseStsPolicy(Buffer.concat(chunks).toString('utf8'));
        finish(parsed.ok ? ok({ url, policy: parsed.value }) : parsed);
      });
      res.on('error', (e) => finish(fail('mta_sts_fetch', `MTA-STS: reading ${url} failed: ${e.message}.`, { stage })));
    });
    req.on('timeout', () => { finish(fail('mta_sts_timeout', `MTA-STS: ${url} did not answer in time.`, { stage })); req.destroy(); });
    req.on('error', (e) => finish(fail('mta_sts_fetch', `MTA-STS: fetching ${url} failed: ${e.message} (the certificate must be valid for ${host}, RFC 8461 §3.3).`, { stage })));
    req.end();
  });
}
