// A DNSSEC lab for tests: nsd serves a private signed root and three zones under .test (signed, signed with
// broken signatures, unsigned), unbound validates them with the root's DS as its only trust anchor, and a
// dnsmasq forwards the same zones without validating. Everything on 127.0.0.1 and free ports; nothing is
// ever sent off this machine (stub zones only, no root hints).
//
//   const lab = await startDnssecLab();          // or startDnssecLab({ extra: { secure: ['mx2 A 127.0.0.2'] } })
//   if (!lab.ok) return t.skip(lab.why);         // lab.missing: a binary is not installed (a printed skip)
//   lab.resolver      // '127.0.0.1:PORT': validating unbound
//   lab.nonValidating // '127.0.0.1:PORT': dnsmasq, never sets AD
//   lab.zones.secure  // 'secure.test'; bogus.test, unsigned.test
//   lab.cert          // the certificate whose `3 1 1` TLSA is at _25._tcp.mx.<zone> in every zone
//   await lab.stop();
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { makeCert, type TestCert } from './certs';
import { startDnsmasq, type Dnsmasq } from './dnsmasq';
import { LAB_ZONES, tlsa311, writeLabZone, writeLabZones, type LabZone, type LabZoneOptions } from './dnssec-zones';

export { LAB_ZONES, tlsa311, type LabZone } from './dnssec-zones';

export interface DnssecLabOptions {
  /** Extra zone-file lines per zone, relative to its origin (`'_25._tcp.mx2 TLSA 3 1 1 00ff…'`). */
  extra?: LabZoneOptions['extra'];
  /** TLSA data for `_25._tcp.mx.<zone>` (default: `3 1 1` of `cert`). */
  tlsa?: string;
  /** RR types whose signatures are broken in bogus.test (default MX, A, AAAA, TXT, TLSA). */
  brokenTypes?: readonly string[];
  /** Also start the non-validating dnsmasq (default true). */
  nonValidating?: boolean;
}

export interface DnssecLab {
  ok: true;
  /** `127.0.0.1:PORT` of the validating unbound. */
  resolver: string;
  /** `127.0.0.1:PORT` of a dnsmasq that forwards the same zones and does not validate. */
  nonValidating: string;
  /** `127.0.0.1:PORT` of nsd itself (authoritative, no AD). */
  authoritative: string;
  zones: typeof LAB_ZONES;
  /** Self-signed certificate (and key) for mx.secure.test; its `3 1 1` TLSA sits in every zone. */
  cert: TestCert;
  tlsa: string;
  /**
   * Replaces the extra lines of one zone (the base records stay), signs it again, has nsd load it and
   * unbound forget what it cached under it. Resolves once nsd serves the new version.
   */
  setExtra(zone: LabZone, lines: string[]): Promise<void>;
  stop(): Promise<void>;
}

/** `missing` is true when a binary is not installed (skip the tests); false when the lab failed (fail them). */
export type DnssecLabResult = DnssecLab | { ok: false; why: string; missing: boolean };

const BINARIES = ['nsd', 'unbound', 'ldns-keygen', 'ldns-signzone', 'dnsmasq'];

/** Why the lab cannot run here, or undefined when every binary is installed. */
export function dnssecLabMissing(): string | undefined {
  const missing = BINARIES.filter((b) => spawnSync('sh', ['-c', `command -v ${b} || test -x /usr/sbin/${b}`]).status !== 0);
  return missing.length ? `DNSSEC lab skipped: ${missing.join(', ')} not installed (apt-get install nsd unbound ldnsutils dnsmasq-base)` : undefined;
}

async function freeUdpTcpPort(): Promise<number> {
  for (;;) {
    const tcp = createServer();
    await new Promise<void>((resolve, reject) => tcp.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
    const a = tcp.address();
    const port = typeof a === 'object' && a ? a.port : 0;
    const udp = createSocket('udp4');
    const free = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, '127.0.0.1', () => resolve(true));
    });
    if (free) await new Promise<void>((resolve) => udp.close(() => resolve()));
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
    if (free) return port;
  }
}

