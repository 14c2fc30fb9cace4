// The "Sender" section of `mxdesk check DOMAIN --from ADDR [--ip ADDR]`: SPF of the sender's domain for the
// outgoing address (typed, or found from the route to DOMAIN's mail host) and DMARC of the From domain.
import { senderReportLines } from '../../shared/sender-auth/format-tree';
import { parseSenderCheckRequest } from '../../shared/sender-auth/validate';
import { checkSender } from '../engine/sender-auth/sender-check';
import type { CheckSection } from './check-sections';
import { terminalSafe as clean } from './transcript';

export const senderSection: CheckSection = {
  id: 'sender',
  async run({ report, args, signal }) {
    if (!args.sender) return undefined;
    const req = parseSenderCheckRequest({
      mailFrom: args.sender.from,
      ip: args.sender.ip,
      helo: args.sender.helo,
      dkimDomain: args.sender.dkimDomain,
      dkimSelector: args.sender.dkimSelector,
      target: args.sender.ip ? undefined : report.domain,
      resolver: args.dns,
      timeoutMs: args.timeoutMs,
    });
    if (!req.ok) return { lines: ['', `=== Sender: ${clean(req.error.message)}`], json: { error: req.error }, failed: true };
    const r = await checkSender(req.value, { signal });
    if (!r.ok) return { lines: ['', `=== Sender: ${clean(r.error.message)}`], json: { error: r.error }, failed: true };
    return { lines: ['', ...senderReportLines(r.value).map(clean)], json: r.value, failed: !r.value.passes };
  },
};
