// Peers for the MX health probe tests: the zone, scripted servers (plain, STARTTLS) and a certificate for a
// name signed by a private test CA that is valid long enough not to trigger the expiry warning.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { close, expect, reply, startTls, type HostileStep } from './hostile-server';

export const HEALTH_ZONE = [
  'mx-host=health.test,mx.example.test,10',
  'host-record=mx.example.test,127.0.0.1',
  'mx-host=health.test,refuse.health.test,20',
  'host-record=refuse.health.test,127.0.0.12',
  'mx-host=health.test,hole.health.test,30',
  'host-record=hole.health.test,127.0.0.13',
  'mx-host=health.test,v6.health.test,40',
  'host-record=v6.health.test,::1',
  'mx-host=health.test,odd.health.test,50',
  'address=/odd.health.test/127.0.0.14',
  'ptr-record=14.0.0.127.in-addr.arpa,elsewhere.other.test',
  'mx-host=intercept.test,mx.intercept.test,10',
  'host-record=mx.intercept.test,127.0.0.15',
  'mx-host=blocked.test,a.blocked.test,10',
  'mx-host=blocked.test,b.blocked.test,20',
  'host-record=a.blocked.test,127.0.0.13',
  'host-record=b.blocked.test,127.0.0.16',
  'mx-host=good.test,mx.example.test,10',
  'mx-host=nullmx.health.test,.,0',
];

export function plainServer(name: string): HostileStep[] {
  return [reply(`220 ${name} ESMTP`), expect(/^EHLO /i), reply(`250-${name}`, '250-PIPELINING', '250 SIZE 10240000'), expect(/^QUIT/i), reply('221 bye'), close()];
}

export function tlsServer(banner: string, cert: { cert: string; key: string }): HostileStep[] {
  return [
    reply(`220 ${banner} ESMTP`),
    expect(/^EHLO /i),
    reply(`250-${banner}`, '250-PIPELINING', '250 STARTTLS'),
    expect(/^STARTTLS/i),
    reply('220 2.0.0 go ahead'),
    startTls(cert),
    expect(/^EHLO /i),
    reply(`250-${banner}`, '250-PIPELINING', '250 SIZE 1000'),
    expect(/^QUIT/i),
    reply('221 bye'),
    close(),
  ];
}

export interface CaSigned {
  cert: string;
  key: string;
  caCert: string;
}

/** A leaf for `name` signed by a fresh test CA, valid for `days` (default 90), plus the CA to trust. */
export function caSignedCert(name: string, days = 90, moreNames: string[] = []): CaSigned {
  const d = mkdtempSync(join(tmpdir(), 'mxdesk-probe-ca-'));
  try {
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: d, stdio: ['ignore', 'ignore', 'pipe'] });
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    run(['req', '-x509', ...ec, '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', String(days + 1), '-subj', '/CN=MX Desk Probe Test CA']);
    run(['req', '-new', ...ec, '-keyout', 'key.pem', '-out', 'req.pem', '-subj', `/CN=${name}`]);
    writeFileSync(join(d, 'ext.cnf'), `subjectAltName=${[name, ...moreNames].map((n) => `DNS:${n}`).join(',')}\n`);
    run(['x509', '-req', '-in', 'req.pem', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', 'cert.pem', '-days', String(days), '-extfile', 'ext.cnf']);
    return { cert: readFileSync(join(d, 'cert.pem'), 'utf8'), key: readFileSync(join(d, 'key.pem'), 'utf8'), caCert: readFileSync(join(d, 'ca.pem'), 'utf8') };
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}

/**
 * A server certificate bundle of `total` certificates: a leaf, then `linked - 1` CAs each issuing the one
 * before (a real chain Node can walk), then copies of the last CA as padding, as a hostile server would send.
 */
export function longChain(name: string, linked: number, total: number): { cert: string; key: string } {
  const d = mkdtempSync(join(tmpdir(), 'mxdesk-probe-chain-'));
  try {
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: d, stdio: ['ignore', 'ignore', 'pipe'] });
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    run(['req', '-x509', ...ec, '-keyout', `ca${linked - 1}.key`, '-out', `ca${linked - 1}.pem`, '-days', '30', '-subj', `/CN=Chain CA ${linked - 1}`]);
    writeFileSync(join(d, 'ca.ext'), 'basicConstraints=critical,CA:TRUE\n');
    for (let i = linked - 2; i >= 1; i--) {
      run(['req', '-new', ...ec, '-keyout', `ca${i}.key`, '-out', `ca${i}.csr`, '-subj', `/CN=Chain CA ${i}`]);
      run(['x509', '-req', '-in', `ca${i}.csr`, '-CA', `ca${i + 1}.pem`, '-CAkey', `ca${i + 1}.key`, '-CAcreateserial', '-out', `ca${i}.pem`, '-days', '30', '-extfile', 'ca.ext']);
    }
    writeFileSync(join(d, 'leaf.ext'), `subjectAltName=DNS:${name}\n`);
    run(['req', '-new', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${name}`]);
    run(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca1.pem', '-CAkey', 'ca1.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '30', '-extfile', 'leaf.ext']);
    const pems = [readFileSync(join(d, 'leaf.pem'), 'utf8'), ...Array.from({ length: linked - 1 }, (_, i) => readFileSync(join(d, `ca${i + 1}.pem`), 'utf8'))];
    while (pems.length < total) pems.push(pems[pems.length - 1]);
    return { cert: pems.join(''), key: readFileSync(join(d, 'leaf.key'), 'utf8') };
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}
