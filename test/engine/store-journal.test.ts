import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { createStoreMethods } from '../../electron/host/store-methods';
import { dataPaths } from '../../electron/store/data-dir';
import { createJournalSink } from '../../electron/store/journal';
import { dotSentIn } from '../../electron/store/journal-reader';
import type { SessionEvent } from '../../shared/events';
import { findCanary, scanDirForCanary } from '../support/canary';
import { sampleBodies, sampleRequest, stamp } from '../support/sample-session';
import { bundleCrashChild, runAndKill } from '../support/store-crash';
import { CHILD_PASSWORD, CHILD_SESSION_ID } from '../support/store-crash-child';
import { memorySecrets, value } from '../support/store-fixtures';
import { tempDirs } from '../support/temp-dirs';

const tempDir = tempDirs('mxdesk-journal-');

const PASSWORD = 'Zq9-canary-Secret!';

describe('session journal and history', () => {
  test('a finished session is listed with date, target, envelope, outcome and duration, and opens exactly as it was', async () => {
    const dir = tempDir();
    const sink = createJournalSink(dir);
    const events = stamp('s-1', sampleBodies());
    sink.begin('s-1', sampleRequest({ auth: { user: 'alice', password: PASSWORD, mechanism: 'PLAIN' } }));
    for (const e of events) sink.onEvent(e);
    const api = createStoreMethods({ dataDir: dir, secrets: memorySecrets(), journal: sink });
    const [entry] = value(await api.listHistory({}));
    assert.deepEqual(
      { id: entry.id, startedAt: entry.startedAt, target: entry.target, mailFrom: entry.mailFrom, rcptTo: entry.rcptTo, status: entry.status, queueId: entry.queueId, durationMs: entry.durationMs, dotSent: entry.dotSent, canRunAgain: entry.canRunAgain, truncated: entry.truncated },
      { id: 's-1', startedAt: '2026-05-01T10:00:00.000Z', target: 'smtp.example.test:587', mailFrom: 'alice@example.test', rcptTo: ['bob@example.test'], status: 'delivered', queueId: '4ABC123', durationMs: 300.5, dotSent: true, canRunAgain: true, truncated: false },
    );
    const detail = value(await api.getHistory({ id: 's-1' }));
    assert.deepEqual(detail.events, events);
    // Run again: the same request, without the password.
    assert.deepEqual(detail.request, sampleRequest());
    assert.deepEqual(scanDirForCanary(dir, PASSWORD), []);
  });

  test('the terminal event is on disk (and fsynced) when onEvent returns, before the UI can show it', () => {
    const dir = tempDir();
    const sink = createJournalSink(dir);
    const events = stamp('s-k', sampleBodies());
    for (const e of events) sink.onEvent(e);
    const lines = readFileSync(join(dataPaths(dir).history, 's-k.jsonl'), 'utf8').trimEnd().split('\n');
    assert.equal(JSON.parse(lines[lines.length - 1]).e.kind, 'outcome');
    assert.equal(sink.isLive('s-k'), false);
    // Nothing is appended after the terminal event.
    sink.onEvent({ ...events[3], seq: 99 });
    assert.equal(readFileSync(join(dataPaths(dir).history, 's-k.jsonl'), 'utf8').trimEnd().split('\n').length, lines.length);
  });

  test('a session that ended before begin() keeps one journal and still gets its run-again request', async () => {
    const dir = tempDir();
    const sink = createJournalSink(dir);
    for (const e of stamp('s-fast', sampleBodies())) sink.onEvent(e);
    sink.begin('s-fast', sampleRequest());
    assert.deepEqual(readdirSync(dataPaths(dir).history).sort(), ['s-fast.jsonl', 's-fast.request.json']);
    const api = createStoreMethods({ dataDir: dir, secrets: memorySecrets(), journal: sink });
    assert.equal(value(await api.listHistory({}))[0].canRunAgain, true);
  });

  test('a running session is listed as running, and cannot be deleted until it ends', async () => {
    const dir = tempDir();
    const sink = createJournalSink(dir);
    const events = stamp('s-live', sampleBodies());
    for (const e of events.slice(0, 5)) sink.onEvent(e);
    const api = createStoreMethods({ dataDir: dir, secrets: memorySecrets(), journal: sink });
    assert.equal(value(await api.listHistory({}))[0].status, 'running');
    const refused = await api.deleteHistory({ id: 's-live' });
    assert.equal(refused.ok ? 'ok' : refused.error.code, 'busy');
    for (const e of events.slice(5)) sink.onEvent(e);
    value(await api.deleteHistory({ id: 's-live' }));
    assert.deepEqual(value(await api.listHistory({})), []);
    assert.deepEqual(readdirSync(dataPaths(dir).history), []);
  });

  test('the journal is capped: a truncated marker, then only the terminal outcome', async () => {
    const dir = tempDir();
    const cap = 64 * 1024;
    const sink = createJournalSink(dir, { capBytes: cap });
    const bodies = sampleBodies({ outcome: false });
    for (let i = 0; i < 400; i++) bodies.push({ kind: 'reply', stage: 'rcpt', code: 250, lines: [`OK ${'y'.repeat(500)}`], explanation: 'ok', timing: { firstByteAt: 1, completeAt: 2 } });
    bodies.push({ kind: 'outcome', outcome: 'not_delivered', stage: 'rcpt', reason: 'Every recipient was refused.', dotSent: false, durationMs: 900 });
    const events = stamp('s-cap', bodies);
    for (const e of events) sink.onEvent(e);
    const size = statSync(join(dataPaths(dir).history, 's-cap.jsonl')).size;
    assert.ok(size <= cap, `journal is ${size} bytes, cap ${cap}`);
    const api = createStoreMethods({ dataDir: dir, secrets: memorySecrets(), journal: sink });
    const detail = value(await api.getHistory({ id: 's-cap' }));
    assert.equal(detail.entry.truncated, true);
    assert.equal(detail.entry.status, 'not_delivered');
    const kept = detail.events.slice(0, -1);
    assert.equal(detail.truncatedAfterSeq, kept[kept.length - 1].seq);
    assert.deepEqual(kept, events.slice(0, kept.length));
    assert.deepEqual(detail.events[detail.events.length - 1], events[events.length - 1]);
  });

  test('a password that leaks into an event (plain or inside a base64 AUTH token) never reaches the journal', async () => {
    const dir = tempDir();
    const sink = createJournalSink(dir);
    const token = Buffer.from(`\0alice\0${PASSWORD}`).toString('base64');
    sink.begin('s-leak', sampleRequest({ auth: { user: 'alice', password: PASSWORD, mechanism: 'PLAIN' } }));
    const bodies = sampleBodies();
    bodies.splice(12, 0, { kind: 'command', stage: 'auth', text: `AUTH PLAIN ${token}`, pipelined: false, bytes: 60 }, { kind: 'reply', stage: 'auth', code: 535, lines: [`bad password ${PASSWORD}`, Buffer.from(PASSWORD).toString('hex')], explanation: 'x', timing: { firstByteAt: 1, completeAt: 2 } });
    for (const e of stamp('s-leak', bodies)) sink.onEvent(e);
    assert.deepEqual(findCanary(token, PASSWORD).length > 0, true, 'the canary scan itself finds the token');
    assert.deepEqual(scanDirForCanary(dir, PASSWORD), []);
  });

  test('a damaged line and a torn last line are skipped; the rest of the journal still opens', async () => {
    const dir = tempDir();
    const sink = createJournalSink(dir);
    const events = stamp('s-torn', sampleBodies({ outcome: false }));
    for (const e of events.slice(0, 4)) sink.onEvent(e);
    const file = join(dataPaths(dir).history, 's-torn.jsonl');
    appendFileSync(file, 'garbage that is not json\n');
    for (const e of events.slice(4, 8)) sink.onEvent(e);
    sink.closeAll();
    appendFileSync(file, '{"t":"event","e":{"sessionId":"s-torn","se');
    const api = createStoreMethods({ dataDir: dir, secrets: memorySecrets() });
    const detail = value(await api.getHistory({ id: 's-torn' }));
    assert.deepEqual(detail.events, events.slice(0, 8));
    assert.equal(detail.entry.status, 'interrupted');
  });

  test('the final dot counts as sent after a data_body event, a "." command or BDAT LAST', () => {
    const base = stamp('x', sampleBodies({ outcome: false })).filter((e) => e.kind !== 'data_body');
    assert.equal(dotSentIn(base), false);
    const cmd = (text: string): SessionEvent => ({ sessionId: 'x', seq: 99, at: 1, kind: 'command', stage: 'body', text, pipelined: false, bytes: 3 });
    assert.equal(dotSentIn([...base, cmd('.')]), true);
    assert.equal(dotSentIn([...base, cmd('BDAT 321 LAST')]), true);
    assert.equal(dotSentIn([...base, cmd('BDAT 321')]), false);
  });
});

