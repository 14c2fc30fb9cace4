// DNS messages on the wire, through dns-packet: the query MX Desk sends and the reading of a response into
// a DnsAnswer. No sockets here; transport.ts moves the bytes.
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket } from 'dns-packet';
import type { DnsAnswer, DnsRecordType, RecordOf } from '../../../shared/dns-types';
import { DnsError } from './dns-error';

/** RFC 6891 §6.2.5 and the DNS flag day 2020 figure: large enough for signed answers, small enough not to fragment. */
export const EDNS_UDP_SIZE = 1232;
/** Records kept from one answer section; a hostile response with thousands more is cut here. */
export const MAX_RECORDS = 512;
/** CNAME hops followed inside one answer before giving up (a loop or a very long chain). */
export const MAX_CNAME_HOPS = 8;

/** The bare, lower-case form of a DNS name: no trailing dot; the root is ''. */
export function bareName(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}

/** Refuses names DNS cannot carry, before anything is sent (RFC 1035 §2.3.4). */
export function checkQueryName(name: string): void {
  const bare = name.replace(/\.$/, '');
  if (/[^\x21-\x7e]/.test(bare)) throw new DnsError('EBADNAME', `${name}: a DNS name on the wire must be ASCII (an A-label)`);
  if (bare.length > 253) throw new DnsError('EBADNAME', `${bare.slice(0, 40)}…: the name is longer than 253 characters`);
  if (bare !== '' && bare.split('.').some((l) => l.length === 0 || l.length > 63)) {
    throw new DnsError('EBADNAME', `${name}: every label must have 1 to 63 characters`);
  }
}

export interface QuerySpec {
  id: number;
  name: string;
  type: DnsRecordType | 'DNSKEY';
  /** Checking disabled (RFC 4035 §3.2.2): the resolver returns data even when validation fails. */
  cd?: boolean;
}

/** A recursive query with EDNS0 and the DO bit set (RFC 3225 §3), so a validating resolver reports AD. */
export function encodeQuery(q: QuerySpec): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: q.id,
    flags: dnsPacket.RECURSION_DESIRED | (q.cd ? dnsPacket.CHECKING_DISABLED : 0),
    questions: [{ type: q.type, class: 'IN', name: q.name === '' ? '.' : q.name }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_UDP_SIZE, extendedRcode: 0, ednsVersion: 0, flags: dnsPacket.DNSSEC_OK, flag_do: true, options: [] }],
  });
}

/**
 * True when `buf` is a response to `q`: same id, QR set, one question with the same name (compared without
 * case, RFC 4343), type and class (RFC 5452 §9.1). Anything else is ignored as spoofed or stray.
 */
export function matchesQuery(buf: Buffer, q: QuerySpec): boolean {
  if (buf.length < 12) return false;
  if (buf.readUInt16BE(0) !== q.id || (buf[2] & 0x80) === 0 || buf.readUInt16BE(4) !== 1) return false;
  // The question sits right after the header, so it cannot use a compression pointer (RFC 1035 §4.1.4).
  const labels: string[] = [];
  let at = 12;
  for (let n = 0; n < 128; n++) {
    if (at >= buf.length) return false;
    const len = buf[at];
    if (len === 0) break;
    if (len > 63 || at + 1 + len > buf.length) return false;
    labels.push(buf.toString('latin1', at + 1, at + 1 + len));
    at += 1 + len;
  }
  if (buf[at] !== 0) return false;
  at += 1;
  if (at + 4 > buf.length) return false;
  const type = buf.readUInt16BE(at);
  const klass = buf.readUInt16BE(at + 2);
  return bareName(labels.join('.')) === bareName(q.name) && type === typeCode(q.type) && klass === 1;
}

const TYPE_CODES: Record<QuerySpec['type'], number> = { A: 1, CNAME: 5, PTR: 12, MX: 15, TXT: 16, AAAA: 28, TLSA: 52, DNSKEY: 48 };
function typeCode(type: QuerySpec['type']): number {
  return TYPE_CODES[type];
}

/** True when the TC bit is set: the whole answer did not fit, ask again over TCP (RFC 7766 §5). */
export function isTruncated(buf: Buffer): boolean {
  return buf.length >= 4 && (buf[2] & 0x02) !== 0;
}

export interface Decoded {
  packet: DecodedPacket;
  rcode: number;
}

