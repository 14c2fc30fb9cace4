import type { DkimCheck, DkimReport } from '../../../shared/analyse/types';
import { shown } from '../../../shared/analyse/header-block';
import { createMailauthResolver, type CountingMailauthResolver, type MailauthResolver } from '../mailauth-resolver';
import type { DnsResolver } from '../resolver';

/** The part of mailauth's dkimVerify answer read here (mailauth 4.8.6 ships no types). */
interface MailauthDkimResult {
  signingDomain?: string;
  selector?: string;
  algo?: string;
  status?: { result?: string; comment?: string; policy?: Record<string, string> };
}
/** dkimVerify keeps the ARC chain it read on a non-enumerable `arc` property, which mailauth's arc() checks. */
type DkimVerify = (input: Buffer, options: { resolver: MailauthResolver; curTime?: Date }) => Promise<{ results?: MailauthDkimResult[]; arc?: { chain?: unknown[] | false } }>;
type ArcVerify = (data: unknown, options: { resolver: MailauthResolver }) => Promise<{ status?: { result?: string; comment?: string } }>;

// mailauth is CommonJS without type declarations; loading the one function by require keeps the types local.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { dkimVerify } = require('mailauth/lib/dkim/verify') as { dkimVerify: DkimVerify };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { arc: arcVerify } = require('mailauth/lib/arc') as { arc: ArcVerify };

async function verifyArc(data: { chain?: unknown[] | false } | undefined, resolver: CountingMailauthResolver): Promise<DkimReport['arc']> {
  if (!data || !Array.isArray(data.chain) || data.chain.length === 0) return undefined;
  const asked = resolver.queries.length;
  const r = await arcVerify(data, { resolver });
  const result = shown((r.status?.result ?? 'none').toLowerCase(), 20);
  // mailauth names a missing key only sometimes; the adapter saw every question, so say which one failed.
  const failedKey = resolver.queries.slice(asked).find((q) => q.code !== undefined && q.stat.name.includes('._domainkey.'));
  const comment = r.status?.comment ?? (failedKey ? `no key at ${failedKey.stat.name} (${failedKey.code})` : undefined);
  const reason = comment ? shown(comment, 200) : undefined;
  const explanation =
    result === 'pass'
      ? 'The ARC seals and the newest ARC-Message-Signature verify now: the chain is intact (RFC 8617 §5.2).'
      : `The ARC chain does not verify now${reason ? `: ${reason}` : ''}. Receivers ignore its results (RFC 8617 §5.2).`;
  return reason && result !== 'pass' ? { result, reason, explanation } : { result, explanation };
}

export interface DkimVerifyOptions {
  resolver: DnsResolver;
  /** Whole-check budget; the resolver is cancelled when it runs out. */
  timeoutMs: number;
  now?: Date;
}

const REASONS: [RegExp, string, string][] = [
  [/body hash/i, 'body hash mismatch', 'the body changed after signing (or the paste is not the exact original: a cut, changed line endings or trailing spaces).'],
  [/bad signature/i, 'bad signature', 'the signature does not match the signed headers: a signed header changed, or the key in DNS is not the one that signed.'],
  [/no key/i, 'key not found', 'there is no DKIM key at the selector in DNS: the key was removed or rotated, or the selector is wrong.'],
  [/^expired/i, 'expired', 'the signature’s x= expiry time has passed (RFC 6376 §3.5), so it no longer counts.'],
  [/invalid expiration/i, 'invalid expiration', 'the signature expires before it was made (x= before t=, RFC 6376 §3.5).'],
  [/unknown key version|unknown key type|invalid public key|missing key/i, 'key record broken', 'the DKIM key record in DNS cannot be used (RFC 6376 §3.6.1).'],
  [/DNS failure/i, 'DNS failure', 'the key could not be fetched now (a DNS error); try again later.'],
];

function describe(r: MailauthDkimResult): DkimCheck {
  const result = (r.status?.result ?? 'none').toLowerCase();
  const comment = r.status?.comment ?? '';
  const domain = shown(r.signingDomain ?? '?', 253);
  const selector = shown(r.selector ?? '?', 100);
  const check: DkimCheck = { domain, selector, result: shown(result, 20), explanation: '' };
  if (r.algo) check.algorithm = shown(r.algo, 40);
  const who = `The signature of ${domain} (selector ${selector})`;
  if (result === 'pass') {
    check.explanation = `${who} verifies now: the signed headers and the body are as signed, with the key in DNS today.`;
    return check;
  }
  if (result === 'policy' && r.status?.policy?.['dkim-rules'] === 'weak-key') {
    check.reason = 'weak key';
    check.explanation = `${who} uses a key shorter than 1024 bits, which verifiers refuse (RFC 8301 §3.2).`;
    return check;
  }
  if (result === 'none') {
    check.explanation = 'The message has no DKIM signature.';
    return check;
  }
  const known = REASONS.find(([re]) => re.test(comment));
  check.reason = known ? known[1] : comment ? shown(comment, 200) : undefined;
  check.explanation = `${who} does not verify now: ${known ? known[2] : comment ? shown(comment, 200) + '.' : 'no reason given.'}`;
  return check;
}

/**
 * Verifies every DKIM-Signature again now (RFC 6376 §6), with mailauth, asking DNS through MX Desk's resolver
 * (engineer D's adapter), bounded in questions and in time.
 */
export async function verifyDkim(message: string, options: DkimVerifyOptions): Promise<DkimReport> {
  const adapter = createMailauthResolver(options.resolver, { maxQueries: 20 });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
  });
  try {
    const run = dkimVerify(Buffer.from(message, 'utf8'), { resolver: adapter, curTime: options.now });
    const outcome = await Promise.race([run, deadline]);
    if (outcome === 'timeout') {
      options.resolver.cancel();
      run.catch(() => undefined);
      return { checks: [], note: `DKIM verification did not finish within ${options.timeoutMs} ms (DNS too slow); nothing is claimed.`, resolver: options.resolver.label };
    }
    const checks = (outcome.results ?? []).map(describe).filter((c) => c.result !== 'none');
    const arc = await verifyArc(outcome.arc, adapter).catch(() => undefined);
    const report: DkimReport = { checks, note: checks.length === 0 ? 'The message has no DKIM signature.' : undefined, resolver: options.resolver.label };
    if (arc) report.arc = arc;
    return report;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { checks: [], note: `DKIM verification failed: ${shown(why, 200)}.`, resolver: options.resolver.label };
  } finally {
    if (timer) clearTimeout(timer);
  }
}
