import assert from 'node:assert/strict';
import { test } from 'node:test';
import { looksLikeBounce, readBounce } from '../../shared/analyse/bounce';
import { adviceFor, enhancedCodeIn, replyCodeIn, stageOf } from '../../shared/analyse/bounce-words';
import { parseDsnFields, typedValue } from '../../shared/analyse/dsn-fields';
import { readHeaderBlock } from '../../shared/analyse/header-block';

test('reads per-message and per-recipient DSN fields, unfolding continuation lines (RFC 3464 §2)', () => {
  const dsn = parseDsnFields(
    'Reporting-MTA: dns; mx.example\r\nArrival-Date: Mon, 7 Dec 2026 10:00:00 +0000\r\n\r\n' +
      'Final-Recipient: rfc822; a@x.example\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1\r\n  user unknown\r\n\r\n' +
      'Final-Recipient: rfc822; b@x.example\r\nAction: delayed\r\nStatus: 4.4.1\r\n',
  );
  assert.equal(typedValue(dsn.perMessage.get('reporting-mta')), 'mx.example');
  assert.equal(dsn.recipients.length, 2);
  assert.equal(typedValue(dsn.recipients[0].get('diagnostic-code')), '550 5.1.1 user unknown');
  assert.equal(dsn.recipients[1].get('action'), 'delayed');
});

test('finds the stage from the diagnostic words of each MTA, and from the status when the text names none', () => {
  assert.equal(stageOf('(in reply to RCPT TO command)', undefined), 'rcpt');
  assert.equal(stageOf('SMTP error from remote mail server after end of data', undefined), 'after-data');
  assert.equal(stageOf('in reply to MAIL FROM command', undefined), 'mail');
  assert.equal(stageOf('connect to mx[192.0.2.1]:25: Connection refused', undefined), 'connect');
  assert.equal(stageOf('Host or domain name not found. Name service error', undefined), 'dns');
  assert.equal(stageOf('>>> DATA <<< 550 5.1.1 User unknown', '5.1.1'), 'rcpt', 'pipelined RCPT refusal (RFC 2920)');
  assert.equal(stageOf('something odd', '5.3.4'), 'data');
  assert.equal(stageOf('something odd', undefined), 'unknown');
});

test('reads enhanced and basic codes from server text', () => {
  assert.equal(enhancedCodeIn('550 5.01.001 nope'), '5.1.1');
  assert.equal(enhancedCodeIn('version 1.2.3 of the thing'), undefined);
  assert.equal(replyCodeIn('smtp; 550-5.1.1 The email account'), 550);
  assert.equal(replyCodeIn('port 25 is closed'), undefined);
});

test('says what to do, in words that fit the cause', () => {
  assert.match(adviceFor({ status: '5.1.1', stage: 'rcpt', text: 'User unknown' }), /^Check the address for typos/);
  assert.match(adviceFor({ status: '5.7.1', stage: 'after-data', text: 'rejected: DMARC policy' }), /SPF, DKIM and DMARC/);
  assert.match(adviceFor({ status: '5.7.1', stage: 'rcpt', text: 'listed at zen.spamhaus.org' }), /blocklist/);
  assert.match(adviceFor({ status: '5.2.2', stage: 'rcpt', text: 'over quota' }), /mailbox is full/);
  assert.match(adviceFor({ action: 'delayed', status: '4.4.1', stage: 'connect', text: '', willRetryUntil: 'Sat' }), /keeps trying until Sat/);
  assert.match(adviceFor({ action: 'delivered', stage: 'unknown', text: '' }), /^Nothing to do/);
});

test('recognises a bounce by its report type, its sender or its X-Failed-Recipients, not by a word in a subject alone', () => {
  const h = (t: string) => readHeaderBlock(t + '\r\n\r\n').fields;
  assert.ok(looksLikeBounce(h('Content-Type: multipart/report; report-type=delivery-status; boundary=x'), ''));
  assert.ok(looksLikeBounce(h('X-Failed-Recipients: a@b.example'), ''));
  assert.ok(looksLikeBounce(h('From: MAILER-DAEMON@x.example\r\nSubject: failure notice'), ''));
  assert.ok(!looksLikeBounce(h('From: friend@x.example\r\nSubject: Undeliverable jokes'), 'Hi there'));
});

test('a DSN with a hostile diagnostic is shown inert and cut', () => {
  const report = readBounce({
    headers: [],
    humanText: '',
    deliveryStatus: `Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.7.1\nDiagnostic-Code: smtp; 550 5.7.1 \u001b[2J\u202e${'x'.repeat(5000)}\n`,
  });
  const d = report.recipients[0].diagnostic ?? '';
  assert.ok(d.includes('\\x1b[2J\\u202e'));
  assert.ok(d.length < 1100);
});
