import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptyCapabilities, parseEhloReply } from '../../shared/smtp/capabilities';

const ehlo = (...lines: string[]) => parseEhloReply({ code: 250, lines });

describe('EHLO capabilities', () => {
  test('reads the usual Postfix reply', () => {
    const c = ehlo('mx.example.test', 'PIPELINING', 'SIZE 10240000', 'VRFY', 'ETRN', 'STARTTLS', 'ENHANCEDSTATUSCODES', '8BITMIME', 'DSN', 'SMTPUTF8', 'CHUNKING');
    assert.deepEqual(c, {
      pipelining: true,
      chunking: true,
      binaryMime: false,
      starttls: true,
      smtputf8: true,
      eightBitMime: true,
      dsn: true,
      enhancedStatusCodes: true,
      size: 10240000,
      auth: [],
      keywords: ['PIPELINING', 'SIZE', 'VRFY', 'ETRN', 'STARTTLS', 'ENHANCEDSTATUSCODES', '8BITMIME', 'DSN', 'SMTPUTF8', 'CHUNKING'],
      domain: 'mx.example.test',
    });
  });

  test('matches keywords case-insensitively', () => {
    const c = ehlo('x Hello', 'pipelining', 'StartTLS', 'chunking', 'BinaryMime', '8bitmime', 'auth plain login');
    assert.equal(c.pipelining && c.starttls && c.chunking && c.binaryMime && c.eightBitMime, true);
    assert.deepEqual(c.auth, ['PLAIN', 'LOGIN']);
  });

  test('does not take the greeting line as a keyword', () => {
    const c = ehlo('STARTTLS.example.test says PIPELINING');
    assert.equal(c.starttls, false);
    assert.equal(c.pipelining, false);
    assert.deepEqual(c.keywords, []);
    assert.equal(c.domain, 'STARTTLS.example.test');
  });

  test('reads SIZE with and without a number (RFC 1870)', () => {
    assert.equal(ehlo('x', 'SIZE 52428800').size, 52428800);
    assert.equal(ehlo('x', 'SIZE').size, undefined);
    assert.equal(ehlo('x', 'SIZE 0').size, undefined);
    assert.equal(ehlo('x', 'SIZE lots').size, undefined);
    assert.ok(ehlo('x', 'SIZE').keywords.includes('SIZE'));
  });

  test('reads AUTH mechanisms, also from the old AUTH= form, without duplicates', () => {
    assert.deepEqual(ehlo('x', 'AUTH PLAIN LOGIN CRAM-MD5', 'AUTH=PLAIN LOGIN').auth, ['PLAIN', 'LOGIN', 'CRAM-MD5']);
    assert.deepEqual(ehlo('x', 'AUTH=LOGIN').auth, ['LOGIN']);
    assert.deepEqual(ehlo('x', 'AUTH  scram-sha-256   xoauth2').auth, ['SCRAM-SHA-256', 'XOAUTH2']);
  });

  test('ignores junk lines and mechanism names SASL cannot have', () => {
    const c = ehlo('x', '', '   ', '-BAD', 'AUTH <script> PLAIN', '\u202eSTARTTLS');
    assert.deepEqual(c.auth, ['PLAIN']);
    assert.equal(c.starttls, false);
    assert.deepEqual(c.keywords, ['AUTH']);
  });

  test('an empty reply gives empty capabilities', () => {
    assert.deepEqual(parseEhloReply({ code: 250, lines: [] }), emptyCapabilities());
  });
});
