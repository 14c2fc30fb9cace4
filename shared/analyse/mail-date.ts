/**
 * RFC 5322 §3.3 date-time, including the obsolete forms of §4.3 (two-digit years, named zones), as mail
 * servers write them in Date: and Received: headers. Returns epoch milliseconds, or undefined.
 */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// RFC 5322 §4.3: obs-zone. Military single letters are treated as unknown (-0000), as the RFC advises.
const NAMED_ZONES: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0,
  EDT: -4 * 60, EST: -5 * 60, CDT: -5 * 60, CST: -6 * 60, MDT: -6 * 60, MST: -7 * 60, PDT: -7 * 60, PST: -8 * 60,
};

const DATE_RE =
  /(?:^|[\s,(])(\d{1,2})[\s-]+([A-Za-z]{3})[a-z]*[\s-]+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([+-]\d{4}|[A-Za-z]{1,5})?/;

export function parseMailDate(text: string): number | undefined {
  const m = DATE_RE.exec(text.length > 200 ? text.slice(0, 200) : text);
  if (!m) return undefined;
  const [, day, mon, yearText, hh, mm, ss, zone] = m;
  const month = MONTHS.indexOf(mon.toLowerCase());
  if (month < 0) return undefined;
  let year = Number(yearText);
  // RFC 5322 §4.3: two-digit years 00–49 are 2000–2049, 50–99 are 1950–1999; three digits add 1900.
  if (yearText.length === 2) year += year < 50 ? 2000 : 1900;
  else if (yearText.length === 3) year += 1900;
  const d = Number(day);
  const h = Number(hh);
  const min = Number(mm);
  const s = ss === undefined ? 0 : Number(ss);
  if (d < 1 || d > 31 || h > 23 || min > 59 || s > 60) return undefined;
  let offsetMin = 0;
  if (zone !== undefined) {
    if (/^[+-]\d{4}$/.test(zone)) {
      const sign = zone[0] === '-' ? -1 : 1;
      const zh = Number(zone.slice(1, 3));
      const zm = Number(zone.slice(3, 5));
      if (zh > 23 || zm > 59) return undefined;
      offsetMin = sign * (zh * 60 + zm);
    } else {
      offsetMin = NAMED_ZONES[zone.toUpperCase()] ?? 0;
    }
  }
  const utc = Date.UTC(year, month, d, h, min, Math.min(s, 59)) - offsetMin * 60_000;
  return Number.isFinite(utc) ? utc : undefined;
}

/** `1.2 s`, `3 min 4 s`, `2 h 5 min`, `3 d 4 h`: for delays and transit times. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '−' : '';
  const a = Math.abs(ms);
  if (a < 1000) return `${sign}${Math.round(a)} ms`;
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(a < 10_000 ? 1 : 0)} s`;
  const s = Math.round(a / 1000);
  if (s < 3600) return `${sign}${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${sign}${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${sign}${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}
