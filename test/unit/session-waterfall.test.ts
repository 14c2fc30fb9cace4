import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionEvent, SessionEventBody } from '../../shared/events';
import { emptySessionView, foldSessionEvents } from '../../renderer/session/session-view';
import { buildWaterfall } from '../../renderer/session/waterfall-model';

function rowsOf(bodies: Array<[number, SessionEventBody]>) {
  const events = bodies.map(([at, b], i) => ({ ...b, sessionId: 's', seq: i + 1, at }) as SessionEvent);
  return foldSessionEvents(emptySessionView('s'), events).rows;
}

const t = (sentAt: number | undefined, firstByteAt: number, completeAt: number) => ({ sentAt, firstByteAt, completeAt });

// RTT 50 ms: connect takes 50 ms; the server greets after a 5 s greet-pause and answers EHLO at once.
const slowGreeting = rowsOf([
  [10, { kind: 'dns', query: { type: 'MX', name: 'example.test', status: 'ok', ms: 10, resolver: 'system' } }],
  [10, { kind: 'connect_attempt', host: 'mx.example.test', address: '127.0.0.1', port: 25, family: 4 }],
  [60, { kind: 'connect_result', host: 'mx.example.test', address: '127.0.0.1', port: 25, ok: true, ms: 50 }],
  [5110, { kind: 'reply', stage: 'greeting', code: 220, lines: ['hi'], explanation: '', timing: t(undefined, 5110, 5110) }],
  [5110, { kind: 'command', stage: 'ehlo', text: 'EHLO me', pipelined: false, bytes: 9 }],
  [5162, { kind: 'reply', stage: 'ehlo', code: 250, lines: ['ok'], explanation: '', timing: t(5110, 5160, 5162) }],
  [5162, { kind: 'command', stage: 'mail', text: 'MAIL FROM:<a@b.test>', pipelined: true, bytes: 22 }],
  [5162, { kind: 'command', stage: 'rcpt', text: 'RCPT TO:<c@d.test>', pipelined: true, bytes: 20 }],
  [5212, { kind: 'reply', stage: 'mail', code: 250, lines: ['ok'], explanation: '', timing: t(5162, 5212, 5212) }],
  [7212, { kind: 'reply', stage: 'rcpt', code: 250, lines: ['ok'], explanation: '', timing: t(5162, 7212, 7212) }],
  [7212, { kind: 'command', stage: 'quit', text: 'QUIT', pipelined: false, bytes: 6 }],
  [7262, { kind: 'reply', stage: 'quit', code: 221, lines: ['bye'], explanation: '', timing: t(7212, 7262, 7262) }],
]);

