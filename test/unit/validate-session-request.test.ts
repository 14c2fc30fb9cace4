import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Draft, SessionRequest } from '../../shared/model';
import { REQUEST_VALIDATORS } from '../../shared/validate/requests';
import { emptyDraft } from '../../shared/model';
import { DRAFT_LIMITS, effectiveEnvelope, envelopeDiffersFromHeaders, parseDraft, parseSessionRequest, parseStepRequest, validateDraftFields } from '../../shared/validate/session-request';

function draft(over: Partial<Draft> = {}): Draft {
  return { ...emptyDraft(), from: 'Ann <ann@example.test>', to: 'Bob <bob@example.test>', subject: 'Hello', text: 'Hi Bob\n.\n', ...over };
}

function request(over: Partial<SessionRequest> = {}): SessionRequest {
  return { draft: draft(), target: { kind: 'host', host: '127.0.0.1', port: 2525 }, tls: 'auto', certPolicy: 'verify', pipelining: true, chunking: true, mode: 'auto', ...over };
}

function failure<T>(r: { ok: true; value: T } | { ok: false; error: { field?: string; message: string } }, field: string, re?: RegExp): string {
  assert.equal(r.ok, false, 'expected a refusal');
  if (r.ok) return '';
  assert.equal(r.error.field, field, r.error.message);
  if (re) assert.match(r.error.message, re);
  return r.error.message;
}

describe('draft fields as the user types', () => {
  test('a good draft has no errors', () => {
    assert.deepEqual(validateDraftFields(draft()), {});
  });

  test('rejects a Subject with CR/LF', () => {
    assert.match(validateDraftFields(draft({ subject: 'Hi\r\nBcc: x@y.test' })).subject, /^Subject contains a line break \(CR\)/);
    assert.match(validateDraftFields(draft({ subject: 'Hi\nX: y' })).subject, /line break \(LF\)/);
  });

  test('names each bad field separately', () => {
    const errors = validateDraftFields(draft({ to: 'bob@', cc: 'x y', replyTo: '"open', customHeaders: [{ name: 'X:Y', value: 'v\0' }] }));
    assert.deepEqual(Object.keys(errors).sort(), ['cc', 'customHeaders.0.name', 'customHeaders.0.value', 'replyTo', 'to']);
  });

  test('requires a From and a recipient for sending, not for a preview', () => {
    const empty = draft({ from: '', to: '' });
    assert.deepEqual(Object.keys(validateDraftFields(empty)).sort(), ['from', 'to']);
    assert.deepEqual(validateDraftFields(empty, { forSending: false }), {});
  });

  test('refuses NUL in the bodies and the raw text', () => {
    assert.match(validateDraftFields(draft({ text: 'a\0b' })).text, /NUL/);
    assert.match(validateDraftFields(draft({ html: '<p>\0</p>' })).html, /NUL/);
    assert.match(validateDraftFields(draft({ rawMode: true, raw: 'Subject: x\r\n\r\n\0', mailFrom: 'a@x.test', rcptTo: ['b@y.test'] })).raw, /NUL/);
  });

  test('checks an edited envelope: null sender allowed, each recipient named', () => {
    const d = draft({ envelopeEdited: true, mailFrom: '<>', rcptTo: ['ok@x.test', 'bad@', 'a@x.test SIZE=1'] });
    assert.deepEqual(Object.keys(validateDraftFields(d)).sort(), ['rcptTo.1', 'rcptTo.2']);
    assert.match(validateDraftFields(draft({ envelopeEdited: true, mailFrom: 'x y', rcptTo: ['a@x.test'] })).mailFrom, /spaces/);
  });

  test('checks attachments: base64, content type, total size', () => {
    const a = { filename: 'a.txt', contentType: 'text/plain', contentBase64: 'aGk=' };
    assert.deepEqual(validateDraftFields(draft({ attachments: [a] })), {});
    assert.match(validateDraftFields(draft({ attachments: [{ ...a, contentBase64: 'not base64' }] }))['attachments.0'], /base64/);
    assert.match(validateDraftFields(draft({ attachments: [{ ...a, contentType: 'text' }] }))['attachments.0'], /type\/subtype/);
    assert.match(validateDraftFields(draft({ attachments: [{ ...a, filename: 'a\r\n.txt' }] }))['attachments.0'], /line break/);
    const big = 'A'.repeat(Math.ceil((DRAFT_LIMITS.maxAttachmentBytes * 4) / 3) + 4);
    assert.match(validateDraftFields(draft({ attachments: [{ ...a, contentBase64: big }] })).attachments, /MiB/);
  });
});

describe('the envelope follows the headers unless edited', () => {
  test('From gives MAIL FROM; To, Cc and Bcc give RCPT TO, without duplicates', () => {
    const d = draft({ to: 'Bob <bob@example.test>, c@x.test', cc: 'BOB@example.test', bcc: 'hidden@x.test' });
    assert.deepEqual(effectiveEnvelope(d), { mailFrom: 'ann@example.test', rcptTo: ['bob@example.test', 'c@x.test', 'hidden@x.test'] });
    assert.equal(envelopeDiffersFromHeaders(d), false);
  });

  test('an edited envelope is used as typed and the difference is reported', () => {
    const d = draft({ envelopeEdited: true, mailFrom: 'bounce@example.test', rcptTo: ['bob@example.test'] });
    assert.deepEqual(effectiveEnvelope(d), { mailFrom: 'bounce@example.test', rcptTo: ['bob@example.test'] });
    assert.equal(envelopeDiffersFromHeaders(d), true);
  });
});

