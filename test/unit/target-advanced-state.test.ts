// The target form's Advanced options (renderer/target/advanced-state.ts): the form's text becomes the
// request's transport, tlsOptions and protocol groups through the shared validators, with their messages
// by the right field; NOTIFY=NEVER is exclusive; History's Run again gets back what was sent.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { advancedCount, advancedFromRequest, advancedGroups, defaultAdvanced, toggleNotify } from '../../renderer/target/advanced-state';
import { advancedTargetErrors } from '../../renderer/target/advanced-errors';
import { applyPreset, defaultTarget, describeTarget, LMTP_SOCKET_DEFAULT, targetRequestParts } from '../../renderer/target/target-state';
import { formsFromRequest } from '../../renderer/history/run-again';
import { appliedProfile, profileToTarget } from '../../renderer/profiles/profile-target';
import { parseSessionRequest } from '../../shared/validate/session-request';
import { emptyDraft } from '../../shared/model';

describe('target form: Advanced options', () => {
  test('nothing set: no groups, no errors, and the request is unchanged', () => {
    const r = advancedGroups(defaultAdvanced());
    assert.deepEqual(r, { transport: undefined, tlsOptions: undefined, protocol: undefined, errors: {} });
    assert.equal('transport' in targetRequestParts(defaultTarget()), false);
    assert.equal(advancedCount(defaultAdvanced()), 0);
  });

  test('family, local address and port, TLS and DSN become the request groups main accepts', () => {
    const a = { ...defaultAdvanced(), family: '4' as const, localAddress: '127.0.0.2:2600', tlsName: 'MX.Example.Test', tlsMin: 'TLSv1.2' as const, notify: ['SUCCESS' as const], envid: 'run-1', lmtp: true };
    const r = advancedGroups(a);
    assert.deepEqual(r.errors, {});
    assert.deepEqual(r.transport, { family: 4, localAddress: '127.0.0.2', localPort: 2600 });
    assert.deepEqual(r.tlsOptions, { name: 'mx.example.test', minVersion: 'TLSv1.2' });
    assert.deepEqual(r.protocol, { lmtp: true, dsn: { notify: ['SUCCESS'], envid: 'run-1' } });
    assert.equal(advancedCount(a), 7);
    const req = { draft: { ...emptyDraft(), from: 'a@example.test', to: 'b@example.test' }, mode: 'auto' as const, ...targetRequestParts({ ...defaultTarget(), kind: 'host', host: '127.0.0.1', port: '25', advanced: a }) };
    const parsed = parseSessionRequest(req);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
    assert.deepEqual(parsed.value.transport, r.transport);
    assert.equal(describeTarget({ ...defaultTarget(), kind: 'host', host: '127.0.0.1', port: '24', advanced: a }, undefined), '127.0.0.1:24 (LMTP)');
  });

  test('`*:PORT` binds the port on any address; `[v6]:PORT` an IPv6 address', () => {
    assert.deepEqual(advancedGroups({ ...defaultAdvanced(), localAddress: '*:2601' }).transport, { localPort: 2601 });
    assert.deepEqual(advancedGroups({ ...defaultAdvanced(), localAddress: '[::1]:2602' }).transport, { localAddress: '::1', localPort: 2602 });
  });

  test('each refusal is the shared validator message, by its field', () => {
    const e = (over: Partial<ReturnType<typeof defaultAdvanced>>) => advancedGroups({ ...defaultAdvanced(), ...over }).errors;
    assert.match(e({ localAddress: 'mail.example.test' }).localAddress, /IPv4 or IPv6 address of this machine/);
    assert.match(e({ family: '6', localAddress: '127.0.0.1' }).localAddress, /forced to IPv6/);
    assert.match(e({ proxy: 'socks5://127.0.0.1' }).proxy, /needs a port/);
    assert.match(e({ proxySource: '192.0.2.1:4000' }).proxySource, /PROXY protocol version/);
    assert.match(e({ certFile: 'c.pem' }).keyFile, /both the certificate file and its key file/);
    assert.match(e({ tlsMin: 'TLSv1.3', tlsMax: 'TLSv1.2' }).tlsMax, /below the minimum/);
    assert.match(e({ ciphers: 'AES128 SHA' }).ciphers, /cipher names/);
    assert.match(e({ xclient: [{ name: 'ADDR', value: '1.2.3.4' }, { name: 'PORT', value: 'x' }] })['xclient.1'], /port number/);
    assert.match(e({ socketPath: '/run/x', family: '4' }).socketPath, /UNIX socket cannot be combined/);
    assert.match(advancedTargetErrors({ ...defaultTarget(), advanced: { ...defaultAdvanced(), socketPath: '/run/lmtp' } })['advanced.socketPath'], /A specific server/);
  });

  test('NOTIFY=NEVER is exclusive (RFC 3461 §4.1)', () => {
    assert.deepEqual(toggleNotify(['SUCCESS', 'DELAY'], 'NEVER', true), ['NEVER']);
    assert.deepEqual(toggleNotify(['NEVER'], 'FAILURE', true), ['FAILURE']);
    assert.deepEqual(toggleNotify(['DELAY'], 'SUCCESS', true), ['SUCCESS', 'DELAY']);
    assert.deepEqual(toggleNotify(['SUCCESS', 'DELAY'], 'SUCCESS', false), ['DELAY']);
  });

  test('Run again restores every option as it was sent', () => {
    const a = { ...defaultAdvanced(), family: '6' as const, localAddress: '[::1]:2603', proxy: 'socks5h://ann@127.0.0.1:1080', tlsName: 'mx.example.test', caFile: '/tmp/ca.pem', certFile: '/tmp/c.pem', keyFile: '/tmp/k.pem', tlsMax: 'TLSv1.3' as const, ciphers: 'HIGH:!aNULL', notify: ['NEVER' as const], ret: 'HDRS' as const, orcpt: true, requireTls: true, xclient: [{ name: 'NAME' as const, value: 'client.example.test' }] };
    const parts = targetRequestParts({ ...defaultTarget(), kind: 'host', host: 'localhost', port: '25', advanced: { ...a, localAddress: '', family: 'auto' } });
    const back = formsFromRequest({ draft: emptyDraft(), mode: 'auto', ...parts }).target.advanced;
    assert.deepEqual(back, { ...a, localAddress: '', family: 'auto' });
    const bound = advancedFromRequest({ transport: { family: 6, localAddress: '::1', localPort: 2603 } });
    assert.deepEqual([bound.family, bound.localAddress], ['6', '[::1]:2603']);
  });
});

