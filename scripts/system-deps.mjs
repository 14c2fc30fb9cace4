// Makes sure the Debian packages the test tiers need are present. As root it installs what is missing with
// apt-get (and says so); otherwise it prints the exact command and fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const REQUIRED = [
  { bin: '/usr/bin/chromium', pkg: 'chromium' },
  { bin: '/usr/sbin/dnsmasq', pkg: 'dnsmasq-base' },
  { bin: '/usr/sbin/postfix', pkg: 'postfix' },
  { bin: '/usr/bin/swaks', pkg: 'swaks' },
  { bin: '/usr/bin/dig', pkg: 'bind9-dnsutils' },
  { bin: '/usr/bin/openssl', pkg: 'openssl' },
  { bin: '/usr/bin/xvfb-run', pkg: 'xvfb' },
  { bin: '/usr/sbin/unbound', pkg: 'unbound' },
  { bin: '/usr/sbin/nsd', pkg: 'nsd' },
  { bin: '/usr/bin/ldns-signzone', pkg: 'ldnsutils' },
  { bin: '/usr/sbin/dovecot', pkg: 'dovecot-core' },
  { bin: '/usr/lib/dovecot/submission', pkg: 'dovecot-submissiond' },
  { bin: '/usr/lib/dovecot/lmtp', pkg: 'dovecot-lmtpd' },
  { bin: '/usr/lib/python3/dist-packages/aiosmtpd/__init__.py', pkg: 'python3-aiosmtpd' },
  { bin: '/usr/sbin/opendkim-testmsg', pkg: 'opendkim-tools' },
  { bin: '/usr/sbin/iptables', pkg: 'iptables' },
  { bin: '/usr/bin/microsocks', pkg: 'microsocks' },
  { bin: '/usr/bin/tinyproxy', pkg: 'tinyproxy-bin' },
];

export function ensureSystemDeps() {
  const missing = REQUIRED.filter((r) => !existsSync(r.bin)).map((r) => r.pkg);
  if (missing.length === 0) return;
  // policy-rc.d: dovecot, unbound and nsd must not start system services; the tests run private instances.
  const cmd = `printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${missing.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(`MX Desk tests need Debian packages that are missing: ${missing.join(', ')}.\nRun as root:\n  ${cmd}`);
    process.exit(1);
  }
  console.log(`Installing missing Debian packages with apt-get: ${missing.join(' ')}`);
  // postfix would otherwise ask which kind of mail setup to use.
  execFileSync('sh', ['-c', 'echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections'], { stdio: 'inherit' });
  const r = spawnSync('sh', ['-c', cmd], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`apt-get failed (exit ${r.status}). Command was:\n  ${cmd}`);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) ensureSystemDeps();
