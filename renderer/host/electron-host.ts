import type { MxDeskApi } from '../../shared/api';

declare global {
  interface Window {
    /** Set by electron/preload.ts through contextBridge; absent in a plain browser (web mode). */
    mxdesk?: MxDeskApi;
  }
}

export function electronHost(): MxDeskApi | undefined {
  return typeof window !== 'undefined' ? window.mxdesk : undefined;
}
