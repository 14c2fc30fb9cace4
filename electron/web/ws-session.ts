import type { WebSocket } from 'ws';
import type { RequestApi } from '../../shared/api';
import { fail } from '../../shared/result';
import { dispatchRequest } from '../host/dispatch';
import type { EventHub } from '../host/event-hub';

/**
 * One page's WebSocket. Page → host `{ id, method, arg }`; host → page `{ id, result }` for each request
 * and `{ type: 'events', events }` for batched session events (the hub's batcher keeps those ≤ 1 per ~16 ms).
 */
type Envelope = { id: string | number; method: unknown; arg: unknown };

function parseEnvelope(text: string): Envelope | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const r = v as Record<string, unknown>;
  const idOk = (typeof r.id === 'number' && Number.isSafeInteger(r.id)) || (typeof r.id === 'string' && r.id.length <= 64);
  return idOk ? { id: r.id as string | number, method: r.method, arg: r.arg } : null;
}

export function attachSocket(ws: WebSocket, service: RequestApi, events: EventHub): void {
  const reply = (payload: unknown): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload));
  };
  const unsubscribe = events.subscribe((batch) => reply({ type: 'events', events: batch }));
  ws.on('close', unsubscribe);
  ws.on('error', () => ws.terminate());
  ws.on('message', (data, isBinary) => {
    if (isBinary) return ws.close(1003, 'text frames only');
    const text = (Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
    const env = parseEnvelope(text);
    if (!env) return reply({ id: null, result: fail('invalid_input', 'Expected { id, method, arg } as JSON.') });
    void dispatchRequest(service, env.method, env.arg).then((result) => reply({ id: env.id, result }));
  });
}