export function decodeResponse(buf: Buffer, what: string): Decoded {
  let packet: DecodedPacket;
  try {
    packet = dnsPacket.decode(buf);
  } catch (error) {
    throw new DnsError('EBADRESP', `${what}: the response could not be parsed (${(error as Error).message})`);
  }
  return { packet, rcode: (packet.flags ?? 0) & 0x0f };
}

type Rdata = Record<string, string | number>;

function rdataOf(type: DnsRecordType, a: Answer): Rdata | undefined {
  const data: unknown = (a as { data?: unknown }).data;
  switch (type) {
    case 'A':
    case 'AAAA':
      return typeof data === 'string' ? ({ address: data }) : undefined;
    case 'MX': {
      const mx = data as { preference?: unknown; exchange?: unknown };
      if (typeof mx?.preference !== 'number' || typeof mx.exchange !== 'string') return undefined;
      return { exchange: bareName(mx.exchange), priority: mx.preference };
    }
    case 'TXT': {
      // RFC 7208 §3.3: the character-strings of one record are joined without separators.
      const parts = Array.isArray(data) ? data : [data];
      const text = parts.map((p) => (Buffer.isBuffer(p) ? p.toString('utf8') : String(p))).join('');
      return { text };
    }
    case 'TLSA': {
      const t = data as { usage?: unknown; selector?: unknown; matchingType?: unknown; certificate?: unknown };
      if (typeof t?.usage !== 'number' || typeof t.selector !== 'number' || typeof t.matchingType !== 'number' || !Buffer.isBuffer(t.certificate)) return undefined;
      return { usage: t.usage, selector: t.selector, matchingType: t.matchingType, data: t.certificate.toString('hex') };
    }
    case 'PTR':
    case 'CNAME':
      return typeof data === 'string' ? ({ name: bareName(data) }) : undefined;
    default:
      return undefined;
  }
}

const RCODE_ERRORS: Record<number, [string, string]> = {
  1: ['EFORMERR', 'the resolver could not read the query (FORMERR)'],
  2: ['ESERVFAIL', 'the resolver answered SERVFAIL'],
  4: ['ENOTIMP', 'the resolver does not implement this query (NOTIMP)'],
  5: ['EREFUSED', 'the resolver refused the query (REFUSED)'],
};

/**
 * Reads a response into a DnsAnswer, following the CNAME chain inside the answer section. Rejects (throws
 * DnsError) on an error rcode, NXDOMAIN (ENOTFOUND) and NOERROR without records of the type (ENODATA).
 */
export function answerOf<T extends DnsRecordType>(d: Decoded, name: string, type: T, meta: { ms: number; viaTcp: boolean }): DnsAnswer<T> {
  const what = `${type} ${name}`;
  const authenticated = d.packet.flag_ad;
  if (d.rcode === 3) throw new DnsError('ENOTFOUND', `${what}: the name does not exist (NXDOMAIN)`, authenticated);
  const known = RCODE_ERRORS[d.rcode];
  if (known) throw new DnsError(known[0], `${what}: ${known[1]}`);
  if (d.rcode !== 0) throw new DnsError('EBADRESP', `${what}: the resolver answered with rcode ${d.rcode}`);

  const answers = (d.packet.answers ?? []).slice(0, MAX_RECORDS * 4);
  const cnames: string[] = [];
  let owner = bareName(name);
  for (let hop = 0; ; hop++) {
    const here = answers.filter((a) => bareName(a.name) === owner);
    const records = here
      .filter((a) => a.type === type && (a as { class?: string }).class !== 'CH')
      .slice(0, MAX_RECORDS)
      .flatMap((a) => {
        const r = rdataOf(type, a);
        return r ? [{ ...r, ttl: (a as { ttl?: number }).ttl ?? 0 } as unknown as RecordOf[T]] : [];
      });
    if (records.length > 0) {
      const ttl = Math.min(...records.map((r) => r.ttl ?? 0));
      return { name: bareName(name), type, records, ttl, authenticated, cnames, ms: meta.ms, viaTcp: meta.viaTcp };
    }
    const cname = type === 'CNAME' ? undefined : here.find((a) => a.type === 'CNAME');
    if (!cname || typeof (cname as { data?: unknown }).data !== 'string') break;
    if (hop >= MAX_CNAME_HOPS) throw new DnsError('EBADRESP', `${what}: more than ${MAX_CNAME_HOPS} CNAMEs in a row (a loop?)`);
    owner = bareName((cname as { data: string }).data);
    cnames.push(owner);
  }
  throw new DnsError('ENODATA', `${what}: the name exists but has no ${type} record`, authenticated);
}
