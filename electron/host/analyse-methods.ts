import type { RequestApi } from '../../shared/api';
import { ok } from '../../shared/result';
import { analyseMessage, type AnalyseDeps } from '../engine/analyse/analyse-message';

/**
 * The message analyser (issue 10): a pasted message, header section or bounce is analysed here, in the main
 * process, never in the renderer; the page only shows the answer. The validator caps the text at 16 MiB.
 */
export function createAnalyseMethods(deps: AnalyseDeps): Pick<RequestApi, 'analyzeMessage'> {
  return {
    async analyzeMessage(req) {
      return ok(await analyseMessage(req, deps));
    },
  };
}
