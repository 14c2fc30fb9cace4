import { readArcChain } from '../../../shared/analyse/arc';
import { parseAuthResults } from '../../../shared/analyse/auth-results';
import { looksLikeBounce, readBounce } from '../../../shared/analyse/bounce';
import { headerValues, readHeaderBlock, shown } from '../../../shared/analyse/header-block';
import { buildTimeline } from '../../../shared/analyse/hops';
import type { AnalyseRequest, DkimReport, MessageAnalysis } from '../../../shared/analyse/types';
import { ANALYSE_LIMITS } from '../../../shared/analyse/types';
import { createResolver, type DnsResolver } from '../resolver';
import { verifyDkim } from './dkim-verify';
import { bounceParts } from './mime-parts';

export interface AnalyseDeps {
  /** `host[:port]` when the request names no resolver; undefined = the system's. */
  defaultResolver?: string;
  createResolver?: (server: string | undefined, timeoutMs: number) => DnsResolver;
  now?: () => number;
  /** Per DNS query (default 2000 ms) and for the whole DKIM check (default 8000 ms). */
  dnsTimeoutMs?: number;
  dkimTimeoutMs?: number;
  mimeTimeoutMs?: number;
}

function mib(n: number): string {
  return `${Math.round((n / (1024 * 1024)) * 10) / 10} MiB`;
}

async function dkimOf(text: string, hasBody: boolean, cut: boolean, signatures: number, arcSets: number, req: AnalyseRequest, deps: AnalyseDeps, now: number): Promise<DkimReport> {
  const server = req.resolver ?? deps.defaultResolver;
  const label = server ?? 'system resolver';
  if (signatures === 0 && arcSets === 0) return { checks: [], note: 'The message has no DKIM signature.', resolver: label };
  const found = signatures > 0 ? `${signatures} DKIM signature${signatures === 1 ? '' : 's'}` : `${arcSets} ARC set${arcSets === 1 ? '' : 's'}`;
  if (!hasBody) return { checks: [], note: `${found} found, but only headers were given: verifying needs the whole message, body included.`, resolver: label };
  if (cut) return { checks: [], note: 'The message was cut to fit the size limit, so its body hash cannot match: DKIM was not verified.', resolver: label };
  if (signatures > ANALYSE_LIMITS.maxDkimSignatures) {
    return { checks: [], note: `${signatures} DKIM signatures: more than ${ANALYSE_LIMITS.maxDkimSignatures}, so none were verified (each one costs DNS questions).`, resolver: label };
  }
  const resolver = (deps.createResolver ?? createResolver)(server, deps.dnsTimeoutMs ?? 2000);
  try {
    return await verifyDkim(text, { resolver, timeoutMs: deps.dkimTimeoutMs ?? 8000, now: new Date(now) });
  } finally {
    resolver.cancel();
  }
}

/**
 * Analyses a pasted message, header section or bounce: the Received: timeline, Authentication-Results and
 * ARC, DKIM verified again, and the bounce read as RFC 3464 or a known text format. Hostile input is bounded:
 * every stage reads at most what ANALYSE_LIMITS says and the answer says what was cut. Never throws.
 */
export async function analyseMessage(req: AnalyseRequest, deps: AnalyseDeps = {}): Promise<MessageAnalysis> {
  const t0 = performance.now();
  const now = (deps.now ?? Date.now)();
  const cut: string[] = [];
  const original = Math.max(req.originalChars ?? 0, req.text.length);
  let text = req.text;
  if (text.length > ANALYSE_LIMITS.maxInputChars) text = text.slice(0, ANALYSE_LIMITS.maxInputChars);
  const wasCut = original > text.length;
  if (wasCut) cut.push(`The input is ${mib(original)}; only the first ${mib(text.length)} were read.`);
  const block = readHeaderBlock(text);
  cut.push(...block.cut);
  const warnings = [...block.warnings];
  const first = (name: string): string | undefined => {
    const v = headerValues(block.fields, name)[0];
    return v === undefined ? undefined : shown(v, 300);
  };
  const timeline = buildTimeline({ received: headerValues(block.fields, 'received'), dateHeader: headerValues(block.fields, 'date')[0], now });
  const authValues = headerValues(block.fields, 'authentication-results');
  if (authValues.length > ANALYSE_LIMITS.maxAuthHeaders) cut.push(`Read the first ${ANALYSE_LIMITS.maxAuthHeaders} of ${authValues.length} Authentication-Results headers.`);
  const authResults = authValues.slice(0, ANALYSE_LIMITS.maxAuthHeaders).map((v) => parseAuthResults(v));
  const arc = readArcChain(block.fields, ANALYSE_LIMITS.maxAuthHeaders * 3);
  const signatures = headerValues(block.fields, 'dkim-signature').length;

  let bounce: MessageAnalysis['bounce'];
  const bodyPeek = text.slice(block.bodyStart, block.bodyStart + 64 * 1024);
  if (looksLikeBounce(block.fields, bodyPeek)) {
    const mimeText = text.length > ANALYSE_LIMITS.maxMimeChars ? text.slice(0, ANALYSE_LIMITS.maxMimeChars) : text;
    if (mimeText.length < text.length) cut.push(`The bounce's MIME parts were read from the first ${mib(mimeText.length)} only.`);
    const { parts, warnings: mimeWarnings } = await bounceParts(mimeText, block.fields, deps.mimeTimeoutMs ?? 5000);
    warnings.push(...mimeWarnings);
    bounce = readBounce(parts);
  }
  const dkim = await dkimOf(text, block.hasBody, wasCut, signatures, arc.sets.length, req, deps, now);
  if (dkim.arc) arc.verified = dkim.arc;
  return {
    kind: bounce ? 'bounce' : block.hasBody ? 'message' : 'headers',
    summary: { from: first('from'), to: first('to'), subject: first('subject'), date: first('date'), messageId: first('message-id') },
    timeline,
    authResults,
    arc,
    dkim,
    bounce,
    cut: [...cut, ...timeline.notes.filter((n) => n.startsWith('Only the newest'))],
    warnings,
    inputChars: original,
    elapsedMs: Math.round(performance.now() - t0),
  };
}
