// A private Postfix instance for engine tests: its own config, queue and maildir in a temp dir, on a random
// free loopback port. It never touches the system's mail setup except for one global line in
// /etc/postfix/main.cf (`alternate_config_directories`), which Postfix requires before it will start an
// instance from another directory; that line is edited under a file lock so that concurrent test runs
// don't lose each other's entries, and our entry is removed again on stop.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port';
import { makeSelfSignedCert, type SelfSigned } from './self-signed';

const run = promisify(execFile);

export interface PostfixOptions {
  tls?: boolean;
  /** With `tls`: use this certificate and key (PEM) instead of a fresh self-signed one (e.g. one signed by a test CA). */
  tlsCert?: { cert: string; key: string };
  /** Fixed port; default: a random free one. */
  port?: number;
  /** EHLO keywords the server must not offer, e.g. ['pipelining', 'chunking'] (smtpd_discard_ehlo_keywords). */
  discardEhloKeywords?: string[];
  /** message_size_limit in bytes (default 50 MiB). */
  messageSizeLimit?: number;
  /** Domains delivered to the sink maildir (default: example.test, fallback.test, blackhole.test). */
  domains?: string[];
  /** `smtpd_upstream_proxy_protocol = haproxy`: every connection must start with a PROXY v1/v2 header. */
  upstreamProxyProtocol?: boolean;
  /** `inet_protocols = all` (default ipv4): Postfix then also accepts an IPv6 client, e.g. one a PROXY header announces. */
  inetProtocolsAll?: boolean;
  /** `smtpd_authorized_xclient_hosts`: clients allowed to use XCLIENT (e.g. ['127.0.0.1']). */
  authorizedXclientHosts?: string[];
}

export interface PostfixInstance {
  port: number;
  /** The maildir that receives every message: `<tmp>/mail/sink`. */
  mailDir: string;
  certPem?: string;
  fingerprint256?: string;
  /** Delivered files (oldest first). Waits until at least `count` are there (default 1) or `timeoutMs` passes. */
  readDelivered(opts?: { count?: number; timeoutMs?: number }): Promise<Buffer[]>;
  /**
   * Removes delivered files so the next test starts from an empty maildir. Waits first (up to 5 s) for what
   * is still queued to land: Postfix delivers after the session has ended, and a message of the previous
   * test that landed after the clear would be counted by the next one.
   */
  clearDelivered(): Promise<void>;
  /** The instance's log (maillog_file), for failure messages. */
  readLog(): Promise<string>;
  stop(): Promise<void>;
}

const LOCK_FILE = '/tmp/mxdesk-postfix.lock';
const DIR_PREFIX = 'mxdesk-postfix-';

/** True when this machine can run a private Postfix (installed, and we are root as the recipe needs). */
export function postfixAvailable(): { ok: boolean; reason?: string } {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return { ok: false, reason: 'the private Postfix recipe needs root' };
  return { ok: true };
}

/** Adds or removes `dir` in alternate_config_directories, under an flock so concurrent runs serialise. */
async function editAlternateDirs(action: 'add' | 'remove', dir: string): Promise<void> {
  // Entries of ours whose directory is gone (a crashed run) are pruned; anything else is kept untouched.
  const script = `
set -e
cur=$(postconf -h alternate_config_directories | tr ', ' '\\n\\n' | grep -v '^$' || true)
new=$( { printf '%s\\n' "$cur"; if [ "$ACTION" = add ]; then printf '%s\\n' "$DIR"; fi; } | grep -v '^$' | awk '!seen[$0]++' |
  while read -r d; do
    if [ "$ACTION" = remove ] && [ "$d" = "$DIR" ]; then continue; fi
    case "$d" in *${DIR_PREFIX}*) [ -d "$d" ] || continue ;; esac
    echo "$d"
  done | paste -sd, - | sed 's/,/, /g')
postconf -e "alternate_config_directories = $new"
`;
  await run('flock', ['-w', '30', LOCK_FILE, 'sh', '-c', script], { env: { ...process.env, ACTION: action, DIR: dir } });
}

