/**
 * OpenDKIM's `opendkim-testmsg` as an independent verifier. It looks keys up through the system resolver,
 * so it runs in a fresh network and mount namespace (`unshare -m -n`): only a loopback interface exists
 * there, /etc/resolv.conf is bind-mounted to `nameserver 127.0.0.1`, and a dnsmasq on port 53 inside serves
 * the test keys. No query can leave the namespace, let alone reach a real DNS server.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyRecord {
  /** `selector._domainkey.domain` */
  name: string;
  /** The TXT text, e.g. `v=DKIM1; k=rsa; p=…`. */
  text: string;
}

/** Why opendkim-testmsg cannot run here, or undefined when it can. */
export function opendkimUnavailable(): string | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'opendkim-testmsg needs root here (a private network namespace for its DNS)';
  for (const bin of ['opendkim-testmsg', 'unshare', 'dnsmasq', 'ip']) {
    if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0) return `${bin} is not installed (apt-get install opendkim-tools util-linux dnsmasq-base iproute2)`;
  }
  const probe = spawnSync('unshare', ['-m', '-n', 'true'], { timeout: 5000 });
  if (probe.status !== 0) return `unshare -m -n is not permitted here: ${probe.stderr.toString().trim()}`;
  return undefined;
}

/** TXT data as dnsmasq wants it: quoted character-strings of at most 255 octets (RFC 1035 §3.3.14). */
function txtLine(r: KeyRecord): string {
  const chunks = r.text.match(/.{1,200}/g) ?? [''];
  return `txt-record=${r.name},${chunks.map((c) => `"${c}"`).join(',')}`;
}

/** Verifies `message` (a maildir file); resolves with the exit code (0: every signature good) and stderr. */
export function opendkimVerify(message: Buffer, keys: KeyRecord[], timeoutMs = 15_000): Promise<{ code: number | null; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'mxdesk-opendkim-'));
  writeFileSync(join(dir, 'msg.eml'), message);
  writeFileSync(join(dir, 'resolv.conf'), 'nameserver 127.0.0.1\n');
  writeFileSync(
    join(dir, 'dnsmasq.conf'),
    ['port=53', 'listen-address=127.0.0.1', 'bind-interfaces', 'no-resolv', 'no-hosts', 'no-poll', 'local=/test/', `pid-file=${join(dir, 'dnsmasq.pid')}`, ...keys.map(txtLine)].join('\n') + '\n',
  );
  const script = [
    'set -e',
    'ip link set lo up',
    `mount --bind ${dir}/resolv.conf /etc/resolv.conf`,
    `dnsmasq --conf-file=${dir}/dnsmasq.conf`,
    'set +e',
    `opendkim-testmsg -t ${dir} < ${dir}/msg.eml`,
    'rc=$?',
    `kill "$(cat ${dir}/dnsmasq.pid)"`,
    'exit $rc',
  ].join('\n');
  return new Promise((resolve) => {
    const child = spawn('unshare', ['-m', '-n', 'sh', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, stderr: stderr.trim() });
    });
  });
}
