import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyseMessage } from '../../electron/engine/analyse/analyse-message';

/**
 * The message is hostile input: whatever is pasted, the analyser answers within bounded time and memory,
 * says what it cut, and returns only inert (escaped) text. No DNS here: none of these messages is signed.
 */
const NOW = Date.parse('2026-12-07T14:00:00Z');
const deps = { now: () => NOW, dnsTimeoutMs: 300, dkimTimeoutMs: 1000 };

function bounded<T>(label: string, ms: number, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const rss0 = process.memoryUsage().rss;
  return work().then((value) => {
    const took = performance.now() - t0;
    const grew = (process.memoryUsage().rss - rss0) / (1024 * 1024);
    console.log(`# ${label}: ${Math.round(took)} ms, RSS +${Math.round(grew)} MiB`);
    assert.ok(took < ms, `${label} took ${Math.round(took)} ms (limit ${ms})`);
    assert.ok(grew < 400, `${label} grew RSS by ${Math.round(grew)} MiB`);
    return value;
  });
}

test('a 50 MB paste is cut to 16 MiB, analysed within seconds, and the answer says what was cut', async () => {
  const text = 'From: a@example.org\r\nSubject: big\r\nDKIM-Signature: v=1; d=example.org; s=s1; b=x\r\n\r\n' + 'A'.repeat(50 * 1024 * 1024);
  const r = await bounded('50 MB paste', 4000, () => analyseMessage({ text }, deps));
  assert.equal(r.inputChars, text.length);
  assert.match(r.cut[0], /^The input is 50 MiB; only the first 16 MiB were read\.$/);
  assert.match(r.dkim.note ?? '', /cut to fit the size limit/);
  assert.equal(r.summary.subject, 'big');
});

test('50 MB of header lines with no end: only the first 1 MiB of headers is read', async () => {
  const line = 'X-Filler: ' + 'y'.repeat(80) + '\r\n';
  const text = line.repeat(Math.ceil((50 * 1024 * 1024) / line.length));
  const r = await bounded('50 MB of headers', 4000, () => analyseMessage({ text }, deps));
  assert.equal(r.kind, 'headers');
  assert.ok(r.cut.some((c) => /header section is longer than 1048576 characters/.test(c)));
});

test('10,000 Received headers: the newest 100 are shown, within a second', async () => {
  const hops = Array.from({ length: 10_000 }, (_, i) => `Received: from h${i + 1}.example by h${i}.example with ESMTPS id ${i}; Mon, 7 Dec 2026 10:00:00 +0000`);
  const text = hops.join('\r\n') + '\r\nFrom: a@example.org\r\n\r\nbody\r\n';
  const r = await bounded('10,000 Received', 1500, () => analyseMessage({ text }, deps));
  assert.equal(r.timeline.hops.length, 100);
  assert.equal(r.timeline.totalReceived, 10_000);
  assert.ok(r.cut.some((c) => /Only the newest 100 of 10000 Received: headers/.test(c)));
});

test('broken MIME in a bounce (no closing boundary, garbage parts) still gives an answer', async () => {
  const text = [
    'From: MAILER-DAEMON@mx.example',
    'Subject: Undelivered Mail Returned to Sender',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
    '',
    '--B',
    'Content-Type: message/delivery-status',
    'Content-Transfer-Encoding: base64',
    '',
    '!!!not base64!!!',
    '--B',
    'Content-Type: text/plain; charset=x-unknown-charset',
    '',
    '<bob@x.example>: host mx.x.example[192.0.2.9] said: 550 5.1.1 no such user (in reply to RCPT TO command)',
    '--B',
    'Content-Type: multipart/mixed; boundary="never-closed"',
    '',
    '--never-closed',
    '\u0000\u0001\u0002',
  ].join('\r\n');
  const r = await bounded('broken MIME', 3000, () => analyseMessage({ text }, deps));
  assert.equal(r.kind, 'bounce');
  assert.equal(r.bounce?.recipients[0]?.recipient, 'bob@x.example');
  assert.equal(r.bounce?.recipients[0]?.stage, 'rcpt');
});

test('header injection shows: a second From: and a stray line in the header section are named', async () => {
  const text = 'From: boss@example.org\r\nTo: you@example.org\r\nSubject: pay\r\nFrom: attacker@evil.example\r\nthis is not a header\r\n\r\nbody';
  const r = await analyseMessage({ text }, deps);
  assert.ok(r.warnings.some((w) => /2 From: headers; RFC 5322 §3\.6 allows one/.test(w)));
  assert.ok(r.warnings.some((w) => /1 line in the header section is not a header field/.test(w)));
});

test('ANSI and bidi tricks in what is shown are escaped, never passed through', async () => {
  const text = 'From: \u001b[2J\u001b[31mCEO\u001b[0m <ceo@example.org>\r\nSubject: invoice \u202efdp.exe\r\n\r\nbody';
  const r = await analyseMessage({ text }, deps);
  assert.equal(r.summary.from, '\\x1b[2J\\x1b[31mCEO\\x1b[0m <ceo@example.org>');
  assert.equal(r.summary.subject, 'invoice \\u202efdp.exe');
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(JSON.stringify(r), /[\u001b\u202e]/);
});

test('pathological text for the phrase patterns stays fast: long tokens without "=", repeated stage words', async () => {
  const longToken = 'a'.repeat(7900);
  const auth = Array.from({ length: 50 }, () => `Authentication-Results: mx.example; ${longToken}`).join('\r\n');
  const diag = 'connect to '.repeat(20_000);
  const text = [
    auth,
    'From: MAILER-DAEMON@mx.example',
    'Subject: Undelivered Mail Returned to Sender',
    '',
    'This is the mail system at host mx.example.',
    '',
    `<a@b.example>: ${diag}`,
  ].join('\r\n');
  const r = await bounded('pathological patterns', 1500, () => analyseMessage({ text }, deps));
  assert.equal(r.authResults.length, 50);
  assert.equal(r.bounce?.recipients[0]?.recipient, 'a@b.example');
});
