import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyDraft, envelopeDifferences, rawTemplate, syncEnvelope } from '../../renderer/compose/draft-state';
import { recipientDomains } from '../../renderer/compose/field-checks';
import { allErrors, buildSessionRequest, draftForSend } from '../../renderer/send/send-request';
import { applyPreset, defaultTarget, describeTarget, firstTried } from '../../renderer/target/target-state';
import type { MxHostView } from '../../shared/model';

const draft = (over: Partial<ReturnType<typeof emptyDraft>> = {}) => syncEnvelope({ ...emptyDraft(), from: 'Ann <ann@example.test>', to: 'bob@example.net', subject: 's', text: 't', ...over });

describe('envelope and headers', () => {
  test('the envelope follows the headers until it is edited', () => {
    const d = draft({ cc: 'carol@example.org', bcc: 'dave@example.net' });
    assert.equal(d.mailFrom, 'ann@example.test');
    assert.deepEqual(d.rcptTo, ['bob@example.net', 'carol@example.org', 'dave@example.net']);
    const edited = syncEnvelope({ ...d, envelopeEdited: true, to: 'eve@example.com' });
    assert.deepEqual(edited.rcptTo, d.rcptTo);
  });

  test('a Bcc recipient is named as envelope-only, never a header', () => {
    const diffs = envelopeDifferences(draft({ bcc: 'dave@example.net' }));
    assert.deepEqual(
      diffs.map((x) => x.kind),
      ['bcc'],
    );
  });

  test('an edited envelope that differs from the headers is spelled out', () => {
    const d = { ...draft(), envelopeEdited: true, mailFrom: 'bounces@example.test', rcptTo: ['other@example.com'] };
    const kinds = envelopeDifferences(d).map((x) => x.kind);
    assert.deepEqual(kinds, ['sender', 'envelope-only', 'header-only']);
    assert.match(envelopeDifferences(d)[2].text, /bob@example\.net .* will NOT receive/);
  });

  test('the null sender is named as such', () => {
    const d = { ...draft(), envelopeEdited: true, mailFrom: '<>' };
    assert.match(envelopeDifferences(d)[0].text, /null sender <>/);
  });

  test('raw mode starts from the form as a template', () => {
    assert.equal(rawTemplate(draft()), 'From: Ann <ann@example.test>\nTo: bob@example.net\nSubject: s\n\nt');
  });

  test('MX lookups go to each recipient domain once, as A-labels', () => {
    assert.deepEqual(recipientDomains(['a@Example.test', 'b@example.test', 'c@bücher.test']), ['example.test', 'xn--bcher-kva.test']);
  });
});

describe('target and request', () => {
  test('presets set port, TLS and AUTH together', () => {
    const sub = applyPreset(defaultTarget(), 'submission');
    assert.deepEqual([sub.kind, sub.port, sub.tls, sub.authEnabled], ['host', '587', 'starttls', true]);
    const smtps = applyPreset(sub, 'smtps');
    assert.deepEqual([smtps.port, smtps.tls], ['465', 'implicit']);
    const local = applyPreset(smtps, 'local-postfix');
    assert.deepEqual([local.host, local.port, local.authEnabled], ['localhost', '25', false]);
  });

  test('pipelining and chunking are on by default; the certificate is verified', () => {
    const t = defaultTarget();
    assert.deepEqual([t.pipelining, t.chunking, t.certPolicy], [true, true, 'verify']);
  });

  test('the request carries the MX preference and the port, and the password only under auth', () => {
    const t = { ...defaultTarget(), mxPort: '2525', preferHost: 'mx1.example.test', preferAddress: '127.0.0.1' };
    const req = buildSessionRequest(draft(), false, t, 'step', 'pw');
    assert.deepEqual(req.target, { kind: 'mx', preferHost: 'mx1.example.test', preferAddress: '127.0.0.1' });
    assert.equal(req.port, 2525);
    assert.equal(req.mode, 'step');
    assert.equal(req.auth, undefined);
    const withAuth = buildSessionRequest(draft(), false, { ...t, authEnabled: true, authUser: 'ann' }, 'auto', 'pw');
    assert.deepEqual(withAuth.auth, { user: 'ann', password: 'pw', mechanism: 'auto' });
    assert.match(describeTarget(t, 'example.test'), /MX of example\.test port 2525, mx1\.example\.test \[127\.0\.0\.1\] first/);
  });

  test('an HTML alternative switched off is not sent', () => {
    assert.equal(draftForSend(draft({ html: '<p>x</p>' }), false).html, '');
    assert.equal(draftForSend(draft({ html: '<p>x</p>' }), true).html, '<p>x</p>');
  });

  test('Send is gated by field errors from the shared validators, the target included', () => {
    const errs = allErrors(draft({ from: 'ann@' }), false, { ...defaultTarget(), kind: 'host', host: '', heloName: 'bad name' });
    assert.ok(errs.from);
    assert.ok(errs.host);
    assert.ok(errs.heloName);
    assert.deepEqual(allErrors(draft(), false, defaultTarget()), {});
  });

  test('the first-tried MX host and address follow the pick, else the order', () => {
    const host = (exchange: string, preference: number, addrs: string[]): MxHostView => ({
      exchange,
      exchangeUnicode: exchange,
      preference,
      implicit: false,
      addresses: addrs.map((address) => ({ family: address.includes(':') ? 6 : 4, address, flags: [] })),
      queries: [],
      warnings: [],
    });
    const hosts = [host('a.test', 10, ['192.0.2.1']), host('b.test', 10, ['192.0.2.2', '2001:db8::2'])];
    assert.deepEqual(firstTried(hosts, {}), { host: hosts[0], address: '192.0.2.1', tie: true });
    assert.deepEqual(firstTried(hosts, { preferHost: 'b.test', preferAddress: '2001:db8::2' }), { host: hosts[1], address: '2001:db8::2', tie: false });
  });
});
