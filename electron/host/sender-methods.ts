/**
 * The sender half of "will it pass?" (issue 10): the sender domain check (SPF, DMARC) and saving a DKIM key.
 * Each check's DNS questions go through the chosen resolver; a new check with the same checkId replaces one
 * still running.
 */
import type { RequestApi } from '../../shared/api';
import { checkSender } from '../engine/sender-auth/sender-check';
import type { DkimKeyStore } from './dkim-keys';

export interface SenderMethodsDeps {
  defaultResolver?: string;
  dkimKeys?: DkimKeyStore;
}

export function createSenderMethods(deps: SenderMethodsDeps): Pick<RequestApi, 'checkSender' | 'saveDkimKey'> {
  let running: AbortController | undefined;
  return {
    async checkSender(req) {
      running?.abort();
      const controller = new AbortController();
      running = controller;
      try {
        return await checkSender(req, { defaultResolver: deps.defaultResolver, signal: controller.signal });
      } finally {
        if (running === controller) running = undefined;
      }
    },
    async saveDkimKey(req) {
      if (!deps.dkimKeys) return { ok: false, error: { code: 'not_implemented', message: 'Saving DKIM keys is not available here.' } };
      return deps.dkimKeys.save(req.domain, req.selector, req.privateKey);
    },
  };
}
