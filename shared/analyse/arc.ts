import { parseAuthResults } from './auth-results';
import type { HeaderField } from './header-block';
import { shown } from './header-block';
import type { ArcChain, ArcSet } from './types';

/** RFC 6376 §3.2 tag-list: `tag=value; tag=value`, whitespace around both ignored. */
export function parseTagList(value: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of value.slice(0, 8000).split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    if (!tags.has(name) && tags.size < 40) tags.set(name, part.slice(eq + 1).replace(/\s+/g, ' ').trim());
  }
  return tags;
}

function instanceOf(value: string): number | undefined {
  const m = /^\s*i\s*=\s*(\d{1,3})\s*(?:;|$)/.exec(value) ?? /(?:^|;)\s*i\s*=\s*(\d{1,3})\s*(?:;|$)/.exec(value);
  return m ? Number(m[1]) : undefined;
}

/**
 * The ARC sets (RFC 8617 §4.1): each instance i has one ARC-Seal, one ARC-Message-Signature and one
 * ARC-Authentication-Results. Read as the headers claim; the seals are not re-verified here.
 */
export function readArcChain(fields: HeaderField[], maxHeaders: number): ArcChain {
  const sets = new Map<number, ArcSet & { seen: Set<string> }>();
  const problems: string[] = [];
  let read = 0;
  for (const f of fields) {
    const name = f.name.toLowerCase();
    if (name !== 'arc-seal' && name !== 'arc-message-signature' && name !== 'arc-authentication-results') continue;
    if (++read > maxHeaders) break;
    const i = instanceOf(f.value);
    // RFC 8617 §4.2.1: instance values are 1 to 50.
    if (i === undefined || i < 1 || i > 50) {
      problems.push(`An ${f.name} header has no valid instance tag i= (RFC 8617 §4.2.1 wants 1 to 50).`);
      continue;
    }
    const set = sets.get(i) ?? { instance: i, problems: [], seen: new Set<string>() };
    sets.set(i, set);
    if (set.seen.has(name)) set.problems.push(`Instance ${i} has more than one ${f.name} (RFC 8617 §5.1.1: the chain is then invalid).`);
    set.seen.add(name);
    if (name === 'arc-authentication-results') {
      const afterI = f.value.replace(/^\s*i\s*=\s*\d+\s*;/, '');
      set.authResults = parseAuthResults(afterI, `ARC-Authentication-Results i=${i}`);
    } else {
      const tags = parseTagList(f.value);
      if (name === 'arc-seal') {
        set.chainValidation = tags.get('cv') === undefined ? undefined : shown(tags.get('cv')!.toLowerCase(), 20);
        set.sealDomain = tags.get('d') === undefined ? undefined : shown(tags.get('d')!, 200);
        set.selector = tags.get('s') === undefined ? undefined : shown(tags.get('s')!, 200);
      } else {
        set.signatureDomain = tags.get('d') === undefined ? undefined : shown(tags.get('d')!, 200);
      }
    }
  }
  const ordered = [...sets.values()].sort((a, b) => a.instance - b.instance);
  ordered.forEach((set, idx) => {
    for (const part of ['arc-seal', 'arc-message-signature', 'arc-authentication-results']) {
      if (!set.seen.has(part)) set.problems.push(`Instance ${set.instance} has no ${part.replace(/(^|-)(\w)/g, (m) => m.toUpperCase())}.`);
    }
    if (set.instance !== idx + 1) set.problems.push(`Instance ${idx + 1} is missing before ${set.instance} (RFC 8617 §5.1.1).`);
    // RFC 8617 §5.1.1: the first seal says cv=none, every later one cv=pass.
    const want = set.instance === 1 ? 'none' : 'pass';
    if (set.chainValidation !== undefined && set.chainValidation !== want) {
      set.problems.push(`Instance ${set.instance} says cv=${set.chainValidation}; a valid chain has cv=${want} here.`);
    }
  });
  const out: ArcSet[] = ordered.map(({ seen: _seen, ...rest }) => rest);
  if (out.length === 0) {
    return { sets: [], claimed: 'none', explanation: problems[0] ?? 'No ARC headers: no forwarder vouched for earlier authentication results.' };
  }
  const broken = out.some((s) => s.problems.length > 0) || problems.length > 0;
  const last = out[out.length - 1];
  const claimed = broken || last.chainValidation === 'fail' ? 'fail' : 'pass';
  const sealers = out.map((s) => s.sealDomain ?? '?').join(' → ');
  const explanation =
    claimed === 'pass'
      ? `${out.length} ARC set${out.length === 1 ? '' : 's'} (${sealers}): each forwarder recorded what it saw and sealed it; the chain is complete as written. A receiver that trusts these sealers may use their results when SPF or DKIM broke in forwarding.`
      : `The ARC chain (${sealers}) is broken as written: ${[...problems, ...out.flatMap((s) => s.problems)][0] ?? 'the last seal says cv=fail.'} Receivers ignore it (RFC 8617 §5.2).`;
  return { sets: out, claimed, explanation };
}