/** Resolves once `port` answers `name SOA` (any rcode), or rejects after `ms`. */
async function answering(port: number, name: string, ms: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = performance.now() + ms;
  const socket = createSocket('udp4');
  try {
    while (performance.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}): ${log().trim().slice(-600)}`);
      const got = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => done(false), 150);
        const done = (v: boolean) => {
          clearTimeout(timer);
          socket.removeAllListeners('message');
          resolve(v);
        };
        socket.on('message', () => done(true));
        socket.send(dnsPacket.encode({ type: 'query', id: 1, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'SOA', name }] }), port, '127.0.0.1');
      });
      if (got) return;
    }
    throw new Error(`no answer on port ${port} within ${ms} ms: ${log().trim().slice(-600)}`);
  } finally {
    socket.close();
  }
}

function daemon(cmd: string, args: string[]): { child: ChildProcess; log: () => string } {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const keep = (b: Buffer) => (text = (text + b.toString()).slice(-8000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (e) => keep(Buffer.from(String(e))));
  return { child, log: () => text };
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}

function nsdConf(dir: string, port: number, files: Record<string, string>): string {
  const zones = Object.entries(files).flatMap(([name, file]) => ['zone:', `  name: "${name === '.' ? '.' : `${name}.`}"`, `  zonefile: "${join(dir, file)}"`]);
  return [
    'server:',
    '  server-count: 1',
    '  ip-address: 127.0.0.1',
    `  port: ${port}`,
    '  do-ip6: no',
    '  username: ""',
    '  chroot: ""',
    `  zonesdir: "${dir}"`,
    '  database: ""',
    `  zonelistfile: "${join(dir, 'zone.list')}"`,
    `  xfrdfile: "${join(dir, 'xfrd.state')}"`,
    `  xfrdir: "${dir}"`,
    `  pidfile: "${join(dir, 'nsd.pid')}"`,
    `  logfile: "${join(dir, 'nsd.log')}"`,
    '  verbosity: 1',
    'remote-control:',
    '  control-enable: no',
    ...zones,
    '',
  ].join('\n');
}

function unboundConf(dir: string, port: number, nsdPort: number): string {
  const stub = (name: string) => ['stub-zone:', `  name: "${name}"`, `  stub-addr: 127.0.0.1@${nsdPort}`, '  stub-prime: no'];
  return [
    'server:',
    '  interface: 127.0.0.1',
    `  port: ${port}`,
    '  do-ip6: no',
    '  do-daemonize: no',
    '  username: ""',
    '  chroot: ""',
    `  directory: "${dir}"`,
    '  pidfile: ""',
    '  use-syslog: no',
    '  logfile: ""',
    '  verbosity: 1',
    '  num-threads: 1',
    '  so-reuseport: no',
    '  outgoing-range: 64',
    '  num-queries-per-thread: 32',
    '  access-control: 127.0.0.0/8 allow',
    // The lab's servers are on loopback, which unbound refuses to query unless told (unbound.conf(5)).
    '  do-not-query-localhost: no',
    // RFC 6761 makes .test a special-use name; unbound serves it empty unless this is switched off.
    '  local-zone: "test." nodefault',
    `  trust-anchor-file: "${join(dir, 'root.ds')}"`,
    '  module-config: "validator iterator"',
    '  val-log-level: 1',
    '  qname-minimisation: no',
    '  aggressive-nsec: no',
    'remote-control:',
    '  control-enable: yes',
    `  control-interface: "${join(dir, 'unbound.ctl')}"`,
    '  control-use-cert: no',
    ...stub('.'),
    ...Object.values(LAB_ZONES).flatMap((z) => stub(`${z}.`)),
    '',
  ].join('\n');
}

/**
 * Starts nsd, unbound and (unless told not to) a non-validating dnsmasq. One lab per test file is plenty.
 * A start that fails (a port taken between picking and binding it, a loaded machine) is tried again twice.
 */
export async function startDnssecLab(opts: DnssecLabOptions = {}): Promise<DnssecLabResult> {
  const missing = dnssecLabMissing();
  if (missing) return { ok: false, why: missing, missing: true };
  let last: DnssecLabResult = { ok: false, why: 'not started', missing: false };
  for (let attempt = 0; attempt < 3 && !last.ok; attempt++) last = await startOnce(opts);
  return last;
}

async function startOnce(opts: DnssecLabOptions): Promise<DnssecLabResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mxdesk-dnssec-'));
  const cert = makeCert('self-signed', `mx.${LAB_ZONES.secure}`);
  const tlsa = opts.tlsa ?? tlsa311(cert.cert);
  let nsd: ReturnType<typeof daemon> | undefined;
  let unbound: ReturnType<typeof daemon> | undefined;
  let dnsmasq: Dnsmasq | undefined;
  const stop = async () => {
    await dnsmasq?.stop();
    await stopChild(unbound?.child);
    await stopChild(nsd?.child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const zoneFiles = writeLabZones(dir, { tlsa, extra: opts.extra, brokenTypes: opts.brokenTypes });
    writeFileSync(join(dir, 'root.ds'), `${zoneFiles.anchor}\n`);
    const nsdPort = await freeUdpTcpPort();
    writeFileSync(join(dir, 'nsd.conf'), nsdConf(dir, nsdPort, zoneFiles.files));
    nsd = daemon('nsd', ['-d', '-c', join(dir, 'nsd.conf')]);
    const nsdLog = nsd.log;
    await answering(nsdPort, `${LAB_ZONES.secure}.`, 10_000, nsd.child, () => `${nsdLog()} ${safeRead(join(dir, 'nsd.log'))}`);
    const port = await freeUdpTcpPort();
    writeFileSync(join(dir, 'unbound.conf'), unboundConf(dir, port, nsdPort));
    unbound = daemon('unbound', ['-d', '-c', join(dir, 'unbound.conf')]);
    await answering(port, `${LAB_ZONES.secure}.`, 10_000, unbound.child, unbound.log);
    if (opts.nonValidating !== false) {
      dnsmasq = await startDnsmasq([...Object.values(LAB_ZONES).map((z) => `server=/${z}/127.0.0.1#${nsdPort}`), `server=/./127.0.0.1#${nsdPort}`]);
    }
    const extra: LabZoneOptions['extra'] = { ...opts.extra };
    let serial = 1;
    const nsdChild = nsd.child;
    const setExtra = async (zone: LabZone, lines: string[]): Promise<void> => {
      extra[zone] = lines;
      serial++;
      writeLabZone(dir, zone, { tlsa, extra, brokenTypes: opts.brokenTypes }, zoneFiles.keys[zone], serial);
      nsdChild.kill('SIGHUP'); // nsd(8): reload zone files whose mtime changed
      await soaSerial(nsdPort, `${LAB_ZONES[zone]}.`, serial, 5000);
      const flushed = spawnSync('unbound-control', ['-c', join(dir, 'unbound.conf'), 'flush_zone', `${LAB_ZONES[zone]}.`], { encoding: 'utf8' });
      if (flushed.status !== 0) throw new Error(`unbound-control flush_zone failed: ${flushed.stderr || flushed.stdout}`);
    };
    return {
      ok: true,
      setExtra,
      resolver: `127.0.0.1:${port}`,
      nonValidating: dnsmasq?.server ?? '',
      authoritative: `127.0.0.1:${nsdPort}`,
      zones: LAB_ZONES,
      cert,
      tlsa,
      stop,
    };
  } catch (error) {
    await stop();
    return { ok: false, why: `DNSSEC lab could not start: ${(error as Error).message}`, missing: false };
  }
}

/** Resolves once the server on `port` serves `zone` with SOA serial `serial`. */
async function soaSerial(port: number, zone: string, serial: number, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  const socket = createSocket('udp4');
  try {
    while (performance.now() < deadline) {
      const seen = await new Promise<number | undefined>((resolve) => {
        const timer = setTimeout(() => done(undefined), 150);
        const done = (v: number | undefined) => {
          clearTimeout(timer);
          socket.removeAllListeners('message');
          resolve(v);
        };
        socket.on('message', (m: Buffer) => {
          const soa = dnsPacket.decode(m).answers?.find((a) => a.type === 'SOA');
          done(soa && soa.type === 'SOA' ? soa.data.serial : undefined);
        });
        socket.send(dnsPacket.encode({ type: 'query', id: 2, questions: [{ type: 'SOA', name: zone }] }), port, '127.0.0.1');
      });
      if (seen === serial) return;
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    throw new Error(`nsd did not load serial ${serial} of ${zone} within ${ms} ms`);
  } finally {
    socket.close();
  }
}

function safeRead(path: string): string {
  try {
    return spawnSync('tail', ['-c', '600', path], { encoding: 'utf8' }).stdout ?? '';
  } catch {
    return '';
  }
}