describe('session requests from main', () => {
  test('accepts a good request and keeps only known keys', () => {
    const r = parseSessionRequest({ ...request(), extra: 'ignored', heloName: 'client.example.test', timeouts: { commandMs: 5000, bogus: 1 } });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    if (!r.ok) return;
    assert.equal('extra' in r.value, false);
    assert.deepEqual(r.value.timeouts, { commandMs: 5000 });
    assert.equal(r.value.heloName, 'client.example.test');
  });

  test('refuses before any socket opens: bad target, port, HELO, timeouts, stages', () => {
    failure(parseSessionRequest(request({ target: { kind: 'host', host: 'bad host', port: 25 } })), 'target.host');
    failure(parseSessionRequest({ ...request(), target: { kind: 'host', host: 'x.test', port: 70000 } }), 'target.port');
    failure(parseSessionRequest(request({ heloName: 'localhost' })), 'heloName', /fully qualified/);
    failure(parseSessionRequest(request({ heloName: 'a\r\nb.test' })), 'heloName', /line break/);
    failure(parseSessionRequest({ ...request(), timeouts: { dataEndMs: -5 } }), 'timeouts.dataEndMs');
    failure(parseSessionRequest({ ...request(), breakpoints: ['rcpt', 'nope'] }), 'breakpoints.1');
    failure(parseSessionRequest({ ...request(), tls: 'maybe' }), 'tls');
    failure(parseSessionRequest({ ...request(), resolver: 'dns.example.test' }), 'resolver');
  });

  test('refuses draft problems with the field path', () => {
    failure(parseSessionRequest(request({ draft: draft({ subject: 'x\ny' }) })), 'draft.subject', /line break/);
    failure(parseSessionRequest(request({ draft: draft({ to: '', cc: '', bcc: '' }) })), 'draft.to', /recipient/);
    failure(parseSessionRequest({ ...request(), draft: { ...draft(), text: 42 } }), 'draft.text');
  });

  test('AUTH needs TLS unless plaintext to a loopback relay is explicitly allowed', () => {
    const auth = { user: 'alice', password: 'canary-pw', mechanism: 'PLAIN' as const };
    const m = failure(parseSessionRequest(request({ auth, tls: 'none' })), 'tls', /AUTH needs TLS/);
    assert.doesNotMatch(m, /canary-pw/);
    assert.ok(parseSessionRequest(request({ auth, tls: 'none', allowPlaintextAuthOnLoopback: true })).ok);
    assert.ok(parseSessionRequest(request({ auth, tls: 'require' })).ok);
  });

  test('never quotes the password in a refusal', () => {
    const m = failure(parseSessionRequest(request({ auth: { user: 'alice', password: 'canary\r\npw', mechanism: 'PLAIN' } })), 'auth.password');
    assert.doesNotMatch(m, /canary/);
    failure(parseSessionRequest(request({ auth: { user: 'al\x1bice', password: 'x', mechanism: 'LOGIN' } })), 'auth.user', /escape/);
    failure(parseSessionRequest(request({ auth: { user: 'alice', mechanism: 'LOGIN' } })), 'auth.password', /needs a password/);
  });
});

describe('step requests', () => {
  test('accept a typed command, the DATA body and run-to-end', () => {
    assert.deepEqual(parseStepRequest({ sessionId: 's1', command: { kind: 'send', line: 'VRFY bob' } }), { ok: true, value: { sessionId: 's1', command: { kind: 'send', line: 'VRFY bob' } } });
    assert.ok(parseStepRequest({ sessionId: 's1', command: { kind: 'data-body' } }).ok);
    assert.ok(parseStepRequest({ sessionId: 's1', command: { kind: 'run-to-end' } }).ok);
  });

  test('refuse CR/LF injection in a typed command', () => {
    failure(parseStepRequest({ sessionId: 's1', command: { kind: 'send', line: 'NOOP\r\nRCPT TO:<x@y.test>' } }), 'command.line', /line break/);
    failure(parseStepRequest({ sessionId: 's1', command: { kind: 'send', line: 'NOOP\0' } }), 'command.line', /NUL/);
    failure(parseStepRequest({ sessionId: 's1', command: { kind: 'jump' } }), 'command.kind');
  });
});

describe('REQUEST_VALIDATORS are wired', () => {
  test('startSession, stepSession and previewMessage use the real validators', () => {
    assert.ok(REQUEST_VALIDATORS.startSession(request()).ok);
    assert.equal(REQUEST_VALIDATORS.startSession({}).ok, false);
    assert.ok(REQUEST_VALIDATORS.stepSession({ sessionId: 'a', command: { kind: 'run-to-end' } }).ok);
    assert.ok(REQUEST_VALIDATORS.previewMessage({ draft: draft({ to: '' }) }).ok);
    assert.equal(REQUEST_VALIDATORS.previewMessage({ draft: draft({ subject: '\r' }) }).ok, false);
    assert.ok(parseDraft(draft()).ok);
  });
});
