// The "Policies" section of `mxdesk check DOMAIN`: DANE (RFC 7672), MTA-STS (RFC 8461) and TLS-RPT (RFC 8460)
// per MX host, matched against the certificate chains the probe saw.
import { createResolver } from '../engine/resolver';
import { checkPolicy } from '../engine/policy/policy-report';
import { pemFromBase64Der } from '../engine/policy/dane-check';
import type { CheckSection } from './check-sections';
import { escapeForDisplay } from '../../shared/smtp/escape';

const clean = escapeForDisplay;

export const policySection: CheckSection = {
  id: 'policies',
  async run({ report, args }) {
    const chains: Record<string, string[]> = {};
    for (const p of report.probes) {
      const der = p.starttls?.tls?.chainDer;
      const host = p.host.replace(/\.$/, '');
      if (der && der.length > 0 && !chains[host]) chains[host] = der.map(pemFromBase64Der);
    }
    const r = await checkPolicy(createResolver(args.dns, args.timeoutMs ?? 5000), report.domain, { chains, sts: { timeoutMs: args.timeoutMs ?? 5000 } });
    const lines = ['', 'Policies', `  MX set DNSSEC: ${r.mxStatus}`, `  MTA-STS: ${clean(r.mtaSts.verdict)} (${r.mtaSts.rfc})`, `  TLS-RPT: ${clean(r.tlsRpt.verdict)} (${r.tlsRpt.rfc})`];
    for (const h of r.hosts) {
      lines.push(`  ${clean(h.host)}: TLSA ${h.tlsaStatus}, ${h.tlsa.length} record(s). DANE: ${clean(h.dane.verdict)} (${h.dane.rfc})`);
      if (h.mtaSts) lines.push(`    MTA-STS: ${clean(h.mtaSts.verdict)} (${h.mtaSts.rfc})`);
    }
    const failed = r.hosts.some((h) => h.dane.usability === 'host-unusable' || h.dane.matched === false || (r.mtaSts.policy?.mode === 'enforce' && h.mtaSts?.inPolicy === false));
    return { lines, json: r, failed };
  },
};
