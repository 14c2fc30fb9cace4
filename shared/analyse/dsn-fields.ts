/**
 * The fields of a message/delivery-status body (RFC 3464 §2.1–2.3): one group of per-message fields
 * (Reporting-MTA, Arrival-Date …), then one group per recipient (Final-Recipient, Action, Status,
 * Remote-MTA, Diagnostic-Code …), groups separated by empty lines. Names are case-insensitive.
 */
export interface DsnFields {
  perMessage: Map<string, string>;
  recipients: Map<string, string>[];
}

const MAX_GROUPS = 200;

function readGroup(lines: string[]): Map<string, string> {
  const fields = new Map<string, string>();
  let last: string | undefined;
  for (const line of lines) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      fields.set(last, `${fields.get(last) ?? ''} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!/^[a-z0-9-]+$/.test(name)) continue;
    last = name;
    // A repeated field keeps its first value: RFC 3464 allows each one once per group.
    if (!fields.has(name)) fields.set(name, line.slice(colon + 1).trim());
  }
  return fields;
}

export function parseDsnFields(text: string): DsnFields {
  const groups = text
    .slice(0, 512 * 1024)
    .split(/\r?\n(?:[ \t]*\r?\n)+/)
    .map((g) => g.split(/\r?\n/))
    .filter((g) => g.some((l) => l.trim() !== ''))
    .slice(0, MAX_GROUPS)
    .map(readGroup);
  const perMessage = groups[0] ?? new Map<string, string>();
  const recipients = groups.slice(1).filter((g) => g.has('final-recipient') || g.has('original-recipient') || g.has('action') || g.has('status'));
  // Some writers put the first recipient right after the per-message fields with no empty line.
  if (recipients.length === 0 && (perMessage.has('final-recipient') || perMessage.has('status'))) recipients.push(perMessage);
  return { perMessage, recipients };
}

/** `rfc822; user@example.com` → `user@example.com`; `dns; mx.example.com` → `mx.example.com` (RFC 3464 §2.1.2). */
export function typedValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const semi = value.indexOf(';');
  const v = (semi >= 0 && semi < 20 ? value.slice(semi + 1) : value).trim();
  return v === '' ? undefined : v;
}
