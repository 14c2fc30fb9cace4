/** Validates a sender check request from the form, IPC, web mode or the CLI (same rules everywhere). */
import type { Result } from '../result';
import { fail, ok } from '../result';
import { isIpLiteral as isIpAddress } from '../ip-address';
import { validateMailbox } from '../validate/address';
import { validateHeloName, validateHostPort } from '../validate/fields';
import { MAX_DNS_TIMEOUT_MS, MIN_DNS_TIMEOUT_MS } from '../validate/mx-request';
import { isRecord } from '../validate/shape';
import type { SenderCheckRequest } from './types';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

export function parseSenderCheckRequest(input: unknown): Result<SenderCheckRequest> {
  if (!isRecord(input)) return fail('invalid_input', 'Expected a sender check request.');
  const mailFrom = validateMailbox(typeof input.mailFrom === 'string' ? input.mailFrom : '', { label: 'MAIL FROM' });
  if (!mailFrom.ok) return fail('invalid_input', mailFrom.message, { field: 'mailFrom' });
  const req: SenderCheckRequest = { mailFrom: `${mailFrom.value.localPart}@${mailFrom.value.domainAscii}` };
  const from = str(input.from);
  if (from !== undefined) {
    const f = validateMailbox(from, { label: 'From' });
    if (!f.ok) return fail('invalid_input', f.message, { field: 'from' });
    req.from = `${f.value.localPart}@${f.value.domainAscii}`;
  }
  const ip = str(input.ip)?.replace(/^\[(IPv6:)?/i, '').replace(/\]$/, '');
  if (ip !== undefined) {
    if (!isIpAddress(ip)) return fail('invalid_input', `The outgoing address ${ip.slice(0, 60)} is not an IPv4 or IPv6 address.`, { field: 'ip' });
    req.ip = ip;
  }
  const target = str(input.target);
  if (target !== undefined) {
    const t = isIpAddress(target) ? undefined : validateHostPort(target, 'The target');
    if (t && !t.ok) return fail('invalid_input', t.message, { field: 'target' });
    req.target = t && t.ok ? t.value.host : target;
  }
  if (req.ip === undefined && req.target === undefined) return fail('invalid_input', 'Give the outgoing address to check, or a target to find it from.', { field: 'ip' });
  const helo = str(input.helo);
  if (helo !== undefined) {
    const h = validateHeloName(helo);
    if (!h.ok) return fail('invalid_input', h.message, { field: 'helo' });
    req.helo = h.value;
  }
  const dkimDomain = str(input.dkimDomain);
  if (dkimDomain !== undefined) {
    const d = validateMailbox(`x@${dkimDomain}`, { label: 'The DKIM domain' });
    if (!d.ok) return fail('invalid_input', d.message, { field: 'dkimDomain' });
    req.dkimDomain = d.value.domainAscii.toLowerCase();
  }
  const selector = str(input.dkimSelector);
  if (selector !== undefined) {
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,198}[A-Za-z0-9])?$/.test(selector)) return fail('invalid_input', 'The DKIM selector must be letters, digits, hyphens and dots (RFC 6376 §3.1).', { field: 'dkimSelector' });
    req.dkimSelector = selector;
  }
  const resolver = str(input.resolver);
  if (resolver !== undefined) {
    const r = validateHostPort(resolver, 'The resolver');
    if (!r.ok || !isIpAddress(r.value.host)) return fail('invalid_input', 'The resolver must be an IP address, optionally with :port.', { field: 'resolver' });
    req.resolver = resolver;
  }
  if (input.timeoutMs !== undefined) {
    const t = input.timeoutMs;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < MIN_DNS_TIMEOUT_MS || t > MAX_DNS_TIMEOUT_MS) {
      return fail('invalid_input', `The DNS timeout must be a whole number of ms from ${MIN_DNS_TIMEOUT_MS} to ${MAX_DNS_TIMEOUT_MS}.`, { field: 'timeoutMs' });
    }
    req.timeoutMs = t;
  }
  return ok(req);
}
