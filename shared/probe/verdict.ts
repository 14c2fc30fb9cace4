/**
 * The sentence on top of the health matrix, and the egress diagnosis: can this machine reach port 25 at all,
 * and if not, is it filtered (an ISP or cloud block), refused, or intercepted (someone else answers).
 */
import type { MxReport } from '../model';
import { certNameCovers, sameOrSubdomain } from './banner';
import type { AddressProbe, DomainVerdictKind, EgressDiagnosis, MatrixRow } from './types';

function where(p: { host: string; address: string }): string {
  return `${p.host} (${p.address})`;
}

/** A probe answered by someone else: the greeting names another host and the certificate is for that host, not the MX. */
export function looksIntercepted(p: AddressProbe): boolean {
  const name = p.banner?.name;
  if (!name || name.startsWith('[') || sameOrSubdomain(name, p.host) || sameOrSubdomain(p.host, name)) return false;
  if (p.ptr?.names.some((n) => n === name)) return false;
  const leaf = p.starttls?.tls?.chain[0];
  if (!leaf) return false;
  const names = leaf.subjectAltNames.length > 0 ? leaf.subjectAltNames : [leaf.subject.replace(/^.*CN=/, '')];
  return !names.some((n) => certNameCovers(n, p.host)) && names.some((n) => certNameCovers(n, name));
}

export function diagnoseEgress(probes: AddressProbe[], port: number): EgressDiagnosis {
  const live = probes.filter((p) => !p.cancelled);
  const tried = { v4: live.filter((p) => p.family === 4).length, v6: live.filter((p) => p.family === 6).length };
  const ok = live.filter((p) => p.connect.ok && p.connect.failure !== 'reset');
  const reached = { v4: ok.filter((p) => p.family === 4).length, v6: ok.filter((p) => p.family === 6).length };
  const base = { reached, tried };
  const relayAdvice = `Send through your provider's relay instead, on port 587 (STARTTLS) or 465 (TLS): "Check a relay" probes it the same way.`;
  if (live.length === 0) return { ...base, kind: 'none', message: 'No address was probed.' };
  const foreign = ok.filter(looksIntercepted);
  if (foreign.length > 0) {
    const f = foreign[0];
    return {
      ...base,
      kind: 'intercepted',
      message: `The connection to ${where(f)} on port ${port} was answered by someone else: it greets as ${f.banner?.name} and shows a certificate for that name, not for ${f.host}. A transparent proxy (an antivirus, a corporate firewall or the ISP) sits between this machine and the internet.`,
      advice: 'What you see here is the proxy, not the real server. ' + relayAdvice,
    };
  }
  const failed = live.filter((p) => !p.connect.ok || p.connect.failure === 'reset');
  const kinds = new Set(failed.map((p) => p.connect.failure ?? 'error'));
  const counts = `IPv4 ${reached.v4} of ${tried.v4}, IPv6 ${reached.v6} of ${tried.v6}`;
  if (ok.length === live.length) return { ...base, kind: 'ok', message: `This machine reaches port ${port}: every address answered (${counts}).` };
  if (ok.length === 0) {
    if (kinds.size === 1 && kinds.has('filtered'))
      return {
        ...base,
        kind: 'filtered',
        message: `No MX host answers on port ${port} from here: every connection attempt went unanswered until its deadline (filtered, ${counts}). Packets are dropped on the way out, which is typical of an ISP or cloud provider blocking outbound port ${port}.`,
        advice: relayAdvice,
      };
    if (kinds.size === 1 && kinds.has('refused'))
      return {
        ...base,
        kind: 'refused',
        message: `Every address refused the connection on port ${port} (${counts}). Either nothing listens there, or a firewall on this side answers with a reset for them.`,
        advice: relayAdvice,
      };
  }
  const v6Dead = tried.v6 > 0 && reached.v6 === 0 && failed.filter((p) => p.family === 6).every((p) => p.connect.failure === 'unreachable');
  if (v6Dead && reached.v4 > 0)
    return { ...base, kind: 'no_ipv6', message: `IPv4 works (${reached.v4} of ${tried.v4} answered), but no IPv6 address can be reached from here: this machine has no IPv6 route. Senders with IPv6 may still reach those addresses.` };
  if (ok.length > 0)
    return { ...base, kind: 'ok', message: `This machine reaches port ${port} (${counts}); the addresses that failed are a problem of those servers, not of this network.` };
  return { ...base, kind: 'mixed', message: `No address answered on port ${port} (${counts}): ${[...kinds].join(', ')}.`, advice: relayAdvice };
}

