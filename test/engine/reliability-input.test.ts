// RELIABILITY.md "Input from the form": refused before any socket opens (the shared validator the form
// uses, parseSessionRequest) and checked again in main (the session manager, which must not connect).
// Rules that need the server's answer (SMTPUTF8, IDN) and what reaches the wire (Bcc, RFC 2047, line
// length) are checked against a recording server. Step mode still refuses CR/LF.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Draft, SessionRequest } from '../../shared/model';
import { parseSessionRequest } from '../../shared/validate/session-request';
import { startHostileServer, type HostileServer } from '../support/hostile-server';
import { assertExplains, assertOneOutcome } from '../support/invariants';
import { hostRequest, runCase, startOnly } from '../support/session-case';
import { acceptMessage, hello, quit } from '../support/smtp-script';

type RequestPatch = Partial<Omit<SessionRequest, 'draft'>> & { draft?: Partial<Draft> };

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** Both layers refuse: the shared validator names `field`, and main's session manager never connects. */
async function refusedBeforeAnySocket(req: RequestPatch, field: string | RegExp) {
  server = await startHostileServer([...hello(), ...acceptMessage()]);
  const { draft, ...rest } = req;
  const full = hostRequest(server, { request: rest, draft });
  const parsed = parseSessionRequest(full);
  assert.equal(parsed.ok, false, 'the shared validator refuses it');
  if (!parsed.ok) {
    if (typeof field === 'string') assert.equal(parsed.error.field, field);
    else assert.match(parsed.error.field ?? '', field);
    assert.ok(parsed.error.message.length > 0 && parsed.error.message.length < 300, 'a short, plain message');
  }
  const main = startOnly(full);
  if (main.result.ok) {
    const o = await main.done();
    assert.equal(o?.outcome, 'not_delivered');
    assert.ok(!main.events.some((e) => e.kind === 'connect_attempt'), 'main refused it without connecting');
  } else if (typeof field === 'string') assert.equal(main.result.error.field, field);
  assert.equal(server.connections.length, 0, 'no socket was opened');
}

describe('control characters are refused with a field-level error', () => {
  const cases: Array<[string, RequestPatch, string | RegExp]> = [
    ['a Subject with CR/LF', { draft: { subject: 'Hello\r\nBcc: victim@example.test' } }, 'draft.subject'],
    ['a Subject with a NUL', { draft: { subject: 'Hello\0' } }, 'draft.subject'],
    ['a Subject with another C0 control (BEL)', { draft: { subject: 'Hello\x07' } }, 'draft.subject'],
    ['a Subject with DEL', { draft: { subject: 'Hello\x7f' } }, 'draft.subject'],
    ['a custom header value with LF', { draft: { customHeaders: [{ name: 'X-Test', value: 'a\nInjected: yes' }] } }, /^draft\.customHeaders/],
    ['a custom header name with a colon', { draft: { customHeaders: [{ name: 'X-Bad:Name', value: 'v' }] } }, /^draft\.customHeaders/],
    ['a custom header name with a space', { draft: { customHeaders: [{ name: 'X Bad', value: 'v' }] } }, /^draft\.customHeaders/],
    ['a From address with CR/LF', { draft: { from: 'a@example.test\r\nRCPT TO:<b@example.test>' } }, 'draft.from'],
    ['a HELO name with CR/LF', { heloName: 'client.example.test\r\nMAIL FROM:<x@example.test>' }, 'heloName'],
    ['an AUTH user with CR/LF', { auth: { user: 'alice\r\nQUIT', password: 'pw', mechanism: 'PLAIN' }, tls: 'require' }, 'auth.user'],
  ];
  for (const [name, req, field] of cases) test(`refuses ${name} before any socket opens`, () => refusedBeforeAnySocket(req, field));
});

