import type { EventListener, MxDeskApi, RequestApi, RequestMethod } from '../../shared/api';
import type { SessionEvent } from '../../shared/events';
import type { Result } from '../../shared/result';
import { REQUEST_METHODS } from '../../shared/ipc';
import { fail } from '../../shared/result';

/**
 * MxDeskApi over web mode's loopback WebSocket. Page → host `{ id, method, arg }`; host → page
 * `{ id, result }` or `{ type: 'events', events }`. No reconnect: when the socket closes, pending and
 * later requests resolve with a `host_disconnected` failure the UI can show as it is.
 */
const DISCONNECTED = 'The connection to the MX Desk web host closed. Restart `npm run web` and open the new address it prints.';

type Pending = (result: Result<unknown>) => void;

export function createWebHost(url: string): Promise<MxDeskApi> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const pending = new Map<number, Pending>();
    const listeners = new Set<EventListener>();
    let nextId = 1;
    let closed = false;
    let opened = false;

    ws.addEventListener('message', (ev: MessageEvent) => {
      if (typeof ev.data !== 'string') return;
      let msg: { id?: unknown; result?: Result<unknown>; type?: unknown; events?: SessionEvent[] };
      try {
        msg = JSON.parse(ev.data);
      } catch {
        return;
      }
      if (msg.type === 'events' && Array.isArray(msg.events)) {
        for (const l of listeners) l(msg.events);
        return;
      }
      if (typeof msg.id === 'number' && msg.result) {
        pending.get(msg.id)?.(msg.result);
        pending.delete(msg.id);
      }
    });
    ws.addEventListener('close', () => {
      closed = true;
      for (const done of pending.values()) done(fail('host_disconnected', DISCONNECTED));
      pending.clear();
      if (!opened) reject(new Error('Could not connect to the MX Desk web host: the address or its token is wrong, or the host has stopped.'));
    });
    ws.addEventListener('open', () => {
      opened = true;
      resolve(api);
    });

    function call(method: RequestMethod, arg: unknown): Promise<Result<unknown>> {
      if (closed || ws.readyState !== WebSocket.OPEN) return Promise.resolve(fail('host_disconnected', DISCONNECTED));
      const id = nextId++;
      return new Promise((done) => {
        pending.set(id, done);
        ws.send(JSON.stringify({ id, method, arg }));
      });
    }

    // One function per API method (REQUEST_METHODS is typed to cover all of RequestApi); `call` carries JSON.
    const requests = Object.fromEntries(
      REQUEST_METHODS.map((method) => [method, (arg: unknown) => call(method, arg)]),
    ) as unknown as RequestApi;
    const api: MxDeskApi = {
      ...requests,
      onSessionEvents(listener) {
        listeners.add(listener);
        return () => {
          listeners.delete(listener);
        };
      },
    };
  });
}
