// Checks for the invariants every reliability case must hold (../shared/RELIABILITY.md "Invariants"):
// T time, M memory, K transcript and one terminal event, S secrets, E error quality, C nothing left open.
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Outcome, SessionEvent, SessionEventBody } from '../../shared/events';
import type { Stage } from '../../shared/model';

type OutcomeEvent = Extract<SessionEventBody, { kind: 'outcome' }>;

// ---------- K: one terminal event, last, with stage and reason; control characters escaped ----------

// C0 controls, DEL, C1 controls and the bidi overrides/isolates must never reach a transcript raw.
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function stringsIn(value: unknown, path: string, out: Array<[string, string]>) {
  if (typeof value === 'string') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => stringsIn(v, `${path}[${i}]`, out));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) stringsIn(v, `${path}.${k}`, out);
}

/** K: exactly one outcome event, it is the last one, and it has a stage and a reason. Returns it. */
export function assertOneOutcome(events: Array<SessionEvent | SessionEventBody>, expected?: { outcome?: Outcome; stage?: Stage | Stage[] }): OutcomeEvent {
  const outcomes = events.filter((e): e is OutcomeEvent & SessionEvent => e.kind === 'outcome');
  assert.equal(outcomes.length, 1, `exactly one outcome event, got ${outcomes.length}: ${JSON.stringify(outcomes)}`);
  const last = events[events.length - 1];
  assert.equal(last.kind, 'outcome', `the outcome is the last event, but ${last.kind} came after it`);
  const o = outcomes[0];
  assert.ok(o.stage, 'the outcome names a stage');
  assert.ok(typeof o.reason === 'string' && o.reason.trim().length > 0, 'the outcome gives a reason');
  if (expected?.outcome) assert.equal(o.outcome, expected.outcome, `outcome (reason: ${o.reason})`);
  if (expected?.stage) {
    const stages = Array.isArray(expected.stage) ? expected.stage : [expected.stage];
    assert.ok(stages.includes(o.stage), `outcome stage ${o.stage} should be one of ${stages.join('/')} (reason: ${o.reason})`);
  }
  return o;
}

/** K: no raw control or bidi characters in any string of any event (they must be shown escaped). */
export function assertControlCharsEscaped(events: Array<SessionEvent | SessionEventBody>) {
  for (const e of events) {
    if (e.kind === 'mx_plan' || e.kind === 'session_start') continue; // structured data, not server text
    const found: Array<[string, string]> = [];
    stringsIn(e, e.kind, found);
    for (const [path, s] of found) {
      // The body preview is our own message, shown as lines: its line breaks (and tabs) are structure.
      const text = e.kind === 'data_body' && path.endsWith('.preview') ? s.replace(/[\r\n\t]/g, '') : s;
      assert.ok(!RAW_CONTROL.test(text), `raw control character in ${path}: ${JSON.stringify(s)}`);
    }
  }
}

/** Sequence numbers, when present, are strictly increasing. */
export function assertOrdered(events: Array<SessionEvent | SessionEventBody>) {
  let prev = -Infinity;
  for (const e of events) {
    if (!('seq' in e)) continue;
    assert.ok(e.seq > prev, `seq ${e.seq} after ${prev}`);
    prev = e.seq;
  }
}

// ---------- S: a canary secret never appears, in any encoding ----------

/** Every form in which a leaked secret could show up: plain, base64 at the 3 byte offsets, hex, URL. */
export function secretForms(secret: string): string[] {
  const raw = Buffer.from(secret, 'utf8');
  const forms = new Set<string>([secret, encodeURIComponent(secret), raw.toString('hex'), raw.toString('hex').toUpperCase()]);
  for (let offset = 0; offset < 3; offset++) {
    // Encode with `offset` unknown bytes before it, then keep only the base64 groups made purely of secret bytes.
    const b64 = Buffer.concat([Buffer.alloc(offset), raw]).toString('base64');
    const firstGroup = offset === 0 ? 0 : 1;
    const lastGroup = Math.floor((offset + raw.length) / 3);
    const core = b64.slice(firstGroup * 4, lastGroup * 4);
    if (core.length >= 8) forms.add(core);
  }
  return [...forms];
}

/** S: search `haystack` (events, files, logs…) for the canary in every encoding. */
export function assertNoSecret(haystack: unknown, secret: string, what = 'events') {
  const text = typeof haystack === 'string' ? haystack : JSON.stringify(haystack);
  for (const form of secretForms(secret)) assert.ok(!text.includes(form), `the secret leaked into ${what} as ${JSON.stringify(form)}`);
}

// ---------- E: the error names stage and cause, quotes the reply, says whether it may be delivered ----------

