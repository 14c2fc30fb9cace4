// Session events reach a web-mode page as batched `{ type: 'events' }` pushes, in order, to every page.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import type { RequestApi } from '../../shared/api';
import type { SessionEvent } from '../../shared/events';
import { ok } from '../../shared/result';
import { createEventHub } from '../../electron/host/event-hub';
import type { WebServer } from '../../electron/web/web-server';
import { startWebServer } from '../../electron/web/web-server';

const hub = createEventHub();
const service = { hostInfo: async () => ok({ host: 'web', version: 't', defaultHeloName: 'x', secretStorage: 'none' }) } as unknown as RequestApi;
let server: WebServer;

before(async () => {
  server = await startWebServer({ service, events: hub, rendererRoot: resolve(__dirname, '..', '..', 'dist', 'renderer'), port: 0 });
});
after(async () => {
  hub.close();
  await server.close();
});

interface Page {
  ws: WebSocket;
  batches: SessionEvent[][];
  /** Resolves once `count` events arrived in total. */
  received(count: number): Promise<void>;
  request(msg: unknown): Promise<unknown>;
}

function connect(): Promise<Page> {
  return new Promise((res, rej) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, { origin: `http://127.0.0.1:${server.port}` });
    const batches: SessionEvent[][] = [];
    const waiters: { count: number; done: () => void }[] = [];
    const replies = new Map<unknown, (m: unknown) => void>();
    ws.on('message', (d: Buffer) => {
      const m = JSON.parse(d.toString('utf8'));
      if (m.type !== 'events') return replies.get(m.id)?.(m);
      batches.push(m.events);
      const total = batches.reduce((n, b) => n + b.length, 0);
      for (const w of waiters) if (total >= w.count) w.done();
    });
    const page: Page = {
      ws,
      batches,
      received: (count) => new Promise((done) => waiters.push({ count, done })),
      request: (msg) =>
        new Promise((done) => {
          replies.set((msg as { id: unknown }).id, done);
          ws.send(JSON.stringify(msg));
        }),
    };
    ws.once('open', () => res(page));
    ws.once('error', rej);
  });
}

test('a burst of session events arrives as one pushed batch, in order, on every connected page', async () => {
  const pages = [await connect(), await connect()];
  const arrived = Promise.all(pages.map((p) => p.received(200)));
  for (let seq = 0; seq < 200; seq++) hub.emit({ sessionId: 's1', seq, at: seq, kind: 'info', level: 'info', text: `line ${seq}` });
  await arrived;
  for (const p of pages) {
    // A round trip after the burst proves nothing else was still on its way.
    await p.request({ id: 1, method: 'hostInfo', arg: {} });
    assert.equal(p.batches.length, 1);
    assert.deepEqual(p.batches[0].map((e) => e.seq), [...Array(200).keys()]);
    p.ws.close();
  }
});

test('a closed page is unsubscribed: later events go only to the pages still open', async () => {
  const gone = await connect();
  const stays = await connect();
  const closed = new Promise((r) => gone.ws.once('close', r));
  gone.ws.close();
  await closed;
  const arrived = stays.received(1);
  hub.emit({ sessionId: 's2', seq: 0, at: 0, kind: 'info', level: 'info', text: 'after close' });
  await arrived;
  assert.equal(gone.batches.length, 0);
  stays.ws.close();
});
