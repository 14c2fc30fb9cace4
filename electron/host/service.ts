import type { HostInfo, RequestApi } from '../../shared/api';
import { createAnalyseMethods } from './analyse-methods';
import { createHostInfoMethods } from './host-info';
import { createMxMethods } from './mx-methods';
import { createPolicyMethods } from './policy-methods';
import { createProbeMemory, rememberingProbes } from './policy-probe-memory';
import { createProbeMethods, type ProbeMethodsDeps } from './probe-methods';
import type { SessionManager } from './session-methods';
import { createSessionMethods } from './session-methods';
import { createSenderMethods } from './sender-methods';
import type { DkimKeyStore } from './dkim-keys';
import { withDkimPreview } from './dkim-preview';
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
  /** Saved DKIM keys (electron/host/dkim-keys.ts); without it saveDkimKey answers not_implemented. */
  dkimKeys?: DkimKeyStore;
}

/** The service both transports call: one object per area, composed. No transport knowledge in here. */
export function createService(deps: ServiceDeps): RequestApi {
  // What health checks saw of each MX's certificate, for the policy check (no second connection).
  const probeMemory = createProbeMemory(Date.now, deps.defaultResolver);
  return {
    ...(deps.mxMethods ?? createMxMethods({ defaultResolver: deps.defaultResolver })),
    ...rememberingProbes(createProbeMethods({ defaultResolver: deps.defaultResolver, emit: deps.probeEmit }), probeMemory),
    ...createPolicyMethods({ defaultResolver: deps.defaultResolver, memory: probeMemory }),
    ...createAnalyseMethods({ defaultResolver: deps.defaultResolver }),
    ...createSenderMethods({ defaultResolver: deps.defaultResolver, dkimKeys: deps.dkimKeys }),
    ...withPreview(createSessionMethods(deps.sessionManager), deps.dkimKeys),
    ...(deps.store ?? createUnavailableStoreMethods()),
    ...createHostInfoMethods({ host: deps.host, version: deps.version, secretStorage: deps.secretStorage }),
  };
}

/** The session methods with a preview that can show the DKIM-signed message (dkim-preview.ts). */
function withPreview<T extends Pick<RequestApi, 'previewMessage'>>(methods: T, keys: DkimKeyStore | undefined): T {
  return { ...methods, previewMessage: withDkimPreview(methods.previewMessage, keys) };
}
