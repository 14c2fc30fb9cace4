import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionEvent, SessionEventBody } from '../../shared/events';
import { emptySessionView, foldSessionEvents, isRunning } from '../../renderer/session/session-view';
import { codeClass, formatOffset } from '../../renderer/session/log-rows';

function feed(bodies: Array<[number, SessionEventBody]>, sessionId = 's1'): SessionEvent[] {
  return bodies.map(([at, body], i) => ({ ...body, sessionId, seq: i + 1, at }) as SessionEvent);
}

const timing = (sentAt: number | undefined, firstByteAt: number, completeAt: number) => ({ sentAt, firstByteAt, completeAt });

const fallbackSession = feed([
  [0, { kind: 'session_start', startedAt: '2025-01-01T00:00:00Z', target: 'MX of fallback.test', mode: 'auto', envelope: { mailFrom: 'a@example.test', rcptTo: ['b@fallback.test'] } }],
  [1, { kind: 'dns', query: { type: 'MX', name: 'fallback.test', status: 'ok', ms: 1, resolver: '127.0.0.1:5353' } }],
  [2, { kind: 'connect_attempt', host: 'mx0.fallback.test', address: '127.0.0.3', port: 2525, family: 4 }],
  [3, { kind: 'connect_result', host: 'mx0.fallback.test', address: '127.0.0.3', port: 2525, ok: false, ms: 1, error: 'connection refused', next: 'mx1.fallback.test' }],
  [3, { kind: 'connect_attempt', host: 'mx1.fallback.test', address: '127.0.0.1', port: 2525, family: 4 }],
  [4, { kind: 'connect_result', host: 'mx1.fallback.test', address: '127.0.0.1', port: 2525, ok: true, ms: 0.5 }],
  [5, { kind: 'wait', stage: 'greeting', deadlineMs: 300000, what: 'the greeting' }],
  [6, { kind: 'reply', stage: 'greeting', code: 220, lines: ['mx.example.test ESMTP'], explanation: 'ready', timing: timing(undefined, 5.5, 6) }],
  [7, { kind: 'command', stage: 'ehlo', text: 'EHLO client.test', pipelined: false, bytes: 18 }],
  [8, { kind: 'reply', stage: 'ehlo', code: 250, lines: ['mx.example.test', 'PIPELINING', 'SIZE 1000'], explanation: 'ok', timing: timing(7, 7.8, 8) }],
  [9, { kind: 'command', stage: 'rcpt', text: 'RCPT TO:<b@fallback.test>', pipelined: true, bytes: 27 }],
  [10, { kind: 'reply', stage: 'rcpt', code: 550, enhanced: '5.1.1', lines: ['5.1.1 no such user'], explanation: 'refused', timing: timing(9, 9.5, 10) }],
  [10, { kind: 'recipient', rcpt: 'b@fallback.test', accepted: false, code: 550, text: '5.1.1 no such user' }],
  [11, { kind: 'outcome', outcome: 'not_delivered', stage: 'rcpt', reason: 'no recipient accepted', dotSent: false, durationMs: 11 }],
]);