function firstProblem(rows: MatrixRow[]): string | undefined {
  for (const r of rows) {
    const at = `${r.host} (${r.address})`;
    const c = r.cells;
    if (c.connect.verdict === 'fail') {
      const t = c.connect.text;
      if (t === 'refused') return `${at} refuses connections on port ${r.port}; senders skip it and try the next host`;
      if (t.startsWith('filtered')) return `${at} does not answer on port ${r.port} (filtered); senders wait for a timeout before trying the next host, which delays mail`;
      if (t === 'unreachable') return `${at} cannot be reached from here (no route${r.family === 6 ? ' over IPv6' : ''})`;
      return `${at}: ${t}`;
    }
    if (c.banner.verdict === 'fail')
      return c.banner.text === 'no greeting'
        ? `${at} accepts the connection but sends no usable greeting (${c.banner.detail ?? 'none'})`
        : `${at} greets with "${c.banner.text}": it will not take mail from here`;
    if (c.ehlo.verdict === 'fail') return `${at} refuses EHLO`;
    if (c.starttls.verdict === 'fail')
      return c.starttls.text === 'not offered' ? `${at} does not offer STARTTLS, so mail to it travels unencrypted` : `${at} offers STARTTLS but TLS fails (${c.starttls.text}); most senders then deliver in plain text`;
    if (c.certificate.verdict === 'fail')
      return `${at} has a certificate that is ${c.certificate.text}; senders that verify (DANE, MTA-STS) will not deliver to it, most others deliver anyway`;
  }
  return undefined;
}

export function domainVerdict(domain: string, mx: MxReport | undefined, rows: MatrixRow[], port: number): { verdict: DomainVerdictKind; summary: string } {
  if (mx && mx.verdict !== 'mx' && mx.verdict !== 'implicit_mx') {
    const kind: DomainVerdictKind = mx.verdict === 'cancelled' ? 'cancelled' : mx.verdict === 'dns_failure' ? 'dns_failure' : 'no_mail';
    return { verdict: kind, summary: mx.summary };
  }
  const hosts = [...new Set(rows.map((r) => r.host))];
  if (rows.length === 0) return { verdict: 'undeliverable', summary: `Mail to ${domain} cannot be delivered: no MX host has an address to connect to.` };
  const accepting = hosts.filter((h) => rows.some((r) => r.host === h && r.cells.connect.verdict === 'pass' && r.cells.banner.verdict !== 'fail' && r.cells.banner.verdict !== 'skip'));
  const good = hosts.filter((h) => rows.some((r) => r.host === h && r.cells.starttls.verdict === 'pass' && r.cells.certificate.verdict !== 'fail'));
  const problem = firstProblem(rows);
  const n = hosts.length;
  if (accepting.length === 0)
    return { verdict: 'undeliverable', summary: `Mail to ${domain} cannot be delivered from here: none of the ${n} host${n === 1 ? '' : 's'} accepts connections on port ${port}${problem ? ` (${problem})` : ''}.` };
  if (!problem && good.length === n)
    return { verdict: 'deliverable', summary: `Mail to ${domain} can be delivered from here: ${n} of ${n} host${n === 1 ? '' : 's'} accept connections on port ${port} and offer STARTTLS with a valid certificate.` };
  return {
    verdict: 'degraded',
    summary: `Mail to ${domain} can be delivered from here (${accepting.length} of ${n} host${n === 1 ? '' : 's'} accept connections on port ${port}), but ${problem ?? 'some checks gave warnings'}.`,
  };
}
