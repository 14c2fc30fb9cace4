/**
 * The message preview with DKIM: the same engine preview, with the source signed first, so the Preview tab
 * shows the DKIM-Signature field exactly as it will go on the wire. The key (typed for this preview, or the
 * saved one) stays in main; the preview holds only the signature.
 */
import type { RequestApi } from '../../shared/api';
import { fail } from '../../shared/result';
import { signSource } from '../engine/dkim-sign';
import { preview } from '../engine/message';
import type { DkimKeyStore } from './dkim-keys';

export function withDkimPreview(inner: RequestApi['previewMessage'], keys: DkimKeyStore | undefined): RequestApi['previewMessage'] {
  return async (req) => {
    const dkim = req.dkim;
    if (!dkim) return inner(req);
    const key = dkim.privateKey ?? (await keys?.get(dkim));
    if (!key) return fail('dkim_key', `No DKIM key for d=${dkim.domain}, s=${dkim.selector}: paste one or save it first.`, { field: 'dkim.privateKey', stage: 'dkim' });
    // One signing time for the preview; the send signs again at its own time (t= differs, nothing else).
    return preview(req.draft, undefined, async (src) => {
      const signed = await signSource(src, dkim, key);
      return signed.ok ? { ok: true, value: signed.value.source } : signed;
    });
  };
}
