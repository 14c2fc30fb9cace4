// The HAProxy PROXY protocol header (haproxy.org doc/proxy-protocol.txt), sent first on the connection so that
// an MTA behind a load balancer learns the original client. v1 is one text line; v2 is binary, starting with
// the 12-byte signature.
import { isIP } from 'node:net';

/** proxy-protocol.txt §2.2: the v2 signature "\r\n\r\n\0\r\nQUIT\n". */
export const PROXY_V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

export interface ProxyEndpoint {
  address: string;
  port: number;
}

function unmapped(a: string): string {
  return a.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
}

/** Brings both ends into one family (§2.1: "TCP4" or "TCP6"); an IPv4 end is mapped when the other is IPv6. */
export function sameFamily(src: ProxyEndpoint, dst: ProxyEndpoint): { family: 4 | 6; src: ProxyEndpoint; dst: ProxyEndpoint } | undefined {
  const s = { ...src, address: unmapped(src.address) };
  const d = { ...dst, address: unmapped(dst.address) };
  const fs = isIP(s.address);
  const fd = isIP(d.address);
  if (fs === 0 || fd === 0) return undefined;
  if (fs === fd) return { family: fs as 4 | 6, src: s, dst: d };
  const map = (e: ProxyEndpoint): ProxyEndpoint => (isIP(e.address) === 4 ? { ...e, address: `::ffff:${e.address}` } : e);
  return { family: 6, src: map(s), dst: map(d) };
}

function ipv6Bytes(address: string): Buffer {
  let a = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (v4) {
    const p = v4[1].split('.').map(Number);
    a = a.slice(0, -v4[1].length) + `${((p[0] << 8) | p[1]).toString(16)}:${((p[2] << 8) | p[3]).toString(16)}`;
  }
  const [head, tail] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g || '0', 16), i * 2));
  return out;
}

function ipv4Bytes(address: string): Buffer {
  return Buffer.from(address.split('.').map(Number));
}

/** v1 (§2.1): `PROXY TCP4 src dst sport dport\r\n`; `PROXY UNKNOWN\r\n` when the ends are not IP (a UNIX socket). */
export function proxyHeaderV1(src: ProxyEndpoint | undefined, dst: ProxyEndpoint | undefined): Buffer {
  const f = src && dst ? sameFamily(src, dst) : undefined;
  if (!f) return Buffer.from('PROXY UNKNOWN\r\n', 'latin1');
  return Buffer.from(`PROXY TCP${f.family} ${f.src.address} ${f.dst.address} ${f.src.port} ${f.dst.port}\r\n`, 'latin1');
}

/** v2 (§2.2): signature, version 2 + PROXY command, TCP over IPv4/IPv6, length, then the address block. */
export function proxyHeaderV2(src: ProxyEndpoint | undefined, dst: ProxyEndpoint | undefined): Buffer {
  const f = src && dst ? sameFamily(src, dst) : undefined;
  if (!f) {
    // LOCAL command, AF_UNSPEC, no addresses: the receiver uses the real connection's ends.
    return Buffer.concat([PROXY_V2_SIGNATURE, Buffer.from([0x20, 0x00, 0x00, 0x00])]);
  }
  const addr = f.family === 4 ? [ipv4Bytes(f.src.address), ipv4Bytes(f.dst.address)] : [ipv6Bytes(f.src.address), ipv6Bytes(f.dst.address)];
  const ports = Buffer.alloc(4);
  ports.writeUInt16BE(f.src.port, 0);
  ports.writeUInt16BE(f.dst.port, 2);
  const block = Buffer.concat([...addr, ports]);
  const head = Buffer.from([0x21, f.family === 4 ? 0x11 : 0x21, 0, 0]);
  head.writeUInt16BE(block.length, 2);
  return Buffer.concat([PROXY_V2_SIGNATURE, head, block]);
}

export function proxyHeader(version: 'v1' | 'v2', src: ProxyEndpoint | undefined, dst: ProxyEndpoint | undefined): Buffer {
  return version === 'v1' ? proxyHeaderV1(src, dst) : proxyHeaderV2(src, dst);
}
