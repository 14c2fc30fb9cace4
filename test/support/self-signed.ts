// A self-signed certificate made at test time with the openssl binary (EC P-256: milliseconds to make).
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SelfSigned {
  certFile: string;
  keyFile: string;
  pem: string;
  keyPem: string;
  fingerprint256: string;
}

/** Writes cert.pem/key.pem for `cn` (also as DNS SAN) into `dir`. */
export async function makeSelfSignedCert(dir: string, cn = 'mx.example.test'): Promise<SelfSigned> {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${cn}`, '-addext', `subjectAltName=DNS:${cn}`,
  ]);
  const pem = await readFile(certFile, 'utf8');
  return { certFile, keyFile, pem, keyPem: await readFile(keyFile, 'utf8'), fingerprint256: new X509Certificate(pem).fingerprint256 };
}