describe('waterfall', () => {
  test('estimates the RTT from the fastest TCP connect', () => {
    const w = buildWaterfall(slowGreeting);
    assert.equal(w.rttMs, 50);
    assert.equal(w.rttSource, 'fastest TCP connect');
  });

  test('puts DNS, connect, banner, EHLO, envelope and QUIT on one axis, in order', () => {
    const w = buildWaterfall(slowGreeting);
    assert.deepEqual(
      w.bars.map((b) => b.phase),
      ['dns', 'connect', 'banner', 'ehlo', 'envelope', 'envelope', 'quit'],
    );
    assert.equal(w.bars[0].start, 0);
    assert.equal(w.end, 7262);
  });

  test('names a greet delay as the server, not the network', () => {
    const w = buildWaterfall(slowGreeting);
    const banner = w.bars[2];
    assert.equal(banner.flag, 'greet-delay');
    assert.equal(banner.networkMs, 50);
    assert.equal(banner.thinkMs, 5000);
    assert.ok(w.notes.some((n) => n.kind === 'delay' && /greet delay/.test(n.text)));
  });

  test('names a slow RCPT as a tarpit, and a fast one as network time only', () => {
    const w = buildWaterfall(slowGreeting);
    const [mail, rcpt] = w.bars.filter((b) => b.phase === 'envelope');
    assert.equal(mail.label, 'MAIL FROM:<a@b.test>');
    assert.equal(mail.flag, undefined);
    assert.equal(mail.thinkMs, 0);
    assert.equal(rcpt.label, 'RCPT TO:<c@d.test>');
    assert.equal(rcpt.flag, 'tarpit');
    assert.equal(rcpt.thinkMs, 2000);
  });

  test('splits an exchange into network out, server, network back and transfer', () => {
    const w = buildWaterfall(slowGreeting);
    const ehlo = w.bars[3];
    assert.deepEqual(
      ehlo.segments.map((s) => s.kind),
      ['network', 'network', 'transfer'],
    );
    assert.deepEqual(
      w.bars[5].segments.map((s) => [s.kind, s.start, s.end]),
      [
        ['network', 5162, 5187],
        ['server', 5187, 7187],
        ['network', 7187, 7212],
      ],
    );
  });

  test('a refused connect is a failed bar with its reason', () => {
    const rows = rowsOf([
      [0, { kind: 'connect_attempt', host: 'mx0', address: '127.0.0.3', port: 25, family: 4 }],
      [1, { kind: 'connect_result', host: 'mx0', address: '127.0.0.3', port: 25, ok: false, ms: 1, error: 'connection refused' }],
    ]);
    const w = buildWaterfall(rows);
    assert.equal(w.bars[0].flag, 'failed');
    assert.equal(w.bars[0].note, 'connection refused');
  });

  test('the TLS handshake is its own bar, and the body is labelled as such', () => {
    const rows = rowsOf([
      [0, { kind: 'tls', phase: 'start', mode: 'starttls', servername: 'mx' }],
      [30, { kind: 'tls', phase: 'done', mode: 'starttls', servername: 'mx', protocol: 'TLSv1.3', verified: true, ms: 30 }],
      [31, { kind: 'data_body', bytes: 10, lines: 1, preview: 'x', truncated: false, method: 'DATA' }],
      [40, { kind: 'reply', stage: 'body', code: 250, lines: ['queued as X'], explanation: '', timing: t(31, 39, 40) }],
    ]);
    const w = buildWaterfall(rows);
    assert.deepEqual(
      w.bars.map((b) => [b.phase, b.label]),
      [
        ['handshake', 'TLS TLSv1.3'],
        ['data', 'message body (10 bytes)'],
      ],
    );
  });

  test('a pipelined BDAT flight labels each reply with its own command, QUIT included', () => {
    const rows = rowsOf([
      [0, { kind: 'command', stage: 'mail', text: 'MAIL FROM:<a@b.test>', pipelined: true, bytes: 22 }],
      [0, { kind: 'command', stage: 'rcpt', text: 'RCPT TO:<c@d.test>', pipelined: true, bytes: 20 }],
      [0, { kind: 'command', stage: 'body', text: 'BDAT 281 LAST', pipelined: true, bytes: 15 }],
      [0, { kind: 'data_body', bytes: 281, lines: 11, preview: 'x', truncated: false, method: 'BDAT' }],
      [1, { kind: 'command', stage: 'quit', text: 'QUIT', pipelined: false, bytes: 6 }],
      [19, { kind: 'reply', stage: 'mail', code: 250, lines: ['ok'], explanation: '', timing: t(0, 19, 19) }],
      [19, { kind: 'reply', stage: 'rcpt', code: 250, lines: ['ok'], explanation: '', timing: t(0, 19, 19) }],
      [26, { kind: 'reply', stage: 'body', code: 250, lines: ['queued'], explanation: '', timing: t(1, 26, 26) }],
      [27, { kind: 'reply', stage: 'quit', code: 221, lines: ['bye'], explanation: '', timing: t(1, 27, 27) }],
    ]);
    assert.deepEqual(
      buildWaterfall(rows).bars.map((b) => [b.phase, b.label]),
      [
        ['envelope', 'MAIL FROM:<a@b.test>'],
        ['envelope', 'RCPT TO:<c@d.test>'],
        ['data', 'BDAT 281 LAST'],
        ['quit', 'QUIT'],
      ],
    );
  });

  test('when TCP connects far faster than any reply, the fastest reply is the round trip, and that is said', () => {
    const rows = rowsOf([
      [1, { kind: 'connect_result', host: 'proxy', address: '127.0.0.1', port: 25, ok: true, ms: 0.2 }],
      [100, { kind: 'command', stage: 'ehlo', text: 'EHLO me', pipelined: false, bytes: 9 }],
      [141, { kind: 'reply', stage: 'ehlo', code: 250, lines: ['ok'], explanation: '', timing: t(100, 140, 141) }],
      [141, { kind: 'command', stage: 'mail', text: 'MAIL FROM:<a@b.test>', pipelined: false, bytes: 22 }],
      [182, { kind: 'reply', stage: 'mail', code: 250, lines: ['ok'], explanation: '', timing: t(141, 182, 182) }],
    ]);
    const w = buildWaterfall(rows);
    assert.equal(w.rttMs, 40);
    assert.equal(w.rttSource, 'fastest reply, an upper bound');
    assert.ok(w.notes.some((n) => n.kind === 'rtt' && /proxy/.test(n.text)));
    assert.equal(w.bars.find((b) => b.label === 'MAIL FROM:<a@b.test>')?.thinkMs, 1);
  });
});
