import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTimeline } from '../../shared/analyse/hops';
import { formatDuration, parseMailDate } from '../../shared/analyse/mail-date';
import { parseReceived } from '../../shared/analyse/received';

const NOW = Date.parse('2026-12-07T14:00:00Z');

test('reads from, by, with, id, for and the date of a Postfix Received header', () => {
  const r = parseReceived(
    'from mail.sender.example (mail.sender.example [192.0.2.1]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)) ' +
      'by mx.receiver.example (Postfix) with ESMTPS id 4Gx2Lk for <bob@receiver.example>; Mon,  7 Dec 2026 10:15:01 +0000 (UTC)',
  );
  assert.equal(r.from, 'mail.sender.example (mail.sender.example [192.0.2.1]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))');
  assert.equal(r.by, 'mx.receiver.example (Postfix)');
  assert.equal(r.with, 'ESMTPS');
  assert.equal(r.id, '4Gx2Lk');
  assert.equal(r.for, '<bob@receiver.example>');
  assert.equal(r.dateText, 'Mon, 7 Dec 2026 10:15:01 +0000 (UTC)');
  assert.deepEqual(r.tls, { state: 'tls', version: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', evidence: 'using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384' });
});

test('clause words inside comments do not move the clauses (a spoofed "by" in a comment)', () => {
  const r = parseReceived('from evil (by trusted.example with ESMTPS id fake) by real.example with SMTP id 1; 7 Dec 2026 10:00:00 +0000');
  assert.equal(r.by, 'real.example');
  assert.equal(r.with, 'SMTP');
  assert.equal(r.tls.state, 'plain');
});

test('TLS is read from each common way of writing it', () => {
  assert.equal(parseReceived('by mx.google.com with ESMTPS id x (version=TLS1_3 cipher=TLS_AES_128_GCM_SHA256 bits=128/128); 7 Dec 2026 10:00:00 -0800').tls.version, 'TLS1_3');
  const exim = parseReceived('from a by b with esmtps  (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.97) id 1; 7 Dec 2026 10:00:00 +0000').tls;
  assert.deepEqual([exim.state, exim.version, exim.cipher], ['tls', 'TLS1.3', 'TLS_AES_256_GCM_SHA384']);
  const ms = parseReceived('from A by B with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20; Mon, 7 Dec 2026 07:30:05 +0000').tls;
  assert.deepEqual([ms.state, ms.cipher], ['tls', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384']);
  assert.equal(parseReceived('from a by b with ESMTPSA id 1; 7 Dec 2026 10:00:00 +0000').tls.evidence, 'with ESMTPSA (RFC 3848)');
  assert.equal(parseReceived('from a by b with ESMTP id 1; 7 Dec 2026 10:00:00 +0000').tls.state, 'plain');
  assert.equal(parseReceived('by b with LMTP id 1; 7 Dec 2026 10:00:00 +0000').tls.state, 'local');
  assert.equal(parseReceived('(qmail 123 invoked by uid 0); 7 Dec 2026 10:00:00 -0000').tls.state, 'unknown');
});

test('parses RFC 5322 dates, with zones, comments and obsolete forms', () => {
  assert.equal(parseMailDate('Mon, 7 Dec 2026 10:15:01 +0100 (CET)'), Date.parse('2026-12-07T09:15:01Z'));
  assert.equal(parseMailDate('7 Dec 26 10:15 PST'), Date.parse('2026-12-07T18:15:00Z'));
  assert.equal(parseMailDate('Mon, 07 Dec 2026 06:00:02 -0800 (PST)'), Date.parse('2026-12-07T14:00:02Z'));
  assert.equal(parseMailDate('yesterday'), undefined);
  assert.equal(parseMailDate('Mon, 7 Dec 2026 25:00:00 +0000'), undefined);
  assert.equal(formatDuration(-2500), '−2.5 s');
  assert.equal(formatDuration(3 * 3600_000 + 60_000), '3 h 1 min');
});

test('the timeline runs oldest first, with the delay at each hop and the total transit time', () => {
  const t = buildTimeline({
    received: [
      'from relay.example by mx.receiver.example with ESMTPS id 3; Mon, 7 Dec 2026 10:00:09 +0000',
      'from laptop by relay.example with ESMTPSA id 2; Mon, 7 Dec 2026 10:00:04 +0000',
    ],
    dateHeader: 'Mon, 7 Dec 2026 10:00:00 +0000',
    now: NOW,
  });
  assert.deepEqual(t.hops.map((h) => [h.index, h.by, h.delayMs]), [
    [1, 'relay.example', 4000],
    [2, 'mx.receiver.example', 5000],
  ]);
  assert.equal(t.transitMs, 9000);
  assert.deepEqual(t.notes, []);
});

test('flags clock skew: a hop dated before the previous one, and a date in the future', () => {
  const t = buildTimeline({
    received: [
      'from b by c with ESMTP id 3; Mon, 7 Dec 2026 18:00:00 +0000',
      'from a by b.example with ESMTPS id 2; Mon, 7 Dec 2026 09:59:30 +0000',
      'from x by a.example with ESMTPS id 1; Mon, 7 Dec 2026 10:00:00 +0000',
    ],
    now: NOW,
  });
  assert.deepEqual(t.hops.map((h) => h.flags), [[], ['negative-delay'], ['future']]);
  assert.match(t.notes.join('\n'), /Hop 2 at b\.example is dated 30 s before the step before it: .*clock skew/);
  assert.match(t.notes.join('\n'), /Hop 3 .*in the future/);
  assert.match(t.notes.join('\n'), /Hop 3 names no TLS/);
});

test('10,000 Received headers: keeps the newest 100, says so, and stays fast', () => {
  const received = Array.from({ length: 10_000 }, (_, i) => `from h${i + 1} by h${i} with ESMTPS id ${i}; Mon, 7 Dec 2026 10:00:00 +0000`);
  const t0 = performance.now();
  const t = buildTimeline({ received, now: NOW });
  assert.ok(performance.now() - t0 < 500);
  assert.equal(t.hops.length, 100);
  assert.equal(t.totalReceived, 10_000);
  assert.equal(t.hops[99].index, 10_000);
  assert.match(t.notes[0], /Only the newest 100 of 10000 Received: headers are shown/);
});

test('hostile text in a Received header is shown inert (ANSI and bidi escaped)', () => {
  const t = buildTimeline({ received: ['from \u001b[31mred\u001b[0m by mx\u202eevil with SMTP id 1; 7 Dec 2026 10:00:00 +0000'], now: NOW });
  assert.equal(t.hops[0].from, '\\x1b[31mred\\x1b[0m');
  assert.equal(t.hops[0].by, 'mx\\u202eevil');
});