describe('kill -9 during a session', () => {
  let script = '';
  before(async () => {
    script = await bundleCrashChild();
  });

  for (const dot of [true, false]) {
    test(`leaves an "interrupted" entry with the events up to the kill, dot ${dot ? 'sent' : 'not sent'}`, async () => {
      for (const delay of [0, 7, 23]) {
        const dir = tempDir();
        const run = await runAndKill(script, ['journal', dir, dot ? 'dot' : 'nodot'], delay);
        const lastReported = Math.max(...run.lines.filter((l) => l.startsWith('seq ')).map((l) => Number(l.slice(4))));
        const api = createStoreMethods({ dataDir: dir, secrets: memorySecrets() });
        const [entry] = value(await api.listHistory({}));
        assert.equal(entry.status, 'interrupted');
        assert.equal(entry.dotSent, dot);
        assert.match(entry.reason ?? '', dot ? /after the final dot was sent, so the message may have been delivered/ : /before the final dot was sent/);
        assert.equal(entry.canRunAgain, true);
        const detail = value(await api.getHistory({ id: entry.id }));
        // Every event up to the last one the child saw written is there, in order, none missing.
        assert.ok(detail.events.length >= lastReported + 1, `journal has ${detail.events.length} events, child reported seq ${lastReported}`);
        detail.events.forEach((e, i) => assert.equal(e.seq, i));
        assert.equal(detail.events[0].sessionId, CHILD_SESSION_ID);
        assert.equal(detail.request?.auth?.password, undefined);
        assert.deepEqual(scanDirForCanary(dir, CHILD_PASSWORD), []);
      }
    });
  }
});
