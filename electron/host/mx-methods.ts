import type { RequestApi } from '../../shared/api';
import { ok } from '../../shared/result';
import type { MxLookupDeps } from '../engine/mx-lookup';
import { lookupMx } from '../engine/mx-lookup';

export interface MxMethodsDeps {
  /** `host[:port]` used when a request names no resolver (web mode's `--dns`). */
  defaultResolver?: string;
  createResolver?: MxLookupDeps['createResolver'];
  random?: () => number;
}

/**
 * The MX inspector's half of the service. A lookup with a lookupId can be cancelled by that id, and a new
 * lookup with the same id supersedes (aborts) the one still running, whose report then says `cancelled`.
 */
export function createMxMethods(deps: MxMethodsDeps): Pick<RequestApi, 'lookupMx' | 'cancelLookup'> {
  const running = new Map<string, AbortController>();
  return {
    async lookupMx(req) {
      const controller = new AbortController();
      const id = req.lookupId;
      if (id !== undefined) {
        running.get(id)?.abort();
        running.set(id, controller);
      }
      try {
        return await lookupMx(req, {
          signal: controller.signal,
          defaultResolver: deps.defaultResolver,
          createResolver: deps.createResolver,
          random: deps.random,
        });
      } finally {
        if (id !== undefined && running.get(id) === controller) running.delete(id);
      }
    },
    async cancelLookup(req) {
      // Cancelling a lookup that already ended (or never existed) is not an error: the user's intent holds.
      running.get(req.lookupId)?.abort();
      running.delete(req.lookupId);
      return ok(null);
    },
  };
}
