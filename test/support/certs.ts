// Test certificates made at test time with the `openssl` binary, into a private temp dir, once per process.
// Kinds: a self-signed cert for the right name, one for the wrong name, an expired one, and a cert signed by
// a throwaway CA nobody trusts (unknown CA).
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type CertKind = 'self-signed' | 'wrong-name' | 'expired' | 'unknown-ca';

export interface TestCert {
  cert: string;
  key: string;
  /** The CA that signed it (only for `unknown-ca`). */
  caCert?: string;
  fingerprint256: string;
  name: string;
}

let dir: string | undefined;
const cache = new Map<string, TestCert>();

function workDir(): string {
  if (dir === undefined) {
    dir = mkdtempSync(join(tmpdir(), 'mxdesk-certs-'));
    const made = dir;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  return dir;
}

function openssl(args: string[], cwd: string) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function selfSigned(d: string, cn: string, days: number) {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', String(days), '-subj', `/CN=${cn}`, '-addext', `subjectAltName=DNS:${cn}`], d);
}

// `openssl ca` is the one OpenSSL 3.0 tool that takes explicit validity dates, so an already-expired cert
// can be made without faking the clock.
function expired(d: string, cn: string) {
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'key.pem', '-out', 'req.pem', '-subj', `/CN=${cn}`], d);
  mkdirSync(join(d, 'db'));
  writeFileSync(join(d, 'db', 'index.txt'), '');
  writeFileSync(join(d, 'db', 'serial'), '01\n');
  writeFileSync(
    join(d, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = test',
      '[test]',
      'database = db/index.txt',
      'serial = db/serial',
      'new_certs_dir = db',
      'default_md = sha256',
      'policy = any',
      'copy_extensions = none',
      'x509_extensions = ext',
      '[any]',
      'commonName = supplied',
      '[ext]',
      `subjectAltName = DNS:${cn}`,
      '',
    ].join('\n'),
  );
  openssl(['ca', '-batch', '-config', 'ca.cnf', '-selfsign', '-keyfile', 'key.pem', '-in', 'req.pem', '-out', 'cert.pem', '-startdate', '20200101000000Z', '-enddate', '20200102000000Z', '-notext'], d);
}

function unknownCa(d: string, cn: string) {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=MX Desk Test CA'], d);
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'key.pem', '-out', 'req.pem', '-subj', `/CN=${cn}`], d);
  writeFileSync(join(d, 'ext.cnf'), `subjectAltName=DNS:${cn}\n`);
  openssl(['x509', '-req', '-in', 'req.pem', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', 'cert.pem', '-days', '2', '-extfile', 'ext.cnf'], d);
}

/** Make (or reuse) a certificate for `name` (default `mx.example.test`). */
export function makeCert(kind: CertKind, name = 'mx.example.test'): TestCert {
  const cacheKey = `${kind}:${name}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const d = join(workDir(), cacheKey.replace(/[^a-z0-9.-]/gi, '_'));
  mkdirSync(d);
  if (kind === 'self-signed') selfSigned(d, name, 2);
  else if (kind === 'wrong-name') selfSigned(d, `wrong.${name}`, 2);
  else if (kind === 'expired') expired(d, name);
  else unknownCa(d, name);
  const cert = readFileSync(join(d, 'cert.pem'), 'utf8');
  const made: TestCert = {
    cert,
    key: readFileSync(join(d, 'key.pem'), 'utf8'),
    caCert: kind === 'unknown-ca' ? readFileSync(join(d, 'ca.pem'), 'utf8') : undefined,
    fingerprint256: new X509Certificate(cert).fingerprint256,
    name: kind === 'wrong-name' ? `wrong.${name}` : name,
  };
  cache.set(cacheKey, made);
  return made;
}
