// A private Dovecot (Debian's dovecot-core, -submissiond, -lmtpd: a server we did not write) for interop
// tests: its own config file in a temp dir (no system config is read), its own base_dir, state_dir and log
// file, and three services on free loopback ports: submission with STARTTLS (587-style), submission over
// implicit TLS (465-style), both relaying into a given SMTP server (only when a relay is given), and LMTP
// over TCP and a UNIX socket delivering into a maildir. Two passwd-file users (AUTH PLAIN and LOGIN): one
// that receives, one always over quota. It runs as `dovecot -F`, a child killed (SIGTERM) on stop.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

export const DOVECOT_USER = 'mxdesk';
/** A second user whose mailbox is always over quota: LMTP refuses it after the dot. */
export const DOVECOT_FULL_USER = 'full';

export interface DovecotOptions {
  /** The server's name: in greetings, and the name its certificate is issued for. */
  hostname: string;
  /** Certificate and key (PEM) for `hostname`. */
  tls: { cert: string; key: string };
  /** The test user's password (AUTH PLAIN and LOGIN). */
  password: string;
  /** Where submission relays to (trusted, no TLS, no AUTH): e.g. a private Postfix. Without it only LMTP runs. */
  relay?: { host: string; port: number };
  /** How long to wait for Dovecot to listen (default 15 s). */
  startTimeoutMs?: number;
}

export interface DovecotInstance {
  hostname: string;
  /** submission with STARTTLS (587-style); 0 without a relay. */
  submissionPort: number;
  /** submission over implicit TLS (465-style); 0 without a relay. */
  submissionsPort: number;
  /** LMTP over TCP. */
  lmtpPort: number;
  /** LMTP over a UNIX-domain socket. */
  lmtpSocket: string;
  /** The test user's login and the address LMTP delivers for. */
  user: string;
  address: string;
  /** A user whose mailbox is over quota: LMTP accepts it at RCPT and refuses it after the dot (552). */
  fullAddress: string;
  /** Files LMTP delivered into the user's maildir (new/), oldest first; waits for `count` (default 1). */
  readDelivered(opts?: { count?: number; timeoutMs?: number }): Promise<Buffer[]>;
  clearDelivered(): Promise<void>;
  readLog(): Promise<string>;
  stop(): Promise<void>;
}

