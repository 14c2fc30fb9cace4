import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decideTlsa } from '../../shared/dane';
import type { TlsaRecord } from '../../shared/dns-types';
import { daneVerdict, mxSetVerdict, stsHostVerdict } from '../../shared/policy-verdicts';

const r311: TlsaRecord = { usage: 3, selector: 1, matchingType: 1, data: 'ab'.repeat(32) };
const usable = decideTlsa('secure', [r311]);
const secureAddr = { A: 'secure', AAAA: 'secure' } as const;
const enforce = { mode: 'enforce' as const, mx: ['mx.example.org', '*.mail.example.org'], maxAge: 86400 };
const testing = { ...enforce, mode: 'testing' as const };

describe('policy verdicts: the MX set (RFC 7672 §2.2.1)', () => {
  test('secure passes, bogus fails, unsigned is a note, a non-validating resolver a warning', () => {
    assert.deepEqual(['secure', 'bogus', 'insecure', 'unknown'].map((s) => mxSetVerdict(s as 'secure').tone), ['pass', 'fail', 'info', 'warn']);
    assert.match(mxSetVerdict('bogus').verdict, /bogus/);
    assert.doesNotMatch(mxSetVerdict('bogus').verdict, /\bsecure\b/);
  });
});

describe('policy verdicts: DANE per host (RFC 7672 §2.2, §3.1)', () => {
  test('a matching certificate passes and a mismatch fails', () => {
    const match = { matched: true, needsChainAndName: false, verdict: 'matches', rfc: 'RFC 7672 §3.1.1' };
    assert.equal(daneVerdict({ decision: usable, addressDnssec: secureAddr, match, chainSeen: true }).tone, 'pass');
    assert.equal(daneVerdict({ decision: usable, addressDnssec: secureAddr, match: { ...match, matched: false }, chainSeen: true }).tone, 'fail');
  });
  test('usable TLSA and no TLS offered fails: a DANE MTA does not deliver in plain text', () => {
    const v = daneVerdict({ decision: usable, addressDnssec: secureAddr, noTls: 'STARTTLS was not offered', chainSeen: false });
    assert.equal(v.tone, 'fail');
    assert.match(v.verdict, /offered no TLS \(STARTTLS was not offered\)/);
  });
  test('usable TLSA without a probe is a warning that says the match was not checked', () => {
    assert.match(daneVerdict({ decision: usable, addressDnssec: secureAddr, chainSeen: false }).verdict, /not checked/);
  });
  test('secure TLSA behind unsigned address records is not used (RFC 7672 §2.2.2)', () => {
    const v = daneVerdict({ decision: usable, addressDnssec: { A: 'insecure' }, chainSeen: true });
    assert.equal(v.usability, 'ignored');
    assert.equal(v.rfc, 'RFC 7672 §2.2.2');
  });
  test('bogus address records make the host unusable', () => {
    assert.equal(daneVerdict({ decision: usable, addressDnssec: { A: 'secure', AAAA: 'bogus' }, chainSeen: true }).tone, 'fail');
  });
  test('a non-validating resolver warns; no TLSA is a note', () => {
    assert.equal(daneVerdict({ decision: decideTlsa('unknown', [r311]), chainSeen: true }).tone, 'warn');
    assert.equal(daneVerdict({ decision: decideTlsa('secure', []), addressDnssec: secureAddr, chainSeen: true }).tone, 'info');
  });
});

describe('policy verdicts: MTA-STS per host (RFC 8461 §4.1, §4.2, §5)', () => {
  const valid = { validForName: true };
  const invalid = { validForName: false, failure: 'self-signed' };
  test('in the policy with a name-valid certificate passes', () => {
    const v = stsHostVerdict('a.mail.example.org', enforce, valid, undefined);
    assert.deepEqual([v.inPolicy, v.certValid, v.tone], [true, true, 'pass']);
  });
  test('a certificate not valid for the name fails under enforce and warns under testing', () => {
    assert.equal(stsHostVerdict('mx.example.org', enforce, invalid, undefined).tone, 'fail');
    assert.match(stsHostVerdict('mx.example.org', enforce, invalid, undefined).verdict, /\(self-signed\)/);
    assert.equal(stsHostVerdict('mx.example.org', testing, invalid, undefined).tone, 'warn');
  });
  test('an MX not in the policy fails under enforce, warns under testing, and mode none asks nothing', () => {
    assert.equal(stsHostVerdict('backup.example.net', enforce, valid, undefined).tone, 'fail');
    assert.equal(stsHostVerdict('a.b.mail.example.org', enforce, valid, undefined).inPolicy, false);
    assert.equal(stsHostVerdict('backup.example.net', testing, valid, undefined).tone, 'warn');
    assert.equal(stsHostVerdict('backup.example.net', { mode: 'none', mx: [], maxAge: 0 }, valid, undefined).tone, 'info');
  });
  test('no TLS at a host in an enforce policy fails', () => {
    assert.equal(stsHostVerdict('mx.example.org', enforce, undefined, 'STARTTLS was not offered').tone, 'fail');
  });
});
