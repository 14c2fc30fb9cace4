// TLS client options made ready for a session: the CA bundle, client certificate and key read from their files
// (bounded), checked to belong together, and a one-line description for the session log. The key's content
// stays in this process: it is never put in an event, a message or an export.
import { X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { TlsClientOptions, TlsVersionName } from '../../../shared/model';
import { escapeForDisplay } from '../../../shared/smtp/escape';

/** A PEM bundle or key larger than this is not a certificate file. */
export const MAX_TLS_FILE_BYTES = 1024 * 1024;

export interface TlsClientMaterial {
  /** SNI and verification name override. */
  name?: string;
  ca?: string;
  cert?: string;
  key?: string;
  minVersion?: TlsVersionName;
  maxVersion?: TlsVersionName;
  ciphers?: string;
  /** The files, for the log. */
  files: { ca?: string; cert?: string; key?: string };
  /** The client certificate's subject, for the log (never anything of the key). */
  certSubject?: string;
}

export type TlsClientResult = { ok: true; value?: TlsClientMaterial } | { ok: false; message: string };

async function readBounded(path: string, what: string): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  try {
    const st = await stat(path);
    if (!st.isFile()) return { ok: false, message: `TLS setup: the ${what} ${JSON.stringify(path)} is not a regular file.` };
    if (st.size > MAX_TLS_FILE_BYTES) return { ok: false, message: `TLS setup: the ${what} ${JSON.stringify(path)} is larger than 1 MiB.` };
    return { ok: true, text: await readFile(path, 'utf8') };
  } catch (e) {
    return { ok: false, message: `TLS setup: cannot read the ${what} ${JSON.stringify(path)} (${(e as NodeJS.ErrnoException).code ?? 'error'}).` };
  }
}

/** Node's message for a bad PEM or a mismatched pair, without any of the file's content. */
function opensslWords(e: unknown): string {
  return (e as Error).message.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}

export async function loadTlsClient(o: TlsClientOptions | undefined): Promise<TlsClientResult> {
  if (!o) return { ok: true };
  const m: TlsClientMaterial = { name: o.name, minVersion: o.minVersion, maxVersion: o.maxVersion, ciphers: o.ciphers, files: { ca: o.caFile, cert: o.certFile, key: o.keyFile } };
  if (o.caFile) {
    const r = await readBounded(o.caFile, 'CA file');
    if (!r.ok) return r;
    if (!/-----BEGIN CERTIFICATE-----/.test(r.text)) return { ok: false, message: `TLS setup: the CA file ${JSON.stringify(o.caFile)} holds no PEM certificate.` };
    m.ca = r.text;
  }
  if (o.certFile && o.keyFile) {
    const c = await readBounded(o.certFile, 'client certificate');
    if (!c.ok) return c;
    const k = await readBounded(o.keyFile, 'client key');
    if (!k.ok) return k;
    m.cert = c.text;
    m.key = k.text;
    try {
      createSecureContext({ cert: m.cert, key: m.key });
      m.certSubject = escapeForDisplay(new X509Certificate(m.cert).subject.replace(/\n/g, ', ')).slice(0, 300);
    } catch (e) {
      return { ok: false, message: `TLS setup: the client certificate ${JSON.stringify(o.certFile)} and key ${JSON.stringify(o.keyFile)} cannot be used together (${opensslWords(e)}).` };
    }
  }
  if (o.ciphers) {
    try {
      createSecureContext({ ciphers: o.ciphers });
    } catch (e) {
      return { ok: false, message: `TLS setup: OpenSSL accepts none of the ciphers ${JSON.stringify(o.ciphers)} (${opensslWords(e)}).` };
    }
  }
  return { ok: true, value: m };
}

/** "SNI: name, verifying against: name; CA: file; client certificate: file; TLS 1.2 to 1.3; ciphers: X". */
export function describeTlsSetup(hostname: string, m: TlsClientMaterial | undefined): string {
  const name = m?.name ?? hostname;
  // RFC 6066 §3: "Literal IPv4 and IPv6 addresses are not permitted in HostName".
  const sni = isIP(name) ? 'SNI: none (an IP address is never sent as SNI)' : `SNI: ${name}`;
  const parts = [`${sni}, verifying against: ${name}`];
  // Paths are the user's text: shown escaped, like everything else in the log.
  const path = (p: string | undefined): string => escapeForDisplay(p ?? '?');
  if (m?.files.ca) parts.push(`trusting only the CAs in ${path(m.files.ca)}`);
  // The key file is named, never shown: its content stays in this process.
  if (m?.files.cert) parts.push(`client certificate: subject ${m.certSubject ?? '?'} (${path(m.files.cert)}, key ${path(m.files.key)})`);
  if (m?.minVersion || m?.maxVersion) parts.push(`TLS versions ${m.minVersion ?? 'any'} to ${m.maxVersion ?? 'any'}`);
  if (m?.ciphers) parts.push(`ciphers ${m.ciphers}`);
  return `TLS options: ${parts.join('; ')}.`;
}
