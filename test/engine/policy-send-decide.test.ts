// The pure decisions behind `tlsPolicy: 'mta'` (shared/policy-send.ts), rule by rule, without a network.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideCertificate, decideHostPolicy, tlsMandatory, type HostPolicyInput, type StsState } from '../../shared/policy-send';
import { parseSessionRequest } from '../../shared/validate/session-request';
import { parseCliArgs } from '../../electron/cli/args';
import { hostRequest, makeDraft } from '../support/session-fixtures';

const TLSA = { usage: 3, selector: 1, matchingType: 1, data: 'ab'.repeat(32) };
const owner = '_25._tcp.mx.example.test';
const enforce = (mx: string[]): StsState => ({ kind: 'policy', url: 'https://mta-sts.example.test/.well-known/mta-sts.txt', policy: { mode: 'enforce', mx, maxAge: 86400 } });
const input = (over: Partial<HostPolicyInput> = {}): HostPolicyInput => ({ host: 'mx.example.test', mxStatus: 'secure', tlsa: { owner, status: 'secure', records: [TLSA] }, sts: { kind: 'none', reason: 'no record' }, ...over });

describe('before connecting: what a host demands (RFC 7672, RFC 8461)', () => {
  test('secure usable TLSA: DANE, STARTTLS mandatory', () => {
    const d = decideHostPolicy(input());
    assert.equal(d.policy.kind, 'dane');
    assert.ok(tlsMandatory(d.policy));
  });
  test('DANE wins over an MTA-STS enforce policy that does not list the host (RFC 8461 §2)', () => {
    const d = decideHostPolicy(input({ sts: enforce(['other.example.test']) }));
    assert.equal(d.policy.kind, 'dane');
    assert.match(d.policy.reason, /DANE wins \(RFC 8461 §2\)/);
  });
  test('bogus TLSA: the host is not used (RFC 7672 §2.1.1)', () => {
    const d = decideHostPolicy(input({ tlsa: { owner, status: 'bogus', records: [] } }));
    assert.equal(d.policy.kind, 'skip');
    assert.equal(d.policy.rfc, 'RFC 7672 §2.1.1');
  });
  test('bogus address records: the host is not used (RFC 7672 §2.1.1)', () => {
    const d = decideHostPolicy(input({ addressStatus: { A: 'secure', AAAA: 'bogus' } }));
    assert.equal(d.policy.kind, 'skip');
    assert.match(d.policy.reason, /AAAA records of mx\.example\.test are bogus/);
  });
  test('a failed TLSA lookup (not a denial) does not downgrade: not used', () => {
    const d = decideHostPolicy(input({ tlsa: { owner, status: 'insecure', records: [], errorCode: 'ETIMEOUT' } }));
    assert.equal(d.policy.kind, 'skip');
  });
  test('TLSA in an unsigned zone is ignored and MTA-STS / opportunistic applies', () => {
    const d = decideHostPolicy(input({ mxStatus: 'insecure', tlsa: { owner, status: 'insecure', records: [TLSA] } }));
    assert.equal(d.policy.kind, 'opportunistic');
    assert.ok(d.warnings.some((w) => /not used|ignored/.test(w)));
  });
  test('a resolver that does not validate: DANE cannot be judged, said as a warning', () => {
    const d = decideHostPolicy(input({ mxStatus: 'unknown', tlsa: { owner, status: 'unknown', records: [TLSA] } }));
    assert.equal(d.policy.kind, 'opportunistic');
    assert.match(d.warnings.join(' '), /does not validate DNSSEC/);
  });
  test('secure TLSA records that are all unusable (PKIX-EE): TLS still mandatory', () => {
    const d = decideHostPolicy(input({ tlsa: { owner, status: 'secure', records: [{ ...TLSA, usage: 1 }] } }));
    assert.equal(d.policy.kind, 'encrypt');
    assert.ok(tlsMandatory(d.policy));
  });
  test('MTA-STS enforce: a host not listed is skipped, a listed one must verify (RFC 8461 §4.1, §5)', () => {
    const none = { owner, status: 'secure' as const, records: [] };
    assert.equal(decideHostPolicy(input({ tlsa: none, sts: enforce(['other.example.test']) })).policy.kind, 'skip');
    const listed = decideHostPolicy(input({ tlsa: none, sts: enforce(['*.example.test']) })).policy;
    assert.equal(listed.kind, 'mta-sts');
    assert.ok(tlsMandatory(listed));
  });
  test('MTA-STS testing: not listed is only a warning; none mode is opportunistic', () => {
    const none = { owner, status: 'secure' as const, records: [] };
    const testing: StsState = { kind: 'policy', url: 'u', policy: { mode: 'testing', mx: ['other.example.test'], maxAge: 60 } };
    const d = decideHostPolicy(input({ tlsa: none, sts: testing }));
    assert.equal(d.policy.kind, 'mta-sts');
    assert.equal(tlsMandatory(d.policy), false);
    assert.match(d.warnings.join(' '), /under enforce it would not be used/);
    const off: StsState = { kind: 'policy', url: 'u', policy: { mode: 'none', mx: [], maxAge: 60 } };
    assert.equal(decideHostPolicy(input({ tlsa: none, sts: off })).policy.kind, 'opportunistic');
  });
});

