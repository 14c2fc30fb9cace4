import type { IpcRendererEvent } from 'electron';
import { contextBridge, ipcRenderer } from 'electron';
import type { EventListener, MxDeskApi } from '../shared/api';
import type { SessionEvent } from '../shared/events';
import { EVENT_CHANNEL, REQUEST_CHANNELS as C } from '../shared/ipc';

// No logic here: one named function per API method, each a single invoke on its channel. Main parses and
// checks everything. ipcRenderer itself is never exposed, only these closures.
const api: MxDeskApi = {
  lookupMx: (req) => ipcRenderer.invoke(C.lookupMx, req),
  cancelLookup: (req) => ipcRenderer.invoke(C.cancelLookup, req),
  startSession: (req) => ipcRenderer.invoke(C.startSession, req),
  stepSession: (req) => ipcRenderer.invoke(C.stepSession, req),
  cancelSession: (req) => ipcRenderer.invoke(C.cancelSession, req),
  previewMessage: (req) => ipcRenderer.invoke(C.previewMessage, req),
  hostInfo: (req) => ipcRenderer.invoke(C.hostInfo, req),
  onSessionEvents(listener: EventListener) {
    const handler = (_event: IpcRendererEvent, events: SessionEvent[]): void => listener(events);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('mxdesk', api);
