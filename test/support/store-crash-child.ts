// A child process for the kill -9 tests: it writes to a data directory in a tight loop until it is killed.
//   draft DATADIR            autosaves drafts; prints "saved N" after generation N is on disk
//   journal DATADIR dot|nodot  journals a session that never ends; prints "seq N" after each event
// It prints "ready" once writing has begun, so the parent's random kill delay lands mid-work.
import type { SessionEvent, SessionEventBody } from '../../shared/events';
import type { Draft, SessionRequest } from '../../shared/model';
import { createDraftStore } from '../../electron/store/drafts';
import { createJournalSink } from '../../electron/store/journal';
import { dataPaths } from '../../electron/store/data-dir';

export function draftGeneration(gen: number): Draft {
  // Sizes vary (1–200 KiB) so that a kill lands in every phase of a write: open, write, fsync, rename.
  const filler = 'x'.repeat(1024 + ((gen * 7919) % 200) * 1024);
  return {
    from: 'a@example.test', to: 'b@example.test', cc: '', bcc: '', replyTo: '', subject: `generation ${gen}`,
    customHeaders: [], text: `gen=${gen}\n${filler}`, html: '', attachments: [], mailFrom: '', rcptTo: [],
    envelopeEdited: false, rawMode: false, raw: '',
  };
}

export const CHILD_SESSION_ID = 'crash-session';
export const CHILD_PASSWORD = 'Canary-Pw-7f3a9c';

export function childRequest(): SessionRequest {
  return {
    draft: { ...draftGeneration(1), mailFrom: 'a@example.test', rcptTo: ['b@example.test'], envelopeEdited: true },
    target: { kind: 'host', host: 'relay.example.test', port: 587 }, tls: 'starttls', certPolicy: 'verify',
    auth: { user: 'alice', password: CHILD_PASSWORD, mechanism: 'PLAIN' }, pipelining: true, chunking: false, mode: 'auto',
  };
}

const out = (line: string) => process.stdout.write(`${line}\n`);

async function drafts(dir: string): Promise<void> {
  const store = createDraftStore(dataPaths(dir).draft);
  for (let gen = 1; ; gen++) {
    if (gen === 2) out('ready');
    await store.save(draftGeneration(gen));
    out(`saved ${gen}`);
  }
}

function journal(dir: string, dot: boolean): void {
  const sink = createJournalSink(dir);
  let seq = 0;
  let at = 0;
  const emit = (body: SessionEventBody) => {
    const e = { ...body, sessionId: CHILD_SESSION_ID, seq: seq++, at: (at += 1.5) } as SessionEvent;
    sink.onEvent(e);
    out(`seq ${e.seq}`);
  };
  const req = childRequest();
  sink.begin(CHILD_SESSION_ID, req);
  emit({ kind: 'session_start', startedAt: new Date().toISOString(), target: 'relay.example.test:587', mode: 'auto', envelope: { mailFrom: 'a@example.test', rcptTo: ['b@example.test'] } });
  emit({ kind: 'connect_attempt', host: 'relay.example.test', address: '127.0.0.1', port: 587, family: 4 });
  emit({ kind: 'connect_result', host: 'relay.example.test', address: '127.0.0.1', port: 587, ok: true, ms: 1 });
  emit({ kind: 'command', stage: 'mail', text: 'MAIL FROM:<a@example.test>', pipelined: true, bytes: 28 });
  emit({ kind: 'command', stage: 'data', text: 'DATA', pipelined: true, bytes: 6 });
  if (dot) {
    emit({ kind: 'data_body', bytes: 100, lines: 3, preview: 'Subject: x\r\n\r\nhello\r\n', truncated: false, method: 'DATA' });
    emit({ kind: 'command', stage: 'body', text: '.', pipelined: false, bytes: 3 });
  }
  out('ready');
  // The server "never answers": keep journaling waits until killed. setImmediate lets stdout drain.
  const tick = () => {
    emit({ kind: 'wait', stage: dot ? 'body' : 'data', deadlineMs: 600_000, what: 'the final reply' });
    setImmediate(tick);
  };
  tick();
}

const [mode, dir, flag] = process.argv.slice(2);
if (mode === 'draft') void drafts(dir);
else if (mode === 'journal') journal(dir, flag === 'dot');
