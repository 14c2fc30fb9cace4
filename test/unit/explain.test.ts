import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Stage } from '../../shared/model';
import { ENHANCED_DETAIL } from '../../shared/smtp/enhanced-codes';
import { describeEnhancedCode, explainReply } from '../../shared/smtp/explain';

describe('reply explanations', () => {
  const cases: [number, string | undefined, Stage, RegExp][] = [
    [250, undefined, 'rcpt', /recipient accepted/i],
    [250, '2.1.0', 'mail', /sender was accepted/i],
    [250, undefined, 'body', /accepted for delivery/i],
    [550, '5.1.1', 'rcpt', /the mailbox does not exist/],
    [421, undefined, 'mail', /closing the connection: temporary, try later/],
    [421, '4.7.0', 'rcpt', /closing the connection: temporary, try later/],
    [554, undefined, 'greeting', /no SMTP service here/i],
    [535, '5.7.8', 'auth', /the user name or password was rejected/],
    [535, undefined, 'auth', /the user name or password was rejected/],
    [530, '5.7.0', 'mail', /authentication required/],
    [552, undefined, 'body', /message too large for the server/],
    [451, '4.3.0', 'body', /temporary/i],
    [452, undefined, 'rcpt', /temporary/i],
    [450, '4.2.0', 'rcpt', /greylisting/],
    [354, undefined, 'data', /send the message now, end with a line holding one dot/i],
    [220, undefined, 'greeting', /ready/],
    [220, undefined, 'starttls', /start TLS/],
    [221, undefined, 'quit', /closed the session/],
    [334, undefined, 'auth', /challenge/],
    [235, '2.7.0', 'auth', /authentication succeeded/i],
    [502, '5.5.1', 'ehlo', /falls back to HELO/],
    [503, '5.5.1', 'data', /wrong order|not valid here/],
    [550, '5.7.1', 'rcpt', /not authorised/],
    [550, '5.7.26', 'body', /authentication checks/],
    [556, undefined, 'rcpt', /does not accept mail/],
    [521, undefined, 'greeting', /does not accept mail/],
  ];
  for (const [code, enh, stage, re] of cases) {
    test(`explains ${code}${enh ? ' ' + enh : ''} at ${stage}`, () => {
      assert.match(explainReply(code, enh, stage), re);
    });
  }

  test('says whether a failure is permanent or temporary', () => {
    assert.match(explainReply(550, '5.1.1', 'rcpt'), /Permanent/);
    assert.match(explainReply(451, undefined, 'rcpt'), /Temporary/);
    assert.doesNotMatch(explainReply(250, undefined, 'rcpt'), /Permanent|Temporary/);
  });

  test('explains every code at every stage without throwing or returning nothing', () => {
    const stages: Stage[] = ['dns', 'connect', 'greeting', 'ehlo', 'starttls', 'tls', 'auth', 'mail', 'rcpt', 'data', 'body', 'quit'];
    for (let code = 200; code < 560; code++) {
      for (const stage of stages) {
        const text = explainReply(code, undefined, stage);
        assert.ok(text.length > 5, `${code} ${stage}`);
      }
    }
  });

  test('a 552 to RCPT is too many recipients and temporary (RFC 5321 §4.5.3.1.10)', () => {
    for (const enh of [undefined, '5.5.3']) {
      const text = explainReply(552, enh, 'rcpt');
      assert.match(text, /too many recipients/i);
      assert.match(text, /Temporary/);
      assert.doesNotMatch(text, /Permanent/);
    }
    assert.match(explainReply(552, '5.2.2', 'rcpt'), /mailbox is full/, 'an explicit enhanced code keeps its meaning');
  });

  test('ignores an enhanced code that is not one', () => {
    assert.match(explainReply(550, 'junk', 'rcpt'), /mailbox is unavailable/);
  });
});

describe('enhanced status codes (RFC 3463)', () => {
  test('describes class, subject and detail', () => {
    assert.equal(describeEnhancedCode('5.1.1'), '5.1.1: the mailbox does not exist (addressing status; permanent failure: resending the same message will not work)');
    assert.match(describeEnhancedCode('4.2.2'), /mailbox is full.*temporary/);
    assert.match(describeEnhancedCode('2.0.0'), /success/);
  });

  test('covers every RFC 3463 detail from X.1.x to X.7.x', () => {
    const rfc3463: Record<number, number> = { 1: 8, 2: 4, 3: 5, 4: 7, 5: 5, 6: 5, 7: 7 };
    for (const [subject, last] of Object.entries(rfc3463)) {
      for (let d = 0; d <= last; d++) assert.ok(ENHANCED_DETAIL[`${subject}.${d}`], `X.${subject}.${d}`);
    }
  });

  test('covers the later registry additions in common use', () => {
    for (const code of ['5.7.8', '5.7.9', '5.7.13', '5.7.23', '5.7.25', '5.7.26', '5.7.27', '5.1.10', '5.6.7', '5.7.30']) {
      assert.doesNotMatch(describeEnhancedCode(code), /not a registered/, code);
    }
  });

  test('names unregistered details and refuses non-codes', () => {
    assert.match(describeEnhancedCode('4.7.999'), /detail 999 is not a registered code/);
    assert.match(describeEnhancedCode('hello'), /is not an enhanced status code/);
    assert.match(describeEnhancedCode('3.1.1'), /is not an enhanced status code/);
  });
});