describe('session view fold', () => {
  test('makes one row per event, in order, a wait excepted', () => {
    const v = foldSessionEvents(emptySessionView('s1'), fallbackSession);
    const shown = fallbackSession.filter((e) => e.kind !== 'wait');
    assert.equal(v.rowCount, shown.length);
    assert.deepEqual(
      v.rows.map((r) => r.seq),
      shown.map((e) => e.seq),
    );
  });

  test('a finished wait folds into the reply it waited for: waited so long of the deadline', () => {
    const v = foldSessionEvents(emptySessionView('s1'), fallbackSession);
    const greeting = v.rows.find((r) => r.stage === 'greeting');
    assert.deepEqual(greeting?.waited, { ms: 0.5, deadlineMs: 300000 });
    assert.equal(v.rows.find((r) => r.stage === 'ehlo' && r.direction === 'server')?.waited, undefined, 'no wait, nothing folded');
  });

  test('ignores events of other sessions and duplicates', () => {
    const other = feed([[0, { kind: 'info', level: 'info', text: 'x' }]], 's2');
    let v = foldSessionEvents(emptySessionView('s1'), fallbackSession.slice(0, 3));
    v = foldSessionEvents(v, [...other, ...fallbackSession.slice(1, 5)]);
    assert.deepEqual(
      v.rows.map((r) => r.seq),
      [1, 2, 3, 4, 5],
    );
  });

  test('folding the same view twice gives the same rows (StrictMode double calls)', () => {
    const start = foldSessionEvents(emptySessionView('s1'), fallbackSession.slice(0, 4));
    foldSessionEvents(start, fallbackSession.slice(4));
    const again = foldSessionEvents(start, fallbackSession.slice(4));
    assert.equal(again.rows.length, fallbackSession.length - 1);
    assert.equal(start.rowCount, 4);
  });

  test('records each connection attempt and why it was left', () => {
    const v = foldSessionEvents(emptySessionView('s1'), fallbackSession);
    assert.deepEqual(
      v.attempts.map((a) => [a.host, a.state, a.error, a.next]),
      [
        ['mx0.fallback.test', 'failed', 'connection refused', 'mx1.fallback.test'],
        ['mx1.fallback.test', 'connected', undefined, undefined],
      ],
    );
  });

  test('a failed connect is a warning row naming the next host', () => {
    const v = foldSessionEvents(emptySessionView('s1'), fallbackSession);
    const row = v.rows.find((r) => r.seq === 4) as (typeof v.rows)[number];
    assert.equal(row.level, 'warn');
    assert.match(row.lines[0], /127\.0\.0\.3.*connection refused; next: mx1\.fallback\.test/);
  });

  test('replies carry code class, enhanced code and latency from their command', () => {
    const v = foldSessionEvents(emptySessionView('s1'), fallbackSession);
    const rcpt = v.rows.find((r) => r.seq === 12) as (typeof v.rows)[number];
    assert.equal(rcpt.direction, 'server');
    assert.equal(rcpt.codeClass, 'permanent');
    assert.equal(rcpt.enhanced, '5.1.1');
    assert.equal(rcpt.latencyMs, 1);
    assert.equal(rcpt.level, 'error');
  });

  test('the greeting latency counts from the connect', () => {
    const v = foldSessionEvents(emptySessionView('s1'), fallbackSession);
    assert.equal(v.rows.find((r) => r.seq === 8)?.latencyMs, 2);
  });

  test('a wait lasts until the awaited reply arrives', () => {
    let v = foldSessionEvents(emptySessionView('s1'), fallbackSession.slice(0, 7));
    assert.deepEqual(v.wait, { stage: 'greeting', what: 'the greeting', since: 5, deadlineMs: 300000 });
    v = foldSessionEvents(v, fallbackSession.slice(7, 8));
    assert.equal(v.wait, undefined);
  });

  test('keeps per-recipient results and exactly one outcome', () => {
    const v = foldSessionEvents(emptySessionView('s1'), fallbackSession);
    assert.deepEqual(v.recipients, [{ rcpt: 'b@fallback.test', accepted: false, code: 550, text: '5.1.1 no such user' }]);
    assert.equal(v.outcome?.outcome, 'not_delivered');
    assert.equal(isRunning(v), false);
  });

  test('keeps the last EHLO reply and forgets it after a TLS handshake (RFC 3207 §4.2)', () => {
    let v = foldSessionEvents(emptySessionView('s1'), fallbackSession.slice(0, 10));
    assert.deepEqual(v.lastEhlo?.lines, ['mx.example.test', 'PIPELINING', 'SIZE 1000']);
    v = foldSessionEvents(v, [{ sessionId: 's1', seq: 100, at: 20, kind: 'tls', phase: 'done', mode: 'starttls', servername: 'mx', verified: true }]);
    assert.equal(v.lastEhlo, undefined);
  });

  test('a step prompt stays until a command is sent', () => {
    const base = fallbackSession.slice(0, 8);
    let v = foldSessionEvents(emptySessionView('s1'), [
      ...base,
      { sessionId: 's1', seq: 50, at: 7, kind: 'step_prompt', stage: 'ehlo', suggestion: 'EHLO client.test', waitingFor: 'EHLO' },
    ]);
    assert.equal(v.prompt?.suggestion, 'EHLO client.test');
    v = foldSessionEvents(v, [{ sessionId: 's1', seq: 51, at: 8, kind: 'command', stage: 'ehlo', text: 'EHLO edited.test', pipelined: false, bytes: 18 }]);
    assert.equal(v.prompt, undefined);
  });

  test('the body is one row that carries its preview', () => {
    const v = foldSessionEvents(emptySessionView('s1'), [
      { sessionId: 's1', seq: 1, at: 1, kind: 'data_body', bytes: 2048, lines: 40, preview: 'Subject: hi\r\n\r\n..dot', truncated: false, method: 'DATA' },
    ]);
    assert.equal(v.rows.length, 1);
    assert.equal(v.rows[0].body?.lines, 40);
    assert.match(v.rows[0].lines[0], /40 lines, 2\.0 KiB/);
  });

  test('an unverified certificate shows its fingerprint in the row', () => {
    const v = foldSessionEvents(emptySessionView('s1'), [
      {
        sessionId: 's1',
        seq: 1,
        at: 1,
        kind: 'tls',
        phase: 'failed',
        mode: 'starttls',
        servername: 'mx.example.test',
        verifyError: 'self-signed certificate',
        cert: { subject: 'CN=mx.example.test', subjectAltNames: [], issuer: 'CN=mx.example.test', validFrom: 'a', validTo: 'b', fingerprint256: 'AA:BB', selfSigned: true },
      },
    ]);
    assert.equal(v.rows[0].level, 'error');
    assert.ok(v.rows[0].lines.includes('SHA-256: AA:BB'));
  });
});

describe('log row formatting', () => {
  test('reply codes are classed by their first digit (RFC 5321 §4.2.1)', () => {
    assert.deepEqual([220, 354, 421, 550, 600].map(codeClass), ['ok', 'more', 'transient', 'permanent', 'invalid']);
  });

  test('time offsets read as seconds, then minutes', () => {
    assert.equal(formatOffset(1234.5), '+1.234');
    assert.equal(formatOffset(62_345), '+1:02.345');
  });
});
