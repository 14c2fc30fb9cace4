import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import type { MxDeskApi } from '../shared/api';

// The renderer's only way to the host. Electron (preload over IPC) and web mode (loopback WebSocket) both
// hand an MxDeskApi to <ApiProvider>; components call useApi() and never see a channel name.
const ApiContext = createContext<MxDeskApi | null>(null);

export function ApiProvider({ api, children }: { api: MxDeskApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): MxDeskApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi() used outside <ApiProvider>');
  return api;
}