/** `dovecot --version`'s first field, e.g. '2.3.19.1'; undefined when Dovecot is not installed. */
export function dovecotVersion(): string | undefined {
  try {
    return execFileSync('dovecot', ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim().split(/\s+/)[0];
  } catch {
    return undefined;
  }
}

/** Whether the private Dovecot can run here; the reason is printed by tests that skip. */
export function dovecotAvailable(): { ok: boolean; reason?: string } {
  const v = dovecotVersion();
  if (!v) return { ok: false, reason: 'dovecot is not installed (Debian: dovecot-core dovecot-submissiond dovecot-lmtpd)' };
  // The config below is written in 2.3 syntax; 2.4 renamed most settings and changed the block syntax.
  if (!v.startsWith('2.3.')) return { ok: false, reason: `Dovecot ${v} is installed; this harness writes a 2.3 configuration` };
  for (const bin of ['submission', 'submission-login', 'lmtp']) {
    try {
      execFileSync('test', ['-x', `/usr/lib/dovecot/${bin}`]);
    } catch {
      return { ok: false, reason: `/usr/lib/dovecot/${bin} is missing (Debian: dovecot-submissiond, dovecot-lmtpd)` };
    }
  }
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return { ok: false, reason: 'the private Dovecot needs root (its login processes chroot and drop privileges)' };
  return { ok: true };
}

function idOf(flag: '-u' | '-g', name: string): number {
  return Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
}

/** submission (RFC 6409) on two listeners, relaying every message to `relay`. */
function submissionConfig(relay: { host: string; port: number }, ports: { submission: number; submissions: number }): string {
  return `submission_relay_host = ${relay.host}
submission_relay_port = ${relay.port}
submission_relay_trusted = yes
submission_relay_ssl = no

service submission-login {
  inet_listener submission {
    address = 127.0.0.1
    port = ${ports.submission}
  }
  inet_listener submissions {
    address = 127.0.0.1
    port = ${ports.submissions}
    ssl = yes
  }
}
`;
}

/** The 2.3 configuration: everything explicit, nothing included from /etc/dovecot. */
function config(root: string, o: DovecotOptions, ports: { submission: number; submissions: number; lmtp: number }): string {
  return `# MX Desk test instance (Dovecot 2.3 syntax), written by test/support/dovecot.ts
instance_name = mxdesk-dovecot-${root.slice(-6)}
base_dir = ${root}/run
state_dir = ${root}/state
log_path = ${root}/dovecot.log
info_log_path = ${root}/dovecot.log
debug_log_path = ${root}/dovecot.log
protocols = ${o.relay ? 'submission lmtp' : 'lmtp'}
listen = 127.0.0.1
hostname = ${o.hostname}
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
login_greeting = MX Desk test Dovecot ready

# Dovecot counts loopback clients as secured: it offers AUTH there before STARTTLS too.
ssl = yes
ssl_cert = <${root}/cert.pem
ssl_key = <${root}/key.pem
ssl_min_protocol = TLSv1.2

auth_mechanisms = plain login
disable_plaintext_auth = yes
# A wrong password is answered sooner than the default 2 s: the tests stay fast.
auth_failure_delay = 0
# LMTP recipients arrive as user@domain; the passwd-file knows the local part.
auth_username_format = %Ln
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${root}/users
}
userdb {
  driver = passwd-file
  args = ${root}/users
}
mail_location = maildir:~/Maildir
mail_plugins = quota
plugin {
  quota = maildir:User quota
}
# user+detail@domain reaches the user too (LMTP): one message, two recipients, two replies after the dot.
recipient_delimiter = +

${o.relay ? submissionConfig(o.relay, ports) : ''}service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${ports.lmtp}
  }
  # base_dir/lmtp: the socket an MTA on the same machine delivers through.
  unix_listener lmtp {
    mode = 0666
  }
}
`;
}

/** Resolves once something on the port sends a line starting with 220, or rejects after `ms`. */
async function waitForGreeting(port: number, ms: number, child: ChildProcess): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`dovecot exited (${child.exitCode ?? child.signalCode})`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port });
      let buf = '';
      const done = (v: boolean): void => {
        clearTimeout(timer);
        s.destroy();
        resolve(v);
      };
      const timer = setTimeout(() => done(false), 1000);
      s.on('data', (d) => {
        buf += d.toString('latin1');
        if (buf.includes('\n')) {
          s.end('QUIT\r\n');
          done(buf.startsWith('220'));
        }
      });
      s.on('error', () => done(false));
      s.on('close', () => done(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`Dovecot did not greet on 127.0.0.1:${port} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Runs `dovecot -F` and stops it (SIGTERM) when stdin closes: on stop(), and also when the test process
 * dies without stopping it, so no Dovecot is left listening. Exits with Dovecot's status.
 */
const WRAPPER = `exec 3<&0
dovecot -c "$1" -F &
pid=$!
{ cat <&3 >/dev/null; kill -TERM "$pid" 2>/dev/null; } &
wait "$pid"`;

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

export async function startDovecot(o: DovecotOptions): Promise<DovecotInstance> {
  const avail = dovecotAvailable();
  if (!avail.ok) throw new Error(`cannot start a private Dovecot: ${avail.reason}`);
  const root = await mkdtemp(join(tmpdir(), 'mxdesk-dovecot-'));
  // Dovecot's unprivileged processes (dovecot, dovenull, the mail user) must traverse the temp dir.
  await chmod(root, 0o755);
  const nobody = { uid: idOf('-u', 'nobody'), gid: idOf('-g', 'nobody') };
  const home = join(root, 'mail', DOVECOT_USER);
  const fullHome = join(root, 'mail', DOVECOT_FULL_USER);
  for (const h of [home, fullHome]) {
    await mkdir(h, { recursive: true });
    await chown(h, nobody.uid, nobody.gid);
  }
  await writeFile(join(root, 'cert.pem'), o.tls.cert);
  await writeFile(join(root, 'key.pem'), o.tls.key, { mode: 0o600 });
  // passwd-file: user:password:uid:gid:gecos:home:shell:extra. Read by the auth process (user dovecot).
  const users = join(root, 'users');
  const ids = `${nobody.uid}:${nobody.gid}`;
  const lines = [`${DOVECOT_USER}:{PLAIN}${o.password}:${ids}::${home}::`, `${DOVECOT_FULL_USER}:{PLAIN}${o.password}:${ids}::${fullHome}::userdb_quota_rule=*:storage=1B`];
  await writeFile(users, lines.join('\n') + '\n', { mode: 0o600 });
  await chown(users, idOf('-u', 'dovecot'), idOf('-g', 'dovecot'));
  const confFile = join(root, 'dovecot.conf');
  const logFile = join(root, 'dovecot.log');
  const newDir = join(home, 'Maildir', 'new');

  let child: ChildProcess | undefined;
  let stderr = '';
  const masterPid = async (): Promise<number> => Number((await readFile(join(root, 'run', 'master.pid'), 'utf8').catch(() => '')).trim());
  const stopChild = async (): Promise<void> => {
    if (!child) return;
    const c = child;
    child = undefined;
    c.stdin?.end(); // the wrapper then sends Dovecot SIGTERM and waits for it
    if (!(await waitForExit(c, 5000))) {
      const pid = await masterPid();
      if (pid > 0) process.kill(pid, 'SIGKILL');
      c.kill('SIGKILL');
      await waitForExit(c, 3000);
    }
  };

  let ports = { submission: 0, submissions: 0, lmtp: 0 };
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    ports = o.relay ? { submission: await freePort(), submissions: await freePort(), lmtp: await freePort() } : { submission: 0, submissions: 0, lmtp: await freePort() };
    await writeFile(confFile, config(root, o, ports));
    stderr = '';
    const c = spawn('sh', ['-c', WRAPPER, 'dovecot-wrapper', confFile], { stdio: ['pipe', 'ignore', 'pipe'] });
    child = c;
    c.stderr?.setEncoding('utf8');
    c.stderr?.on('data', (d: string) => {
      if (stderr.length < 64 * 1024) stderr += d;
    });
    try {
      const ms = o.startTimeoutMs ?? 15_000;
      if (o.relay) await waitForGreeting(ports.submission, ms, c);
      await waitForGreeting(ports.lmtp, ms, c);
      lastError = undefined;
      break;
    } catch (e) {
      lastError = e;
      await stopChild();
    }
  }
  if (lastError) {
    const log = await readFile(logFile, 'utf8').catch(() => '');
    await rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    throw new Error(`private Dovecot failed to start: ${String(lastError)}\n${stderr}\n${log}`);
  }

  const listNew = async (): Promise<string[]> => (await readdir(newDir).catch(() => [] as string[])).filter((n) => !n.startsWith('.'));
  // Maildir names start with the delivery time in seconds, then M<microseconds>: sort into delivery order.
  const key = (n: string): [number, number] => [Number(n.split('.')[0]), Number(/M(\d+)/.exec(n)?.[1] ?? 0)];
  let stopped = false;
  return {
    hostname: o.hostname,
    submissionPort: ports.submission,
    submissionsPort: ports.submissions,
    lmtpPort: ports.lmtp,
    lmtpSocket: join(root, 'run', 'lmtp'),
    user: DOVECOT_USER,
    address: `${DOVECOT_USER}@example.test`,
    fullAddress: `${DOVECOT_FULL_USER}@example.test`,
    async readDelivered({ count = 1, timeoutMs = 5000 } = {}) {
      const until = Date.now() + timeoutMs;
      let names = await listNew();
      while (names.length < count && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 25));
        names = await listNew();
      }
      names.sort((a, b) => key(a)[0] - key(b)[0] || key(a)[1] - key(b)[1]);
      return Promise.all(names.map((n) => readFile(join(newDir, n))));
    },
    async clearDelivered() {
      for (const n of await listNew()) await rm(join(newDir, n), { force: true });
    },
    readLog: () => readFile(logFile, 'utf8').catch(() => ''),
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopChild();
      await rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    },
  };
}

/**
 * Strips the trace headers servers put on top of a message on its way (Return-Path, X-Original-To,
 * Delivered-To, and every Received with its continuation lines), leaving the message as the client sent
 * it. Only the leading block is touched: a Received further down is the client's own.
 */
export function stripTraceHeaders(file: Buffer): Buffer {
  let pos = 0;
  const lineEnd = (from: number): number => {
    const i = file.indexOf(0x0a, from);
    return i < 0 ? file.length : i + 1;
  };
  const trace = /^(return-path|x-original-to|delivered-to|received):/i;
  while (pos < file.length && trace.test(file.subarray(pos, pos + 20).toString('latin1'))) {
    pos = lineEnd(pos);
    while (pos < file.length && (file[pos] === 0x20 || file[pos] === 0x09)) pos = lineEnd(pos);
  }
  return file.subarray(pos);
}