describe('target form: LMTP presets', () => {
  test('LMTP 24 and LMTP socket switch LMTP on (RFC 2033); the SMTP presets switch it and the socket off', () => {
    const tcp = applyPreset(defaultTarget(), 'lmtp-tcp');
    assert.deepEqual([tcp.kind, tcp.host, tcp.port, tcp.advanced.lmtp, tcp.advanced.socketPath, tcp.authEnabled], ['host', 'localhost', '24', true, '', false]);
    const sock = applyPreset(tcp, 'lmtp-socket');
    assert.deepEqual([sock.advanced.lmtp, sock.advanced.socketPath, sock.tls], [true, LMTP_SOCKET_DEFAULT, 'none']);
    assert.deepEqual(targetRequestParts(sock).protocol, { lmtp: true });
    assert.deepEqual(targetRequestParts(sock).transport, { socketPath: LMTP_SOCKET_DEFAULT });
    const sub = applyPreset(sock, 'submission');
    assert.deepEqual([sub.advanced.lmtp, sub.advanced.socketPath, sub.port], [false, '', '587']);
  });
});

describe('target form: a saved password never follows a UNIX socket', () => {
  test('with a socket path set, the profile the form was filled from no longer applies', () => {
    const p = { id: 'p1', name: 'Relay', host: 'smtp.example.test', port: 587, tls: 'starttls' as const, authUser: 'ann', authMechanism: 'auto' as const, updatedAt: '2026-01-01T00:00:00Z', passwordSaved: true };
    const t = profileToTarget(defaultTarget(), p);
    assert.equal(appliedProfile(t, [p])?.id, 'p1');
    assert.equal(appliedProfile({ ...t, advanced: { ...t.advanced, socketPath: '/tmp/other.sock' } }, [p]), undefined);
  });
});
