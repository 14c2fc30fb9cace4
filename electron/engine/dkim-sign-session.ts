/**
 * DKIM for a session: finds the key (typed for this send, or saved earlier and looked up by main), signs the
 * message source, and reports the DKIM-Signature field as an info event (the field holds no secret; the
 * key never leaves this function).
 */
import type { SessionEventBody } from '../../shared/events';
import type { SessionRequest } from '../../shared/model';
import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';
import type { DkimRequest } from '../../shared/sender-auth/dkim-types';
import { signSource } from './dkim-sign';
import type { MessageSource } from './message';

/** Main side only: the key saved for this domain and selector, if any. */
export type DkimKeyLookup = (dkim: DkimRequest) => Promise<string | undefined>;

export async function dkimSignForSession(
  req: SessionRequest,
  source: MessageSource,
  lookupKey: DkimKeyLookup | undefined,
  emit: (e: SessionEventBody) => void,
): Promise<Result<MessageSource>> {
  if (!req.dkim) return ok(source);
  const key = req.dkim.privateKey ?? (await lookupKey?.(req.dkim));
  if (!key) return fail('dkim_key', `DKIM signing was asked for (d=${req.dkim.domain}, s=${req.dkim.selector}) but no private key was given or saved for it.`, { stage: 'dkim' });
  const signed = await signSource(source, req.dkim, key);
  if (!signed.ok) return signed;
  emit({ kind: 'info', level: 'info', stage: 'data', text: `DKIM-signed (RFC 6376, ${signed.value.algorithm}, d=${req.dkim.domain}, s=${req.dkim.selector}): ${signed.value.header.trim()}` });
  return ok(signed.value.source);
}