export function assertExplains(
  o: OutcomeEvent,
  opts: { dotSent?: boolean; quotes?: string | RegExp; mentions?: RegExp; maxLength?: number } = {},
) {
  assert.ok(o.reason.length <= (opts.maxLength ?? 2000), `reason is truncated (${o.reason.length} chars)`);
  assert.ok(!RAW_CONTROL.test(o.reason), `reason has raw control characters: ${JSON.stringify(o.reason)}`);
  assert.equal(typeof o.dotSent, 'boolean', 'the outcome says whether the dot was sent');
  if (opts.dotSent !== undefined) assert.equal(o.dotSent, opts.dotSent, 'dotSent');
  if (o.outcome === 'unknown') assert.match(o.reason, /may have/i, 'an unknown outcome says the server may have accepted the message');
  if (opts.quotes !== undefined) {
    if (typeof opts.quotes === 'string') assert.ok(o.reason.includes(opts.quotes), `reason ${JSON.stringify(o.reason)} quotes ${JSON.stringify(opts.quotes)}`);
    else assert.match(o.reason, opts.quotes);
  }
  if (opts.mentions) assert.match(o.reason, opts.mentions);
}

// ---------- T: within the deadline plus 1 s ----------

export function assertWithin(startMs: number, deadlineMs: number, what = 'the session') {
  const took = performance.now() - startMs;
  assert.ok(took <= deadlineMs + 1000, `${what} took ${Math.round(took)} ms, deadline ${deadlineMs} ms + 1 s`);
  return took;
}

// ---------- M: memory growth while something runs ----------

type GcFn = (opts?: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;
let gcFn: GcFn | undefined;
/**
 * A full, synchronous, last-resort collection: a plain gc() can leave freed ArrayBuffer backing stores
 * counted for a while (they are swept concurrently), which shows up as false memory spikes.
 */
function gc(): void {
  if (!gcFn) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as GcFn;
  }
  gcFn({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

const live = () => {
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.arrayBuffers, rss: m.rss };
};

export interface MemoryReport {
  /** Peak growth of live JS heap plus array buffers (after GC at each sample), in bytes. */
  peakLiveGrowth: number;
  peakRssGrowth: number;
}

/**
 * M: run `fn` while sampling memory every `everyMs` (with a full GC first, so the figure is what is kept
 * alive, not garbage waiting for collection). Reports the peak growth over the baseline.
 */
export async function measureMemory<T>(fn: () => Promise<T>, everyMs = 25): Promise<{ value: T; memory: MemoryReport }> {
  gc();
  const base = live();
  let peak = { heap: 0, rss: 0 };
  const sample = () => {
    gc();
    const now = live();
    peak = { heap: Math.max(peak.heap, now.heap - base.heap), rss: Math.max(peak.rss, now.rss - base.rss) };
  };
  const timer = setInterval(sample, everyMs);
  try {
    const value = await fn();
    sample();
    return { value, memory: { peakLiveGrowth: peak.heap, peakRssGrowth: peak.rss } };
  } finally {
    clearInterval(timer);
  }
}

export const MiB = 1024 * 1024;

export function assertMemoryBounded(m: MemoryReport, limitBytes = 16 * MiB) {
  assert.ok(m.peakLiveGrowth <= limitBytes, `live memory grew by ${(m.peakLiveGrowth / MiB).toFixed(1)} MiB (limit ${limitBytes / MiB} MiB)`);
  // RSS is noisier (allocator pools, code pages): allow twice the limit, still far below a slurped flood.
  assert.ok(m.peakRssGrowth <= 2 * limitBytes + 16 * MiB, `RSS grew by ${(m.peakRssGrowth / MiB).toFixed(1)} MiB`);
}

// ---------- C: sockets closed, no timer or handle left ----------

export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

/**
 * C: nothing the session opened is still alive. Waits up to `graceMs` for handles that are closing (a
 * socket's close is asynchronous), then compares per-type counts with the `before` snapshot.
 */
export async function assertNoLeftovers(before: Map<string, number>, graceMs = 500) {
  const extra = () => {
    const now = activeResources();
    return [...now].filter(([type, n]) => n > (before.get(type) ?? 0)).map(([type, n]) => `${type} ×${n - (before.get(type) ?? 0)}`);
  };
  const until = performance.now() + graceMs;
  let left = extra();
  while (left.length > 0 && performance.now() < until) {
    await new Promise<void>((r) => setImmediate(r));
    // A ref'd timer: an unref'd one could let the event loop (and the test runner) end under us. It has
    // fired before the next count, so it never shows up as a leftover itself.
    await new Promise<void>((r) => setTimeout(r, 10));
    left = extra();
  }
  assert.deepEqual(left, [], `handles left behind after the session: ${left.join(', ')}`);
}
