/**
 * Pure view helpers for the MX inspector: no React, no DOM. They turn an MxReport into the words and groups
 * the inspector shows, so the rules (tie grouping, verdict wording, warning wording) are testable alone.
 */
import { describeAddressFlag, describeHostWarning, groupByPreference as groupSorted } from '../../shared/mx';
import type { AddressFlag, DnsStatus, HostWarning, MxHostView, MxReport, MxVerdict } from '../../shared/model';
import type { BadgeTone } from '../components/badge-tone';

export interface PreferenceGroup {
  preference: number;
  implicit: boolean;
  /** More than one host shares this preference: senders pick among them at random (RFC 5321 §5.1). */
  tie: boolean;
  hosts: MxHostView[];
}

/** Groups hosts of equal preference, keeping the engine's order (sorted, ties already shuffled). */
export function groupByPreference(hosts: MxHostView[]): PreferenceGroup[] {
  return groupSorted(hosts).map((g) => ({
    preference: g.preference,
    implicit: g.hosts.some((h) => h.implicit),
    tie: g.hosts.length > 1,
    hosts: g.hosts,
  }));
}

export interface VerdictView {
  tone: BadgeTone;
  headline: string;
  /** Where the rule comes from, shown small under the headline. */
  reference?: string;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function verdictView(report: Pick<MxReport, 'verdict' | 'hosts'>): VerdictView {
  const verdict: MxVerdict = report.verdict;
  switch (verdict) {
    case 'mx': {
      const n = report.hosts.length;
      const usable = report.hosts.filter((h) => h.addresses.length > 0).length;
      const warned = report.hosts.filter((h) => h.warnings.length > 0).length;
      const hosts = plural(n, 'MX host', 'MX hosts');
      if (usable === 0) {
        return { tone: 'error', headline: n === 1 ? 'No reachable mail host: the MX host has no address' : `No reachable mail host: none of the ${hosts} has an address` };
      }
      return warned > 0 ? { tone: 'warn', headline: `Accepts mail: ${hosts}, ${warned} with warnings` } : { tone: 'ok', headline: `Accepts mail: ${hosts}` };
    }
    case 'implicit_mx':
      return {
        tone: 'info',
        headline: 'Implicit MX: no MX records, the domain itself receives mail',
        reference: 'A sender treats the domain as one MX host of preference 0 and connects to its A/AAAA addresses.',
      };
    case 'null_mx':
      return {
        tone: 'error',
        headline: 'This domain accepts no mail',
        reference: 'A null MX is one MX record whose target is “.”; senders bounce mail to it at once instead of retrying.',
      };
    case 'nxdomain':
      return { tone: 'error', headline: 'Domain does not exist' };
    case 'dns_failure':
      return { tone: 'warn', headline: 'Lookup failed, try again' };
    case 'no_mail_host':
      return { tone: 'error', headline: 'No mail host: neither MX nor address records' };
    case 'cancelled':
      return { tone: 'neutral', headline: 'Lookup cancelled' };
  }
}

export interface WarningView {
  label: string;
  tone: BadgeTone;
  explanation: string;
}

/** A short badge label per warning; the explanation is the shared wording the CLI prints too. */
export function warningView(warning: HostWarning, host?: Pick<MxHostView, 'addresses'>): WarningView {
  const explanation = describeHostWarning(warning);
  switch (warning) {
    case 'no_address':
      return { label: 'No address', tone: 'error', explanation };
    case 'ip_literal':
      return { label: 'IP literal', tone: 'warn', explanation };
    case 'private_address': {
      const loopback = host?.addresses.some((a) => a.flags.includes('loopback')) ?? false;
      return { label: loopback ? 'Loopback address' : 'Private address', tone: 'warn', explanation };
    }
    case 'address_lookup_failed':
      return { label: 'Address lookup failed', tone: 'warn', explanation };
  }
}

const FLAG_LABELS: Record<AddressFlag, string> = {
  loopback: 'loopback',
  private: 'private',
  'link-local': 'link-local',
  unspecified: 'unspecified',
  documentation: 'documentation range',
  shared: 'shared (CGNAT)',
  multicast: 'multicast',
};

export function addressFlagLabel(flag: AddressFlag): string {
  return FLAG_LABELS[flag];
}

/** The flag in a sentence, for the tooltip: "a loopback address (this machine itself)". */
export function addressFlagDescription(flag: AddressFlag): string {
  return describeAddressFlag(flag);
}

const STATUS_LABELS: Record<DnsStatus, string> = {
  ok: 'answer',
  nodata: 'no records',
  nxdomain: 'NXDOMAIN',
  servfail: 'SERVFAIL',
  refused: 'refused',
  timeout: 'timeout',
  cancelled: 'cancelled',
  error: 'error',
};

export function statusLabel(status: DnsStatus): string {
  return STATUS_LABELS[status];
}

export function statusTone(status: DnsStatus): BadgeTone {
  if (status === 'ok') return 'ok';
  if (status === 'nodata' || status === 'cancelled') return 'neutral';
  if (status === 'nxdomain') return 'error';
  return 'warn';
}

/** Milliseconds as a short figure: `0.4 ms`, `12 ms`, `1.25 s`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** A TTL in seconds, as dig prints it. */
export function formatTtl(ttl: number | undefined): string {
  if (ttl === undefined || !Number.isFinite(ttl)) return '—';
  return `${ttl} s`;
}

/** A reading of a TTL for people, used as a tooltip: `5 min`, `1 d`. */
export function describeTtl(ttl: number | undefined): string | undefined {
  if (ttl === undefined || !Number.isFinite(ttl)) return undefined;
  if (ttl < 120) return `${ttl} seconds`;
  if (ttl < 7200) return `about ${Math.round(ttl / 60)} minutes`;
  if (ttl < 172800) return `about ${Math.round(ttl / 3600)} hours`;
  return `about ${Math.round(ttl / 86400)} days`;
}

/** Address flags that matter for delivery from the Internet (shown in the warning colour). */
export function isWarningFlag(flag: AddressFlag): boolean {
  return flag === 'loopback' || flag === 'private' || flag === 'link-local' || flag === 'unspecified' || flag === 'shared';
}

/** True when a name has an IDN A-label form distinct from its display form. */
export function isIdn(ascii: string, unicode: string): boolean {
  return ascii.toLowerCase() !== unicode.toLowerCase();
}

/** The resolver as people read it. */
export function resolverLabel(resolver: string): string {
  return resolver === 'system' || resolver === '' ? 'system default' : resolver;
}