describe('envelope addresses', () => {
  const edited = (mailFrom: string, rcptTo: string[]): Partial<Draft> => ({ envelopeEdited: true, mailFrom, rcptTo });
  const cases: Array<[string, Partial<Draft>, RegExp]> = [
    ['angle brackets smuggled into RCPT', edited('a@example.test', ['b@example.test> NOTIFY=NEVER <c@example.test']), /^draft\.rcptTo/],
    ['an ESMTP parameter smuggled into MAIL', edited('a@example.test SIZE=1', ['b@example.test']), /^draft\.mailFrom/],
    ['a space inside an address', edited('a@example.test', ['b c@example.test']), /^draft\.rcptTo/],
    ['a local part over 64 octets (RFC 5321 §4.5.3.1.1)', edited('a@example.test', [`${'l'.repeat(65)}@example.test`]), /^draft\.rcptTo/],
    ['a domain over 255 octets (§4.5.3.1.2)', edited('a@example.test', [`b@${Array.from({ length: 26 }, () => 'abcdefghi').join('.')}.test`]), /^draft\.rcptTo/],
    ['a path over 256 octets (§4.5.3.1.3)', edited('a@example.test', [`${'l'.repeat(64)}@${Array.from({ length: 20 }, () => 'abcdefghi').join('.')}.test`]), /^draft\.rcptTo/],
  ];
  for (const [name, draft, field] of cases) test(`refuses ${name} before any socket opens`, () => refusedBeforeAnySocket({ draft }, field));

  test('an address-literal HELO name is accepted', async () => {
    for (const helo of ['[192.0.2.1]', '[IPv6:2001:db8::1]']) {
      const parsed = parseSessionRequest(hostRequest({ host: '127.0.0.1', port: 25 }, { request: { heloName: helo } }));
      assert.ok(parsed.ok, `${helo} is a valid HELO name`);
    }
  });

  test('a non-ASCII local part without SMTPUTF8 stops before MAIL with a clear message', async () => {
    server = await startHostileServer([...hello('PIPELINING', '8BITMIME'), ...quit()]);
    const r = await runCase(server, hostRequest(server, { draft: { to: 'jürgen@example.test' } }));
    const o = assertOneOutcome(r.events, { outcome: 'not_delivered' });
    assertExplains(o, { dotSent: false, mentions: /SMTPUTF8/ });
    assert.ok(!server.connections[0].commands.some((c) => /^MAIL/i.test(c)), 'stopped before MAIL');
  });

  test('an IDN domain is sent as its A-label when SMTPUTF8 is not in use', async () => {
    server = await startHostileServer([...hello('PIPELINING'), ...acceptMessage()]);
    const r = await runCase(server, hostRequest(server, { draft: { to: 'user@bücher.test' } }));
    assertOneOutcome(r.events, { outcome: 'delivered' });
    assert.ok(server.connections[0].commands.includes('RCPT TO:<user@xn--bcher-kva.test>'), server.connections[0].commands.join(' | '));
  });
});

describe('what reaches the wire', () => {
  async function deliveredWire(draft: Partial<Draft>, recipients = 1): Promise<{ body: string; commands: string[] }> {
    server = await startHostileServer([...hello(), ...acceptMessage(recipients)]);
    const r = await runCase(server, hostRequest(server, { draft }));
    assertOneOutcome(r.events, { outcome: 'delivered' });
    return { body: Buffer.concat(server.connections[0].bodies).toString('latin1'), commands: server.connections[0].commands };
  }

  test('Bcc goes to RCPT only, never into a header', async () => {
    const { body, commands } = await deliveredWire({ to: 'rcpt@example.test', bcc: 'hidden@example.test' }, 2);
    assert.ok(commands.includes('RCPT TO:<hidden@example.test>'));
    assert.ok(!/hidden@example\.test/i.test(body), 'the Bcc address is not in the message');
    assert.ok(!/^bcc:/im.test(body));
  });

  test('non-ASCII header text is RFC 2047-encoded', async () => {
    const { body } = await deliveredWire({ subject: 'Grüße aus Köln' });
    const subject = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(body)?.[1] ?? '';
    assert.match(subject, /=\?utf-8\?[QB]\?/i);
    assert.ok(![...Buffer.from(body, 'latin1')].some((b) => b >= 0x80), 'headers are 7-bit');
  });

  test('a long Subject is folded so that every line on the wire is at most 998 octets', async () => {
    const { body } = await deliveredWire({ subject: `${'word '.repeat(600)}end` });
    assert.ok(Math.max(...body.split('\r\n').map((l) => l.length)) <= 998);
  });
});

describe('step mode', () => {
  test('step mode still refuses a command line with CR/LF in it', async () => {
    server = await startHostileServer([...hello(), ...acceptMessage()]);
    let tried = false;
    let refusedStep: boolean | undefined;
    const req = hostRequest(server, { request: { mode: 'step' } });
    const r = await runCase(server, req, {
      onEvent: (e, control) => {
        if (e.kind !== 'step_prompt') return;
        if (!tried) {
          tried = true;
          const res = control.step({ kind: 'send', line: 'NOOP\r\nMAIL FROM:<evil@example.test>' });
          refusedStep = !res.ok;
          if (!res.ok) control.step({ kind: 'run-to-end' });
        } else control.step({ kind: 'run-to-end' });
      },
    });
    assertOneOutcome(r.events, { outcome: 'delivered' });
    const said = r.events.flatMap((e) => (e.kind === 'info' ? [e.text] : [])).join(' | ');
    assert.ok(refusedStep || /refused/i.test(said), 'the line was refused');
    assert.ok(!server.connections[0].commands.some((c) => /NOOP|evil/.test(c)), 'nothing of the refused line reached the server');
  });
});