describe('after the handshake: does the certificate satisfy the policy', () => {
  const dane = decideHostPolicy(input()).policy;
  test('DANE-EE match accepts, names and PKIX problems aside (RFC 7672 §3.1.1)', () => {
    const c = decideCertificate('mx.example.test', dane, { pkixProblem: 'self-signed', dane: { matched: true, verdict: 'The leaf certificate matches.', rfc: 'RFC 7672 §3.1.1' } });
    assert.equal(c.accept, true);
    assert.equal(c.authenticated, true);
    assert.match(c.text, /^DANE-EE matched/);
  });
  test('no DANE match refuses', () => {
    const c = decideCertificate('mx.example.test', dane, { dane: { matched: false, verdict: 'No usable TLSA record matches.', rfc: 'RFC 7672 §3' } });
    assert.equal(c.accept, false);
    assert.match(c.text, /is not used/);
  });
  test('MTA-STS enforce refuses an invalid certificate; testing only logs it', () => {
    const sts = (mode: 'enforce' | 'testing') => ({ kind: 'mta-sts' as const, mode, reason: '', rfc: '' });
    assert.equal(decideCertificate('mx', sts('enforce'), { pkixProblem: 'expired' }).accept, false);
    const t = decideCertificate('mx', sts('testing'), { pkixProblem: 'expired' });
    assert.equal(t.accept, true);
    assert.equal(t.level, 'warn');
  });
});

describe('the request and the CLI flag', () => {
  test('tlsPolicy mta is accepted with STARTTLS modes and refused with tls none', () => {
    const ok = parseSessionRequest({ ...hostRequest(25, makeDraft()), tls: 'auto', tlsPolicy: 'mta' });
    assert.ok(ok.ok && ok.value.tlsPolicy === 'mta');
    const bad = parseSessionRequest({ ...hostRequest(25, makeDraft()), tls: 'none', tlsPolicy: 'mta' });
    assert.equal(bad.ok, false);
    assert.equal(parseSessionRequest({ ...hostRequest(25, makeDraft()), tlsPolicy: 'dane' }).ok, false);
  });
  test('--tls-policy mta is parsed; any other value is refused naming the flag', () => {
    const r = parseCliArgs(['send', '--from', 'a@example.test', '--to', 'b@example.test', '--tls-policy', 'mta']);
    assert.ok(r.ok && r.args.command === 'send' && r.args.tlsPolicy === 'mta');
    const bad = parseCliArgs(['send', '--from', 'a@example.test', '--to', 'b@example.test', '--tls-policy', 'strict']);
    assert.equal(bad.ok ? '' : bad.error.field, '--tls-policy');
  });
});
