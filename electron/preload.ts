import type { IpcRendererEvent } from 'electron';
import { contextBridge, ipcRenderer } from 'electron';
import type { EventListener, MxDeskApi, RequestApi, RequestMethod } from '../shared/api';
import type { SessionEvent } from '../shared/events';
import { EVENT_CHANNEL, REQUEST_CHANNELS } from '../shared/ipc';

// No logic here: one named function per API method, each a single invoke on its own channel (the channel
// map is typed to cover every RequestApi method). Main checks the sender and parses every payload.
// ipcRenderer itself is never exposed, only these closures.
const requests = Object.fromEntries(
  (Object.keys(REQUEST_CHANNELS) as RequestMethod[]).map((method) => {
    const channel = REQUEST_CHANNELS[method];
    return [method, (req: unknown) => ipcRenderer.invoke(channel, req)];
  }),
) as unknown as RequestApi;

const api: MxDeskApi = {
  ...requests,
  onSessionEvents(listener: EventListener) {
    const handler = (_event: IpcRendererEvent, events: SessionEvent[]): void => listener(events);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('mxdesk', api);
