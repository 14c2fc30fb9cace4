import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SessionEvent } from '../../shared/events';
import { ok } from '../../shared/result';
import { composeHost } from '../../electron/host/compose';
import { createMemorySecretStore, createWebSecretStore } from '../../electron/store/secrets';
import type { SessionManagerDeps } from '../../electron/engine/session-manager';
import type { SessionRequest } from '../../shared/model';
import type { SessionManager } from '../../electron/host/session-methods';
import { tempDirs } from '../support/temp-dirs';

const tempDir = tempDirs('mxdesk-compose-');

test('without a session manager, the session methods answer not_implemented instead of throwing', async () => {
  const host = composeHost({ host: 'web', version: 't', dataDir: tempDir(), secrets: createWebSecretStore() });
  const r = await host.service.cancelSession({ sessionId: 'x' });
  assert.deepEqual([r.ok, r.ok ? null : r.error.code], [false, 'not_implemented']);
  await host.close();
});

test('close ends running sessions first, so their last events still reach the page', async () => {
  let emit: (e: SessionEvent) => void = () => undefined;
  const manager: SessionManager = {
    start: () => ok({ sessionId: 's' }),
    step: () => ok(null),
    cancel: () => ok(null),
    preview: async () => ok({ wire: '', sizeBytes: 0, needs8bit: false, needsSmtpUtf8: false, truncated: false }),
    shutdown: async () => emit({ sessionId: 's', seq: 9, at: 1, kind: 'outcome', outcome: 'cancelled', stage: 'mail', reason: 'app quit', dotSent: false, durationMs: 1 }),
  };
  const host = composeHost({
    host: 'electron',
    version: 't',
    dataDir: tempDir(),
    secrets: createWebSecretStore(),
    createSessionManager: (deps) => ((emit = deps.emit), manager),
  });
  const seen: SessionEvent[] = [];
  host.events.subscribe((batch) => seen.push(...batch));
  assert.deepEqual(await host.service.startSession({} as never), ok({ sessionId: 's' }));
  await host.close();
  assert.deepEqual(seen.map((e) => e.kind), ['outcome']);
});

test('a saved password goes only to the host, port and user of its profile', async () => {
  let resolveSecret: SessionManagerDeps['resolveSecret'];
  const manager: SessionManager = { start: () => ok({ sessionId: 's' }), step: () => ok(null), cancel: () => ok(null), preview: async () => ok({ wire: '', sizeBytes: 0, needs8bit: false, needsSmtpUtf8: false, truncated: false }) };
  const host = composeHost({
    host: 'electron',
    version: 't',
    dataDir: tempDir(),
    secrets: createMemorySecretStore({ kind: 'session', reason: 'test' }),
    createSessionManager: (deps) => ((resolveSecret = deps.resolveSecret), manager),
  });
  const saved = await host.service.saveProfile({
    profile: { name: 'Relay', host: 'relay.example.test', port: 587, tls: 'starttls', authUser: 'ann', authMechanism: 'auto' },
    password: 'canary-pw',
  });
  assert.ok(saved.ok);
  const auth = { user: 'ann', profileId: saved.value.profile.id, mechanism: 'auto' as const };
  const to = (h: string, port: number) => ({ target: { kind: 'host', host: h, port } }) as SessionRequest;
  assert.equal(await resolveSecret?.(auth, to('RELAY.example.test', 587)), 'canary-pw');
  assert.equal(await resolveSecret?.(auth, to('evil.example.test', 587)), undefined, 'another host');
  assert.equal(await resolveSecret?.(auth, to('relay.example.test', 25)), undefined, 'another port');
  assert.equal(await resolveSecret?.({ ...auth, user: 'bob' }, to('relay.example.test', 587)), undefined, 'another user');
  assert.equal(await resolveSecret?.(auth, { target: { kind: 'mx' } } as SessionRequest), undefined, 'an MX target');
  assert.equal(await resolveSecret?.(auth, { ...to('relay.example.test', 587), transport: { socketPath: '/tmp/other.sock' } }), undefined, 'a UNIX socket instead');
  await host.close();
});
