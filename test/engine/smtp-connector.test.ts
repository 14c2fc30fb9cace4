// Happy Eyeballs (RFC 8305) in the connector: IPv6 first, IPv4 after the stagger when IPv6 is a black hole,
// at once when IPv6 is refused; every attempt reported. The IPv6 black hole is a never-accepting listener on
// [::1] with a full accept queue (Linux then drops SYNs), made by a perl one-liner (IO::Socket::IP).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { SessionEventBody } from '../../shared/events';
import { createNetConnector, interleaveFamilies } from '../../electron/engine/connector';
import { defaultHeloName } from '../../electron/engine/run-session';

const V6_HOLE = `
use IO::Socket::IP;
my $s = IO::Socket::IP->new(Listen => 1, LocalHost => '::1', LocalPort => $ARGV[0], ReuseAddr => 1) or die "listen: $!\\n";
$| = 1; print "ready\\n";
<STDIN>;
`;

describe('the connector', () => {
  let v4: Server;
  let port = 0;
  let hole: ChildProcess | undefined;
  const fillers: Socket[] = [];
  const accepted = new Set<Socket>();

  before(async () => {
    v4 = createServer((s) => {
      accepted.add(s);
      s.on('close', () => accepted.delete(s));
    });
    await new Promise<void>((r) => v4.listen(0, '127.0.0.1', r));
    const a = v4.address();
    port = typeof a === 'object' && a ? a.port : 0;
  });
  after(async () => {
    for (const s of [...fillers, ...accepted]) s.destroy();
    if (hole && hole.exitCode === null) {
      const exited = new Promise((r) => hole!.once('exit', r));
      hole.kill();
      await exited;
    }
    await new Promise<void>((r) => v4.close(() => r()));
  });

  test('interleaves families, IPv6 first (RFC 8305 §4)', () => {
    const order = interleaveFamilies([
      { address: '192.0.2.1', family: 4 },
      { address: '192.0.2.2', family: 4 },
      { address: '2001:db8::1', family: 6 },
    ]);
    assert.deepEqual(
      order.map((a) => a.address),
      ['2001:db8::1', '192.0.2.1', '192.0.2.2'],
    );
  });

  test('a refused IPv6 address moves on to IPv4 at once, without waiting for the stagger', async () => {
    const events: SessionEventBody[] = [];
    const t0 = performance.now();
    // Nothing listens on [::1]:port, so IPv6 is refused.
    const r = await createNetConnector().connect({ host: 'dual.test', addresses: [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }], port, timeoutMs: 2000, staggerMs: 1500, onEvent: (e) => events.push(e) });
    const took = performance.now() - t0;
    assert.ok(r.ok);
    r.connection.socket.destroy();
    assert.equal(r.connection.family, 4);
    assert.ok(took < 1000, `IPv4 started on the IPv6 failure, not after the stagger (${Math.round(took)} ms)`);
    const attempts = events.filter((e) => e.kind === 'connect_attempt');
    assert.deepEqual(
      attempts.map((e) => (e.kind === 'connect_attempt' ? e.address : '')),
      ['::1', '127.0.0.1'],
    );
    const failed = events.find((e) => e.kind === 'connect_result' && !e.ok);
    assert.ok(failed?.kind === 'connect_result' && /refused/.test(failed.error ?? '') && failed.next === 'trying 127.0.0.1 next');
  });

  test('a black-holed IPv6 address does not hold the connection: IPv4 wins after the ~250 ms stagger', async () => {
    hole = spawn('perl', ['-e', V6_HOLE, String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      hole!.stdout?.once('data', () => resolve());
      hole!.once('exit', (c) => reject(new Error(`perl exited ${c}`)));
    });
    // Fill the accept queue so further SYNs to [::1]:port are dropped.
    for (let i = 0; i < 8; i++) {
      const s = connect({ host: '::1', port });
      s.on('error', () => undefined);
      fillers.push(s);
      const ok = await new Promise<boolean>((r) => {
        const t = setTimeout(() => r(false), 300);
        s.once('connect', () => (clearTimeout(t), r(true)));
      });
      if (!ok) break;
    }
    const events: SessionEventBody[] = [];
    const t0 = performance.now();
    const r = await createNetConnector().connect({ host: 'dual.test', addresses: [{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }], port, timeoutMs: 5000, onEvent: (e) => events.push(e) });
    const took = performance.now() - t0;
    assert.ok(r.ok);
    r.connection.socket.destroy();
    assert.equal(r.connection.address, '127.0.0.1');
    assert.ok(took >= 240 && took < 2000, `IPv4 after the stagger, long before the 5 s connect deadline (${Math.round(took)} ms)`);
    assert.equal(events.filter((e) => e.kind === 'connect_attempt').length, 2);
  });

  test('the HELO name is the FQDN when the machine has one, else an address literal', () => {
    assert.equal(defaultHeloName('127.0.0.1', 'host.example.org'), 'host.example.org');
    assert.equal(defaultHeloName('192.0.2.7', 'vm'), '[192.0.2.7]');
    assert.equal(defaultHeloName('::1', 'vm'), '[IPv6:::1]');
    assert.equal(defaultHeloName('::ffff:10.0.0.1', 'localhost'), '[10.0.0.1]');
  });

  test('an IPv6 HELO literal never carries a zone id (RFC 5321 §4.1.3 IPv6-addr)', () => {
    assert.equal(defaultHeloName('fe80::1%eth0', 'vm'), '[IPv6:fe80::1]');
  });
});
