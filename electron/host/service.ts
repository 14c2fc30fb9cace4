import type { HostInfo, RequestApi } from '../../shared/api';
import { createHostInfoMethods } from './host-info';
import { createMxMethods } from './mx-methods';
import { createProbeMethods, type ProbeMethodsDeps } from './probe-methods';
import type { SessionManager } from './session-methods';
import { createSessionMethods } from './session-methods';
import type { StoreMethods } from './store-methods';
import { createUnavailableStoreMethods } from './store-methods';

export interface ServiceDeps {
  host: HostInfo['host'];
  version: string;
  /** `host[:port]` used when a request names no resolver (web mode `--dns`, Electron `MXDESK_DNS`). */
  defaultResolver?: string;
  /** Absent until the SMTP engine is wired: the session methods then answer `not_implemented`. */
  sessionManager?: SessionManager;
  secretStorage?: HostInfo['secretStorage'];
  /** Replaces the MX methods (tests). */
  mxMethods?: Pick<RequestApi, 'lookupMx' | 'cancelLookup'>;
  /** Drafts, settings, profiles, history, exports: `createStoreMethods({ dataDir, secrets, journal })`. */
  store?: StoreMethods;
  /** Where MX health probe events go (the event push); without it probes still answer, silently. */
  probeEmit?: ProbeMethodsDeps['emit'];
}

/** The service both transports call: one object per area, composed. No transport knowledge in here. */
export function createService(deps: ServiceDeps): RequestApi {
  return {
    ...(deps.mxMethods ?? createMxMethods({ defaultResolver: deps.defaultResolver })),
    ...createProbeMethods({ defaultResolver: deps.defaultResolver, emit: deps.probeEmit }),
    ...createSessionMethods(deps.sessionManager),
    ...(deps.store ?? createUnavailableStoreMethods()),
    ...createHostInfoMethods({ host: deps.host, version: deps.version, secretStorage: deps.secretStorage }),
  };
}
