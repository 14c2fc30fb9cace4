// The sections of a `mxdesk check DOMAIN` report after the MX health matrix. Each section is one entry in
// CHECK_SECTIONS: it gets the probe report (with the peer certificate chains) and prints its own lines and
// its JSON; `failed` turns the exit code to 1. Policies (DANE, MTA-STS) and the sender domain (SPF, DMARC)
// are added here, one line each.
import type { ProbeReport } from '../../shared/probe/types';
import type { CheckArgs } from './check-args';
import { policySection } from './check-policy-section';
import { senderSection } from './sender-check-section';

export interface CheckSectionContext {
  report: ProbeReport;
  args: CheckArgs;
  signal: AbortSignal;
}

export interface CheckSectionOutput {
  lines: string[];
  json: unknown;
  failed?: boolean;
}

export interface CheckSection {
  /** Key of the section in the JSON output. */
  id: string;
  run(ctx: CheckSectionContext): Promise<CheckSectionOutput | undefined>;
}

export const CHECK_SECTIONS: CheckSection[] = [policySection, senderSection];
