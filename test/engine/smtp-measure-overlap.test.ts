// Measuring the message (RFC 1870 SIZE, RFC 6152 8-bit) runs while the connection, the greeting and EHLO go
// on; the dialog gets the facts before it plans MAIL FROM. Each test holds the measuring pass until the
// EHLO command was sent: without the overlap the session could not get there, and the test would time out.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { SessionEventBody } from '../../shared/events';
import type { MessageSource } from '../../electron/engine/message';
import { runSession } from '../../electron/engine/run-session';
import { close, reply, startHostileServer, type HostileServer } from '../support/hostile-server';
import { collect, hostRequest, rawDraft, type Collected } from '../support/session-fixtures';
import { acceptMessage, hello, quit } from '../support/smtp-script';

const MESSAGE = 'From: a@example.test\r\nSubject: overlap\r\n\r\nbody line\r\n';

/** A raw source whose first pass (the measuring one) waits until EHLO was sent; then yields `text` or fails. */
function heldSource(text: string, failure?: Error): { source: MessageSource; release: () => void } {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let passes = 0;
  const source: MessageSource = {
    raw: true,
    async *open() {
      if (passes++ === 0) {
        await released;
        if (failure) throw failure;
      }
      yield Buffer.from(text, 'utf8');
    },
  };
  return { source, release };
}

async function runHeld(port: number, text: string, failure?: Error): Promise<Collected> {
  const { source, release } = heldSource(text, failure);
  const events: SessionEventBody[] = [];
  const emit = (e: SessionEventBody): void => {
    events.push(e);
    if (e.kind === 'command' && /^EHLO /.test(e.text)) release();
  };
  const outcome = await runSession(hostRequest(port, rawDraft('(stand-in)'), { chunking: false }), { sessionId: 'overlap', emit, messageSource: source });
  return collect(events, outcome);
}

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('measuring overlaps connect, greeting and EHLO', { timeout: 15_000 }, () => {
  test('MAIL FROM carries the measured SIZE although measuring ended after EHLO', async () => {
    server = await startHostileServer([...hello('SIZE 1000000'), ...acceptMessage()]);
    const r = await runHeld(server.port, MESSAGE);
    assert.equal(r.outcome, 'delivered', r.transcript().join('\n'));
    const mail = r.of('command').find((c) => c.text.startsWith('MAIL'));
    assert.equal(mail?.text, `MAIL FROM:<sender@example.test> SIZE=${Buffer.byteLength(MESSAGE)}`);
  });

  test('a message larger than the server SIZE still stops before MAIL, with QUIT', async () => {
    server = await startHostileServer([...hello('SIZE 20'), ...quit()]);
    const r = await runHeld(server.port, MESSAGE);
    assert.equal(r.last.outcome, 'not_delivered');
    assert.equal(r.last.stage, 'mail');
    assert.match(r.last.reason, /SIZE/);
    const verbs = r.of('command').map((c) => c.text.split(' ')[0]);
    assert.deepEqual(verbs, ['EHLO', 'QUIT']);
  });

  test('8-bit content to a server without 8BITMIME stops before MAIL as before', async () => {
    server = await startHostileServer([...hello('SIZE 1000000'), ...quit()]);
    const r = await runHeld(server.port, 'Subject: x\r\n\r\nGrüße\r\n');
    assert.equal(r.last.outcome, 'not_delivered');
    assert.equal(r.last.stage, 'mail');
    assert.match(r.last.reason, /8BITMIME/);
    assert.ok(!r.of('command').some((c) => c.text.startsWith('MAIL')));
  });

  test('a message that cannot be read ends the session before MAIL with QUIT, saying nothing was sent', async () => {
    server = await startHostileServer([...hello(), ...quit()]);
    const r = await runHeld(server.port, MESSAGE, new Error('the file went away'));
    assert.equal(r.last.outcome, 'not_delivered');
    assert.equal(r.last.stage, 'data');
    assert.equal(r.last.reason, 'The message could not be composed: the file went away. Nothing was sent.');
    const verbs = r.of('command').map((c) => c.text.split(' ')[0]);
    assert.deepEqual(verbs, ['EHLO', 'QUIT']);
  });
});

describe('reasons read as sentences', { timeout: 15_000 }, () => {
  test('a 4xx greeting gives one full stop before "Nothing was sent"', async () => {
    server = await startHostileServer([reply('421 4.3.2 Too busy'), close()]);
    const r = await runHeld(server.port, MESSAGE);
    assert.match(r.last.reason, /\(421 4\.3\.2 Too busy\)\. Nothing was sent;/);
    assert.doesNotMatch(r.last.reason, /\.\./);
  });
});
