// A realistic finished session as events, for the store and export tests (no network involved).
import type { SessionEvent, SessionEventBody } from '../../shared/events';
import type { Draft, SessionRequest } from '../../shared/model';
import { emptyDraft } from '../../shared/model';

export function sampleDraft(over: Partial<Draft> = {}): Draft {
  return {
    ...emptyDraft(),
    from: 'Alice <alice@example.test>',
    to: 'bob@example.test',
    subject: 'Test from MX Desk',
    customHeaders: [{ name: 'X-Test', value: 'yes' }],
    text: 'Hello Bob,\n.a line that starts with a dot\n\nbye\n',
    mailFrom: 'alice@example.test',
    rcptTo: ['bob@example.test'],
    envelopeEdited: true,
    ...over,
  };
}

export function sampleRequest(over: Partial<SessionRequest> = {}): SessionRequest {
  return {
    draft: sampleDraft(),
    target: { kind: 'host', host: 'smtp.example.test', port: 587 },
    tls: 'starttls',
    certPolicy: 'verify',
    heloName: 'client.example.test',
    auth: { user: 'alice', mechanism: 'PLAIN' },
    pipelining: true,
    chunking: false,
    mode: 'auto',
    ...over,
  };
}

/** Stamps bodies as the session manager does: seq from 0, `at` growing. */
export function stamp(sessionId: string, bodies: SessionEventBody[], startAt = 0): SessionEvent[] {
  return bodies.map((b, i) => ({ ...b, sessionId, seq: i, at: startAt + i * 12.25 }) as SessionEvent);
}

export function sampleBodies(opts: { outcome?: boolean } = {}): SessionEventBody[] {
  const timing = (t: number) => ({ sentAt: t, firstByteAt: t + 5, completeAt: t + 6 });
  const bodies: SessionEventBody[] = [
    { kind: 'session_start', startedAt: '2026-05-01T10:00:00.000Z', target: 'smtp.example.test:587', mode: 'auto', envelope: { mailFrom: 'alice@example.test', rcptTo: ['bob@example.test'] } },
    { kind: 'dns', query: { type: 'A', name: 'smtp.example.test', status: 'ok', ms: 3.2, resolver: '127.0.0.1:5353' } },
    { kind: 'connect_attempt', host: 'smtp.example.test', address: '127.0.0.1', port: 587, family: 4 },
    { kind: 'connect_result', host: 'smtp.example.test', address: '127.0.0.1', port: 587, ok: true, ms: 1.1 },
    { kind: 'reply', stage: 'greeting', code: 220, lines: ['smtp.example.test ESMTP \\x1b[31mred'], explanation: 'Ready.', timing: timing(2) },
    { kind: 'command', stage: 'ehlo', text: 'EHLO client.example.test', pipelined: false, bytes: 26 },
    { kind: 'reply', stage: 'ehlo', code: 250, lines: ['smtp.example.test', 'PIPELINING', 'STARTTLS', 'AUTH PLAIN LOGIN'], explanation: 'OK.', timing: timing(10) },
    { kind: 'command', stage: 'starttls', text: 'STARTTLS', pipelined: false, bytes: 10 },
    { kind: 'reply', stage: 'starttls', code: 220, enhanced: '2.0.0', lines: ['2.0.0 Ready to start TLS'], explanation: 'Go ahead.', timing: timing(20) },
    { kind: 'tls', phase: 'start', mode: 'starttls', servername: 'smtp.example.test' },
    {
      kind: 'tls',
      phase: 'done',
      mode: 'starttls',
      servername: 'smtp.example.test',
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
      cert: { subject: 'CN=smtp.example.test', subjectAltNames: ['DNS:smtp.example.test'], issuer: 'CN=Test CA', validFrom: '2026-01-01', validTo: '2027-01-01', fingerprint256: 'AA:BB', selfSigned: false },
      verified: true,
      ms: 8,
    },
    { kind: 'command', stage: 'auth', text: 'AUTH PLAIN ‹redacted›', pipelined: false, bytes: 40 },
    { kind: 'reply', stage: 'auth', code: 235, enhanced: '2.7.0', lines: ['2.7.0 Authentication successful'], explanation: 'Logged in.', timing: timing(40) },
    { kind: 'command', stage: 'mail', text: 'MAIL FROM:<alice@example.test>', pipelined: true, bytes: 32 },
    { kind: 'command', stage: 'rcpt', text: 'RCPT TO:<bob@example.test>', pipelined: true, bytes: 28 },
    { kind: 'command', stage: 'data', text: 'DATA', pipelined: true, bytes: 6 },
    { kind: 'reply', stage: 'mail', code: 250, lines: ['OK'], explanation: 'Sender accepted.', timing: timing(50) },
    { kind: 'reply', stage: 'rcpt', code: 250, lines: ['OK'], explanation: 'Recipient accepted.', timing: timing(50) },
    { kind: 'recipient', rcpt: 'bob@example.test', accepted: true, code: 250, text: 'OK' },
    { kind: 'reply', stage: 'data', code: 354, lines: ['End data with <CR><LF>.<CR><LF>'], explanation: 'Send the message.', timing: timing(50) },
    { kind: 'data_body', bytes: 321, lines: 9, preview: 'Subject: Test from MX Desk\r\n\r\nHello Bob,\r\n', truncated: true, method: 'DATA' },
    { kind: 'reply', stage: 'body', code: 250, enhanced: '2.0.0', lines: ['2.0.0 Ok: queued as 4ABC123'], explanation: 'Accepted for delivery.', timing: timing(60) },
    { kind: 'command', stage: 'quit', text: 'QUIT', pipelined: true, bytes: 6 },
    { kind: 'reply', stage: 'quit', code: 221, lines: ['Bye'], explanation: 'Closing.', timing: timing(70) },
  ];
  if (opts.outcome !== false) bodies.push({ kind: 'outcome', outcome: 'delivered', stage: 'body', reason: 'The server accepted the message.', queueId: '4ABC123', dotSent: true, durationMs: 300.5 });
  return bodies;
}
