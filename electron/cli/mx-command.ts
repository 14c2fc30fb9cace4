// `mxdesk mx DOMAIN [--dns HOST[:PORT]] [--json]`: the MX inspector in a terminal, on the same lookupMx the
// app uses. Human output lists hosts in delivery order with their addresses and warnings; --json prints one
// line per DNS query and then the whole report.
import type { DnsQueryStat, MxReport } from '../../shared/model';
import { lookupMx } from '../engine/mx-lookup';
import type { MxArgs } from './args';
import { terminalSafe as safe } from './transcript';
import type { CliIo } from './io';
import { EXIT } from './io';

const USABLE = new Set(['mx', 'implicit_mx']);

function formatReport(r: MxReport): string[] {
  const name = r.domainUnicode !== r.domain ? `${safe(r.domainUnicode)} (${safe(r.domain)})` : safe(r.domain);
  const out = [`=== MX for ${name} via ${safe(r.resolver)}: ${r.roundTrips} round trip(s), ${r.elapsedMs.toFixed(1)} ms`];
  out.push(`${USABLE.has(r.verdict) ? '===' : '<**'} ${r.verdict}: ${safe(r.summary)}`);
  if (r.dnssec) out.push(`${r.dnssec.mx === 'bogus' ? '<**' : '==='} DNSSEC ${r.dnssec.mx}${r.mxTtl !== undefined ? `, MX ttl ${r.mxTtl}` : ''}: ${safe(r.dnssec.note)}`);
  for (const h of r.hosts) {
    const host = h.exchangeUnicode !== h.exchange ? `${safe(h.exchangeUnicode)} (${safe(h.exchange)})` : safe(h.exchange);
    out.push(`  ${String(h.preference).padStart(5)}  ${host}${h.implicit ? '  [implicit MX]' : ''}${h.ttl !== undefined ? `  ttl ${h.ttl}` : ''}`);
    for (const a of h.addresses) {
      const dnssec = h.addressDnssec?.[a.family === 4 ? 'A' : 'AAAA'];
      out.push(`         IPv${a.family} ${safe(a.address)}${a.ttl !== undefined ? `  ttl ${a.ttl}` : ''}${dnssec ? `  dnssec ${dnssec}` : ''}${a.flags.length ? `  [${a.flags.join(', ')}]` : ''}`);
    }
    for (const w of h.warnings) out.push(`         warning: ${w.replace(/_/g, ' ')}`);
  }
  return out;
}

function queryEvent(q: DnsQueryStat) {
  return { kind: 'dns', query: q };
}

export async function runMxCommand(args: MxArgs, io: CliIo): Promise<number> {
  const controller = new AbortController();
  const stopOnSigint = () => controller.abort();
  io.onInterrupt(stopOnSigint);
  try {
    const result = await lookupMx(
      { query: args.domain, resolver: args.dns },
      {
        signal: controller.signal,
        onQuery: (q) => {
          if (args.json) io.out(JSON.stringify(queryEvent(q)));
        },
      },
    );
    if (!result.ok) {
      io.err(`mxdesk: ${result.error.field ? `${result.error.field}: ` : ''}${safe(result.error.message)}`);
      return result.error.code === 'invalid_input' ? EXIT.badInput : EXIT.notDelivered;
    }
    const report = result.value;
    if (args.json) io.out(JSON.stringify({ kind: 'mx_report', report }));
    else for (const line of formatReport(report)) io.out(line);
    if (report.verdict === 'cancelled') return EXIT.cancelled;
    return USABLE.has(report.verdict) ? EXIT.delivered : EXIT.notDelivered;
  } finally {
    io.offInterrupt(stopOnSigint);
  }
}
