import { test } from 'node:test';
import assert from 'node:assert/strict';
import { xtextDecode, xtextEncode } from '../../shared/smtp/xtext';
import { dsnMailParams, dsnProblem, dsnRcptParams } from '../../shared/smtp/dsn-params';
import { xclientCommand } from '../../shared/smtp/xclient';
import { oauthBearerPayload, oauthStart, xoauth2Payload } from '../../shared/smtp/oauth';
import { lhlo } from '../../shared/smtp/lmtp';
import { validateProtocolGroup } from '../../shared/validate/protocol';

test('xtext encodes "+", "=", space, controls and non-ASCII as +HH and leaves other printable ASCII (RFC 3461 §4)', () => {
  assert.equal(xtextEncode('a+b=c d'), 'a+2Bb+3Dc+20d');
  assert.equal(xtextEncode('é'), '+C3+A9');
  assert.equal(xtextEncode('x\r\n'), 'x+0D+0A');
  assert.equal(xtextDecode(xtextEncode('a+b=c dé')), 'a+b=c dé');
  assert.equal(xtextDecode('bad+zz'), undefined);
});

test('DSN parameters go on MAIL (RET, ENVID) and RCPT (NOTIFY, ORCPT rfc822;xtext)', () => {
  const d = { notify: ['SUCCESS', 'FAILURE'] as Array<'SUCCESS' | 'FAILURE'>, ret: 'HDRS' as const, envid: 'id 1+2', orcpt: true };
  assert.deepEqual(dsnMailParams(d), ['RET=HDRS', 'ENVID=id+201+2B2']);
  assert.deepEqual(dsnRcptParams(d, 'a+b@example.test'), ['NOTIFY=SUCCESS,FAILURE', 'ORCPT=rfc822;a+2Bb@example.test']);
  assert.match(dsnProblem({ notify: ['NEVER', 'DELAY'] }) ?? '', /NEVER cannot be combined/);
});

test('the protocol validator refuses bad NOTIFY, XCLIENT names and XCLIENT with LMTP', () => {
  assert.ok(validateProtocolGroup({ dsn: { notify: ['SOMETIMES'] } }).errors['protocol.dsn.notify']);
  assert.ok(validateProtocolGroup({ xclient: [{ name: 'EVIL', value: 'x' }] }).errors['protocol.xclient.0']);
  assert.ok(validateProtocolGroup({ lmtp: true, xclient: [{ name: 'ADDR', value: '192.0.2.1' }] }).errors['protocol.xclient']);
  assert.deepEqual(validateProtocolGroup({ lmtp: true, requireTls: true }).protocol, { lmtp: true, requireTls: true });
});

test('XCLIENT values are xtext-encoded; LHLO replaces EHLO', () => {
  const c = xclientCommand([{ name: 'ADDR', value: '192.0.2.7' }, { name: 'HELO', value: 'a b' }]);
  assert.ok(c.ok);
  assert.equal(c.value.wire, 'XCLIENT ADDR=192.0.2.7 HELO=a+20b\r\n');
  const l = lhlo('client.test');
  assert.ok(l.ok);
  assert.equal(l.value.wire, 'LHLO client.test\r\n');
});

test('XOAUTH2 and OAUTHBEARER initial responses carry the token on the wire only, redacted in display (RFC 7628 §3.1)', () => {
  assert.equal(xoauth2Payload('u@x', 'tok'), 'user=u@x\x01auth=Bearer tok\x01\x01');
  assert.equal(oauthBearerPayload('u,=x', 'tok'), 'n,a=u=2C=3Dx,\x01auth=Bearer tok\x01\x01');
  const c = oauthStart('OAUTHBEARER', 'u@x', 'CANARYtoken123');
  assert.ok(c.ok);
  assert.equal(Buffer.from(c.value.wire.split(' ')[2].trim(), 'base64').toString(), oauthBearerPayload('u@x', 'CANARYtoken123'));
  assert.doesNotMatch(c.value.display, /CANARY/);
  assert.equal(oauthStart('XOAUTH2', 'u', 'bad token\r\n').ok, false);
});
