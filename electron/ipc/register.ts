import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { ipcMain } from 'electron';
import type { RequestApi } from '../../shared/api';
import type { SessionEvent } from '../../shared/events';
import { EVENT_CHANNEL, REQUEST_CHANNELS, REQUEST_METHODS } from '../../shared/ipc';
import type { Result } from '../../shared/result';
import { fail } from '../../shared/result';
import { dispatchRequest } from '../host/dispatch';
import { isTrustedSender } from '../security';

/** The subset of ipcMain this file uses; tests pass a recorder. */
export interface IpcHandleTarget {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, payload: unknown) => Promise<Result<unknown>>): void;
  removeHandler(channel: string): void;
}

/**
 * The only place that touches ipcMain. Every channel runs the same wrapper: trusted-sender check, then
 * the shared dispatch (REQUEST_VALIDATORS, then the service). Returns a function removing the handlers.
 */
export function registerIpc(
  service: RequestApi,
  opts: { ipc?: IpcHandleTarget; isTrusted?: (e: IpcMainInvokeEvent) => boolean } = {},
): () => void {
  const ipc = opts.ipc ?? ipcMain;
  const trusted = opts.isTrusted ?? isTrustedSender;
  for (const method of REQUEST_METHODS) {
    ipc.handle(REQUEST_CHANNELS[method], async (event, payload) => {
      if (!trusted(event)) return fail('untrusted_sender', 'This request did not come from the MX Desk window.');
      return dispatchRequest(service, method, payload);
    });
  }
  return () => {
    for (const method of REQUEST_METHODS) ipc.removeHandler(REQUEST_CHANNELS[method]);
  };
}

/** The push side: one batched message of events to a window, if it still exists. */
export function pushEvents(contents: WebContents, events: SessionEvent[]): void {
  if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, events);
}
