// Zone files for the DNSSEC lab (test/support/dnssec.ts): a private signed root, a signed zone, a signed zone
// whose signatures are then broken, and an unsigned zone, all made at test time with ldns-keygen and
// ldns-signzone. Pure file work; no processes are left running.
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LAB_ZONES = { secure: 'secure.test', bogus: 'bogus.test', unsigned: 'unsigned.test' } as const;
export type LabZone = keyof typeof LAB_ZONES;

/** The RR types whose signatures are broken in the bogus zone by default. */
export const BROKEN_TYPES = ['MX', 'A', 'AAAA', 'TXT', 'TLSA'];

/** `3 1 1 <sha-256 of the SPKI>` of a PEM certificate: a DANE-EE TLSA record's data (RFC 7671 §5.1). */
export function tlsa311(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return `3 1 1 ${createHash('sha256').update(spki).digest('hex')}`;
}

/** The records every lab zone starts with, relative to its origin: MX, A, AAAA, TXT and a TLSA for its MX. */
function baseRecords(zone: string, tlsa: string): string[] {
  return [
    `@ MX 10 mx.${zone}.`,
    '@ TXT "v=spf1 ip4:127.0.0.1 -all"',
    'mx A 127.0.0.1',
    'mx AAAA ::1',
    '_mta-sts TXT "v=STSv1; id=lab1"',
    `_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tlsrpt@${zone}"`,
    `_25._tcp.mx TLSA ${tlsa}`,
  ];
}

function header(origin: string, serial = 1): string[] {
  return [`$ORIGIN ${origin}`, '$TTL 300', `@ SOA ns.lab. admin.lab. ${serial} 3600 600 86400 300`, '@ NS ns.lab.'];
}

function keygen(dir: string, zone: string): { base: string; ds: string } {
  const base = execFileSync('ldns-keygen', ['-a', 'ECDSAP256SHA256', '-k', '-r', '/dev/urandom', zone], { cwd: dir, encoding: 'utf8' }).trim();
  return { base, ds: readFileSync(join(dir, `${base}.ds`), 'utf8').trim() };
}

/** Signs `file` in place into `file.signed`, valid from an hour ago for a week (RFC 4034 §3.1.5). */
function sign(dir: string, file: string, origin: string, keyBase: string): string {
  const now = Math.floor(Date.now() / 1000);
  execFileSync('ldns-signzone', ['-i', String(now - 3600), '-e', String(now + 7 * 86400), '-o', origin, '-f', `${file}.signed`, file, keyBase], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  return `${file}.signed`;
}

/** Flips one base64 character of the signature of every RRSIG covering `types`: the data stays, validation fails. */
export function breakSignatures(text: string, types: readonly string[]): string {
  return text
    .split('\n')
    .map((line) => {
      const f = line.split(/\s+/);
      const at = f.indexOf('RRSIG');
      if (at < 0 || !types.includes(f[at + 1])) return line;
      const sig = f[f.length - 1];
      f[f.length - 1] = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
      return f.join('\t');
    })
    .join('\n');
}

export interface LabZoneOptions {
  /** TLSA data (`3 1 1 <hex>`) for `_25._tcp.mx.<zone>` in every zone. */
  tlsa: string;
  /** Extra zone-file lines per zone, relative to its origin: `'_25._tcp.mx2 TLSA 3 1 1 00ff…'`. */
  extra?: Partial<Record<LabZone, string[]>>;
  /** RR types whose signatures are broken in the bogus zone. */
  brokenTypes?: readonly string[];
}

export interface LabZoneFiles {
  /** Zone name → signed (or plain) file name in `dir`. */
  files: Record<string, string>;
  /** The trust anchor: the DS of the private root. */
  anchor: string;
  /** Key base names of the signed zones, to sign them again after a change. */
  keys: Partial<Record<LabZone, string>>;
}

/** Writes one lab zone (and signs it with `keyBase`, unless it is the unsigned one); returns the file served. */
export function writeLabZone(dir: string, key: LabZone, opts: LabZoneOptions, keyBase: string | undefined, serial = 1): string {
  const zone = LAB_ZONES[key];
  const file = `${zone}.zone`;
  writeFileSync(join(dir, file), [...header(`${zone}.`, serial), ...baseRecords(zone, opts.tlsa), ...(opts.extra?.[key] ?? []), ''].join('\n'));
  if (!keyBase) return file;
  const signed = sign(dir, file, `${zone}.`, keyBase);
  if (key === 'bogus') writeFileSync(join(dir, signed), breakSignatures(readFileSync(join(dir, signed), 'utf8'), opts.brokenTypes ?? BROKEN_TYPES));
  return signed;
}

/** Writes and signs every zone of the lab into `dir`. */
export function writeLabZones(dir: string, opts: LabZoneOptions): LabZoneFiles {
  const files: Record<string, string> = {};
  const ds: string[] = [];
  const keys: LabZoneFiles['keys'] = {};
  for (const key of ['secure', 'bogus', 'unsigned'] as const) {
    if (key !== 'unsigned') {
      const k = keygen(dir, LAB_ZONES[key]);
      ds.push(k.ds);
      keys[key] = k.base;
    }
    files[LAB_ZONES[key]] = writeLabZone(dir, key, opts, keys[key]);
  }
  // The root delegates each zone to ns.lab (whose address unbound never needs: every zone is a stub).
  const root = [...header('.'), 'ns.lab. A 127.0.0.1', ...Object.values(LAB_ZONES).map((z) => `${z}. NS ns.lab.`), ...ds, ''];
  writeFileSync(join(dir, 'root.zone'), root.join('\n'));
  const rootKey = keygen(dir, '.');
  files['.'] = sign(dir, 'root.zone', '.', rootKey.base);
  return { files, anchor: rootKey.ds, keys };
}
