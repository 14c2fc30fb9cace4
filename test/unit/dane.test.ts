import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import type { TlsaRecord } from '../../shared/dns-types';
import { decideTlsa, matchChain, tlsaOwnerName, type ChainCert, type DaneHashes } from '../../shared/dane';

const hashes: DaneHashes = {
  sha256: (d) => createHash('sha256').update(d).digest(),
  sha512: (d) => createHash('sha512').update(d).digest(),
};

function fakeCert(): ChainCert {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // Stand-in DER: the matching logic only hashes bytes, so any distinct bytes containing the SPKI will do.
  return { der: Buffer.concat([Buffer.from([0x30, 0x82]), spki]), spki };
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const leaf = fakeCert();
const issuer = fakeCert();
const rec = (usage: number, selector: number, matchingType: number, data: string): TlsaRecord => ({ usage, selector, matchingType, data });

describe('DANE TLSA usability (RFC 7672 §2.2)', () => {
  const r311 = rec(3, 1, 1, hex(hashes.sha256(leaf.spki)));
  test('the owner name is _25._tcp.<mx>, port-aware', () => {
    assert.equal(tlsaOwnerName('MX.Example.org.'), '_25._tcp.mx.example.org');
    assert.equal(tlsaOwnerName('mx.example.org', 465), '_465._tcp.mx.example.org');
  });
  test('only secure TLSA counts', () => assert.equal(decideTlsa('secure', [r311]).usability, 'usable'));
  test('insecure TLSA is ignored', () => assert.equal(decideTlsa('insecure', [r311]).usability, 'ignored'));
  test('bogus TLSA makes the host unusable, never secure', () => {
    const d = decideTlsa('bogus', [r311]);
    assert.equal(d.usability, 'host-unusable');
    assert.match(d.verdict, /bogus/);
  });
  test('a non-validating resolver cannot judge', () => assert.equal(decideTlsa('unknown', [r311]).usability, 'cannot-judge'));
  test('no records: DANE does not apply', () => assert.equal(decideTlsa('secure', []).usability, 'none'));
  test('PKIX-TA/EE (0/1) are unusable for SMTP (RFC 7672 §3.1.3)', () => {
    const d = decideTlsa('secure', [rec(1, 1, 1, 'ab'), rec(0, 0, 1, 'cd')]);
    assert.equal(d.usability, 'host-unusable');
    assert.equal(d.usable.length, 0);
  });
});

describe('DANE chain matching (RFC 6698 §2.1, RFC 7672 §3.1)', () => {
  test('DANE-EE 3 1 1 matches the leaf SPKI by SHA-256', () => {
    const m = matchChain([rec(3, 1, 1, hex(hashes.sha256(leaf.spki)))], [leaf, issuer], hashes);
    assert.equal(m.matched, true);
    assert.equal(m.needsChainAndName, false);
    assert.equal(m.rfc, 'RFC 7672 §3.1.1');
  });
  test('DANE-EE 3 0 2 matches the full leaf by SHA-512; 3 0 0 by exact bytes', () => {
    assert.equal(matchChain([rec(3, 0, 2, hex(hashes.sha512(leaf.der)))], [leaf], hashes).matched, true);
    assert.equal(matchChain([rec(3, 0, 0, hex(leaf.der))], [leaf], hashes).matched, true);
  });
  test('DANE-EE does not match an issuer certificate', () => {
    assert.equal(matchChain([rec(3, 1, 1, hex(hashes.sha256(issuer.spki)))], [leaf, issuer], hashes).matched, false);
  });
  test('DANE-TA 2 1 1 matches a chain element and then needs chain and name checks', () => {
    const m = matchChain([rec(2, 1, 1, hex(hashes.sha256(issuer.spki)))], [leaf, issuer], hashes);
    assert.equal(m.matched, true);
    assert.equal(m.chainIndex, 1);
    assert.equal(m.needsChainAndName, true);
    assert.equal(m.rfc, 'RFC 7672 §3.1.2');
  });
  test('a mismatching record does not match', () => {
    const m = matchChain([rec(3, 1, 1, '00'.repeat(32))], [leaf], hashes);
    assert.equal(m.matched, false);
    assert.match(m.verdict, /No usable TLSA record matches/);
  });
  test('PKIX-EE with the right hash still does not count for SMTP', () => {
    assert.equal(matchChain([rec(1, 1, 1, hex(hashes.sha256(leaf.spki)))], [leaf], hashes).matched, false);
  });
  test('no certificate presented: no match', () => assert.equal(matchChain([rec(3, 1, 1, 'ab')], [], hashes).matched, false));
});
