/**
 * DKIM signing (RFC 6376; Ed25519-SHA256 RFC 8463) of the exact message that goes on the wire. mailauth's
 * signer computes the signature over one pass of the message source, CRLF-normalised the way DataEncoder
 * sends it (RFC 5321 §2.3.8), and the signed source yields the DKIM-Signature field first and then the same
 * bytes again (a MessageSource gives identical bytes on every open), so what is signed is what is sent.
 * The private key is never put in an error, event or log line.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { Readable } from 'node:stream';
import { dkimSign } from 'mailauth/lib/dkim/sign';
import { CrlfNormalizer } from '../../shared/smtp/data-encoder';
import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';
import { DEFAULT_DKIM_HEADERS, type DkimAlgorithm, type DkimRequest } from '../../shared/sender-auth/dkim-types';
import type { MessageSource } from './message';

/** RFC 8301 §3.2: RSA keys shorter than 1024 bits must not be used. */
export const MIN_RSA_BITS = 1024;

export interface DkimSigned {
  source: MessageSource;
  /** The DKIM-Signature field as added, CRLF-terminated (it holds no secret). */
  header: string;
  algorithm: DkimAlgorithm;
}

function keyFail(message: string): Result<never> {
  return fail('dkim_key', message, { stage: 'dkim', field: 'dkimKey' });
}

/** Reads a PEM private key; says what is wrong without ever quoting it. */
export function readDkimKey(pem: string, wanted?: DkimAlgorithm): Result<{ key: KeyObject; algorithm: DkimAlgorithm }> {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    return keyFail('DKIM signing: the private key is not a PEM private key (PKCS#8 "BEGIN PRIVATE KEY" or "BEGIN RSA PRIVATE KEY").');
  }
  const type = key.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'ed25519') return keyFail(`DKIM signing: a ${type ?? 'unknown'} key cannot sign DKIM; use RSA or Ed25519 (RFC 6376 §3.3, RFC 8463).`);
  const algorithm: DkimAlgorithm = type === 'rsa' ? 'rsa-sha256' : 'ed25519-sha256';
  if (wanted && wanted !== algorithm) return keyFail(`DKIM signing: ${wanted} was chosen but the key is ${type}.`);
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (type === 'rsa' && bits !== undefined && bits < MIN_RSA_BITS) return keyFail(`DKIM signing: the RSA key has ${bits} bits; at least ${MIN_RSA_BITS} are required (RFC 8301 §3.2).`);
  return ok({ key, algorithm });
}

/** h= as mailauth wants it: colon-separated, From first and always there (RFC 6376 §5.4). */
export function headerList(headers: readonly string[] | undefined): string {
  const list = (headers && headers.length > 0 ? headers : DEFAULT_DKIM_HEADERS).map((h) => h.trim()).filter((h) => /^[\x21-\x39\x3b-\x7e]+$/.test(h));
  if (!list.some((h) => h.toLowerCase() === 'from')) list.unshift('From');
  return [...new Set(list)].join(':');
}

function normalised(source: MessageSource): Readable {
  return Readable.from(
    (async function* () {
      const crlf = new CrlfNormalizer();
      // Chunks are lent by the source (valid until the next one): copy before handing them on.
      for await (const chunk of source.open()) yield Buffer.from(crlf.push(chunk));
      yield Buffer.from(crlf.end());
    })(),
    { objectMode: false },
  );
}

export async function signSource(source: MessageSource, req: DkimRequest, privateKey: string, now: Date = new Date()): Promise<Result<DkimSigned>> {
  const read = readDkimKey(privateKey, req.algorithm);
  if (!read.ok) return read;
  let signatures: string;
  try {
    const r = await dkimSign(normalised(source) as unknown as Buffer, {
      signatureData: [{ signingDomain: req.domain, selector: req.selector, privateKey: read.value.key.export({ format: 'pem', type: 'pkcs8' }).toString(), algorithm: read.value.algorithm, canonicalization: req.canonicalization ?? 'relaxed/relaxed' }],
      headerList: headerList(req.headers),
      signTime: now,
    });
    const problem = r.errors[0]?.err;
    if (problem) return fail('dkim_failed', `DKIM signing failed: ${problem.message.slice(0, 200)}.`, { stage: 'dkim' });
    signatures = r.signatures;
  } catch (e) {
    return fail('dkim_failed', `DKIM signing failed: ${(e as Error).message.slice(0, 200)}.`, { stage: 'dkim' });
  }
  if (!/^DKIM-Signature:/i.test(signatures)) return fail('dkim_failed', 'DKIM signing produced no signature (the message has no header section?).', { stage: 'dkim' });
  const header = signatures.replace(/(\r\n)+$/, '') + '\r\n';
  const bytes = Buffer.from(header, 'utf8');
  return ok({
    header,
    algorithm: read.value.algorithm,
    source: {
      raw: source.raw,
      async *open() {
        yield bytes;
        yield* source.open();
      },
    },
  });
}
