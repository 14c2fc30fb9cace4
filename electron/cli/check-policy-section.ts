// The "Policies" section of `mxdesk check DOMAIN`: DNSSEC of the MX set and of each host's addresses, DANE
// (RFC 7672), MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) per MX host, matched against the certificate chains
// the probe saw (no second connection). `--ca-file` CAs are trusted for the policy fetch too.
import { readFile } from 'node:fs/promises';
import { describeTlsa } from '../../shared/dane';
import type { PolicyReport, PolicyTone } from '../../shared/policy-model';
import { createResolver } from '../engine/resolver';
import { checkPolicy } from '../engine/policy/policy-report';
import { presentedFromProbes } from '../engine/policy/presented';
import { stsOptionsFromEnv } from '../engine/policy/sts-env';
import type { CheckSection } from './check-sections';
import { terminalSafe as clean } from './transcript';

const MARK: Record<PolicyTone, string> = { pass: 'ok  ', warn: 'WARN', fail: 'FAIL', info: '--  ' };
const mark = (t: PolicyTone | undefined): string => MARK[t ?? 'info'];

export function formatPolicyReport(r: PolicyReport): string[] {
  const lines = ['', `=== Policies for ${clean(r.domain)}${r.resolver ? ` via ${clean(r.resolver)}` : ''}`];
  if (r.mx) lines.push(`    ${mark(r.mx.tone)} MX set DNSSEC ${r.mxStatus}: ${clean(r.mx.verdict)} (${r.mx.rfc})`);
  else lines.push(`    MX set DNSSEC: ${r.mxStatus}`);
  const p = r.mtaSts.policy;
  lines.push(`    ${mark(r.mtaSts.tone)} MTA-STS: ${clean(r.mtaSts.verdict)} (${r.mtaSts.rfc})`);
  if (p) lines.push(`           id ${clean(r.mtaSts.id ?? '?')}, mode ${p.mode}, max_age ${p.maxAge} s, mx ${p.mx.slice(0, 20).map(clean).join(', ') || '(none)'}${p.mx.length > 20 ? ` and ${p.mx.length - 20} more` : ''}`);
  lines.push(`    ${mark(r.tlsRpt.tone)} TLS-RPT: ${clean(r.tlsRpt.verdict)} (${r.tlsRpt.rfc})`);
  for (const h of r.hosts) {
    const addr = h.addressDnssec ? ['A', 'AAAA'].map((t) => `${t} ${h.addressDnssec?.[t as 'A' | 'AAAA'] ?? '-'}`).join(', ') : 'addresses -';
    lines.push(`--- ${h.priority} ${clean(h.host)}  addresses: ${addr}; TLSA ${h.tlsaStatus}, ${h.tlsa.length} record(s)`);
    for (const t of h.tlsa.slice(0, 8)) lines.push(`           TLSA ${clean(describeTlsa(t))} ${clean(t.data.slice(0, 64))}${t.data.length > 64 ? '…' : ''}`);
    lines.push(`      ${mark(h.dane.tone)} DANE         ${clean(h.dane.verdict)} (${h.dane.rfc})`);
    if (h.mtaSts) lines.push(`      ${mark(h.mtaSts.tone)} MTA-STS      ${clean(h.mtaSts.verdict)} (${h.mtaSts.rfc})`);
  }
  return lines;
}

/** A host a DANE or MTA-STS-enforcing MTA would not deliver to fails the check. */
export function policyFails(r: PolicyReport): boolean {
  return r.mx?.tone === 'fail' || r.hosts.some((h) => h.dane.tone === 'fail' || (r.mtaSts.policy?.mode === 'enforce' && h.mtaSts?.tone === 'fail'));
}

async function readCas(files: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const f of files) out.push(await readFile(f, 'utf8').catch(() => ''));
  return out.filter((c) => c !== '');
}

export const policySection: CheckSection = {
  id: 'policies',
  async run({ report, args, signal }) {
    const timeoutMs = args.timeoutMs ?? 5000;
    const seen = presentedFromProbes(report.probes);
    const sts = { ...stsOptionsFromEnv(process.env, await readCas(args.caFiles ?? [])), timeoutMs };
    const r = { ...(await checkPolicy(createResolver(args.dns, timeoutMs), report.domain, { ...seen, sts, probedPort: report.port, signal })), certificatesFrom: 'health-check' as const };
    return { lines: formatPolicyReport(r), json: r, failed: policyFails(r) };
  },
};