/** Resolves with the greeting line once something on the port speaks SMTP, or rejects after timeoutMs. */
async function waitForGreeting(port: number, timeoutMs: number, proxyHeader = ''): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const line = await new Promise<string | null>((resolve) => {
      const s = connect({ host: '127.0.0.1', port });
      if (proxyHeader) s.write(proxyHeader);
      let buf = '';
      const done = (v: string | null): void => {
        clearTimeout(timer);
        s.destroy();
        resolve(v);
      };
      const timer = setTimeout(() => done(null), 1000);
      s.on('data', (d) => {
        buf += d.toString('latin1');
        const i = buf.indexOf('\n');
        if (i >= 0) {
          s.end('QUIT\r\n');
          done(buf.slice(0, i).trim());
        }
      });
      s.on('error', () => done(null));
      s.on('close', () => done(null));
    });
    if (line && line.startsWith('220')) return line;
    if (Date.now() > until) throw new Error(`private Postfix did not greet on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startPostfix(opts: PostfixOptions = {}): Promise<PostfixInstance> {
  const avail = postfixAvailable();
  if (!avail.ok) throw new Error(`cannot start a private Postfix: ${avail.reason}`);
  const root = await mkdtemp(join(tmpdir(), DIR_PREFIX));
  // Postfix daemons run as `postfix`/`nobody` and must traverse the temp dir.
  await chmod(root, 0o755);
  const etc = join(root, 'etc');
  const mail = join(root, 'mail');
  for (const d of ['etc', 'queue', 'data', 'mail']) await mkdir(join(root, d), { recursive: true });
  const { stdout: pfUid } = await run('id', ['-u', 'postfix']);
  const { stdout: nbUid } = await run('id', ['-u', 'nobody']);
  const { stdout: nbGid } = await run('id', ['-g', 'nobody']);
  await chown(join(root, 'data'), Number(pfUid.trim()), -1);
  await chown(mail, Number(nbUid.trim()), -1);

  let cert: SelfSigned | undefined;
  if (opts.tls && opts.tlsCert) {
    await writeFile(join(root, 'cert.pem'), opts.tlsCert.cert);
    await writeFile(join(root, 'key.pem'), opts.tlsCert.key, { mode: 0o600 });
    const fingerprint256 = new X509Certificate(opts.tlsCert.cert).fingerprint256;
    cert = { certFile: join(root, 'cert.pem'), keyFile: join(root, 'key.pem'), pem: opts.tlsCert.cert, keyPem: opts.tlsCert.key, fingerprint256 };
  } else if (opts.tls) cert = await makeSelfSignedCert(root);

  const mainCf = [
    'compatibility_level = 3.6',
    `queue_directory = ${join(root, 'queue')}`,
    `data_directory = ${join(root, 'data')}`,
    'inet_interfaces = 127.0.0.1',
    `inet_protocols = ${opts.inetProtocolsAll ? 'all' : 'ipv4'}`,
    'myhostname = mx.example.test',
    'mydestination = localhost',
    `multi_instance_name = postfix-test-${root.slice(-6)}`,
    `maillog_file = ${join(root, 'postfix.log')}`,
    'maillog_file_prefixes = /var, /dev/stdout, /tmp',
    'mailbox_size_limit = 0',
    'virtual_mailbox_limit = 0',
    `message_size_limit = ${opts.messageSizeLimit ?? 52428800}`,
    `virtual_mailbox_domains = ${(opts.domains ?? ['example.test', 'fallback.test', 'blackhole.test']).join(', ')}`,
    `virtual_mailbox_base = ${mail}`,
    'virtual_mailbox_maps = static:sink/',
    `virtual_uid_maps = static:${nbUid.trim()}`,
    `virtual_gid_maps = static:${nbGid.trim()}`,
    // Don't add or rewrite headers for loopback clients: delivered files must equal what was sent.
    'local_header_rewrite_clients =',
    'smtpd_client_restrictions =',
    // Only the test domains are accepted: any other recipient is refused (554 5.7.1), never relayed.
    'smtpd_relay_restrictions = reject_unauth_destination',
    'smtpd_delay_reject = yes',
  ];
  if (opts.upstreamProxyProtocol) mainCf.push('smtpd_upstream_proxy_protocol = haproxy');
  if (opts.authorizedXclientHosts?.length) mainCf.push(`smtpd_authorized_xclient_hosts = ${opts.authorizedXclientHosts.join(', ')}`);
  if (opts.discardEhloKeywords?.length) mainCf.push(`smtpd_discard_ehlo_keywords = ${opts.discardEhloKeywords.join(', ')}`);
  if (cert) {
    mainCf.push(`smtpd_tls_cert_file = ${cert.certFile}`, `smtpd_tls_key_file = ${cert.keyFile}`, 'smtpd_tls_security_level = may');
  }
  await writeFile(join(etc, 'main.cf'), mainCf.join('\n') + '\n');

  await editAlternateDirs('add', etc);
  const stopAll = async (): Promise<void> => {
    const pidText = await readFile(join(root, 'queue', 'pid', 'master.pid'), 'utf8').catch(() => '');
    const pid = Number(pidText.trim());
    await run('postfix', ['-c', etc, 'stop']).catch(() => undefined);
    // `postfix stop` returns before master has reaped its children; wait so nothing is left running.
    const until = Date.now() + 5000;
    while (pid > 0 && processAlive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    await editAlternateDirs('remove', etc).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  };

  let port = opts.port ?? 0;
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const p = port || (await freePort());
    const master = await readFile('/etc/postfix/master.cf', 'utf8');
    // Our smtp service on the chosen port; no chroot (the temp queue dir has none of /etc inside).
    const patched = master
      .split('\n')
      .map((line) => {
        if (/^\s*#/.test(line) || !/^\S/.test(line)) return line;
        const f = line.split(/\s+/);
        if (f.length < 8) return line;
        if (f[0] === 'smtp' && f[1] === 'inet') f[0] = String(p);
        f[4] = 'n';
        return f.join('  ');
      })
      .join('\n');
    await writeFile(join(etc, 'master.cf'), patched);
    try {
      await run('postfix', ['-c', etc, 'start']);
      await waitForGreeting(p, 5000, opts.upstreamProxyProtocol ? 'PROXY TCP4 127.0.0.1 127.0.0.1 1 25\r\n' : '');
      port = p;
      lastError = undefined;
      break;
    } catch (e) {
      lastError = e;
      await run('postfix', ['-c', etc, 'stop']).catch(() => undefined);
      if (opts.port) break;
    }
  }
  if (lastError) {
    const log = await readFile(join(root, 'postfix.log'), 'utf8').catch(() => '');
    await stopAll();
    throw new Error(`private Postfix failed to start: ${String(lastError)}\n${log}`);
  }

  const newDir = join(mail, 'sink', 'new');
  const listNew = async (): Promise<string[]> => (await readdir(newDir).catch(() => [] as string[])).sort();
  // Queue files on their way to the maildir. Postfix commits a message to incoming/ before its 250, and
  // removes it from active/ only once it is in the maildir. (Deferred mail never lands: not counted.)
  const queuedCount = async (): Promise<number> => {
    let n = 0;
    for (const q of ['maildrop', 'incoming', 'active']) {
      const entries = await readdir(join(root, 'queue', q), { withFileTypes: true }).catch(() => []);
      n += entries.filter((e) => e.isFile()).length;
    }
    return n;
  };
  let stopped = false;
  return {
    port,
    mailDir: join(mail, 'sink'),
    certPem: cert?.pem,
    fingerprint256: cert?.fingerprint256,
    async readDelivered({ count = 1, timeoutMs = 10000 } = {}) {
      const until = Date.now() + timeoutMs;
      let names = await listNew();
      while (names.length < count && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 25));
        names = await listNew();
      }
      // Maildir names start with the delivery time in seconds, then a unique part; sort by the seconds,
      // then by the microseconds field (M…) so the order is delivery order.
      const key = (n: string): [number, number] => [Number(n.split('.')[0]), Number(/M(\d+)/.exec(n)?.[1] ?? 0)];
      names.sort((a, b) => key(a)[0] - key(b)[0] || key(a)[1] - key(b)[1]);
      return Promise.all(names.map((n) => readFile(join(newDir, n))));
    },
    async clearDelivered() {
      const until = Date.now() + 5000;
      while ((await queuedCount()) > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
      for (const n of await listNew()) await rm(join(newDir, n), { force: true });
    },
    readLog: () => readFile(join(root, 'postfix.log'), 'utf8').catch(() => ''),
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopAll();
    },
  };
}

/**
 * Strips the trace headers Postfix puts on top of a delivered message (Return-Path, X-Original-To,
 * Delivered-To and its own Received with continuation lines), leaving the message as the client sent it
 * (with LF line ends, as maildir stores it).
 */
export function stripDeliveryHeaders(file: Buffer): Buffer {
  let pos = 0;
  const lineEnd = (from: number): number => {
    const i = file.indexOf(0x0a, from);
    return i < 0 ? file.length : i + 1;
  };
  const startsWith = (s: string): boolean => file.subarray(pos, pos + s.length).toString('latin1').toLowerCase() === s.toLowerCase();
  for (const name of ['Return-Path:', 'X-Original-To:', 'Delivered-To:', 'Received:']) {
    if (!startsWith(name)) continue;
    pos = lineEnd(pos);
    while (pos < file.length && (file[pos] === 0x20 || file[pos] === 0x09)) pos = lineEnd(pos);
  }
  return file.subarray(pos);
}
