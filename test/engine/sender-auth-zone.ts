/**
 * dnsmasq zone lines for the sender check tests: SPF include chains, a loop, too many lookups, void lookups,
 * macros, mx, redirect; DMARC records at the From domain and at the organizational domain.
 */
export const SENDER_ZONE: string[] = [
  // pass.test: 127.0.0.0/8 may send; DMARC p=reject, relaxed SPF, strict DKIM, pct=50.
  'txt-record=pass.test,"v=spf1 ip4:127.0.0.0/8 -all"',
  'txt-record=_dmarc.pass.test,"v=DMARC1; p=reject; adkim=s; aspf=r; pct=50; rua=mailto:dmarc@pass.test"',
  // chain.test → a.chain.test → b.chain.test, where 127.0.0.1 is allowed.
  'txt-record=chain.test,"v=spf1 include:a.chain.test -all"',
  'txt-record=a.chain.test,"v=spf1 ip4:192.0.2.1 include:b.chain.test ~all"',
  'txt-record=b.chain.test,"v=spf1 ip4:127.0.0.1 -all"',
  // loop.test includes loop2.test, which includes loop.test again.
  'txt-record=loop.test,"v=spf1 include:loop2.test -all"',
  'txt-record=loop2.test,"v=spf1 include:loop.test -all"',
  // many.test: 11 includes, one more than RFC 7208 §4.6.4 allows.
  `txt-record=many.test,"v=spf1 ${Array.from({ length: 11 }, (_, i) => `include:i${i + 1}.many.test`).join(' ')} -all"`,
  ...Array.from({ length: 11 }, (_, i) => `txt-record=i${i + 1}.many.test,"v=spf1 ip4:192.0.2.${i + 1} -all"`),
  // void.test: three a: terms naming nothing (void lookups, limit 2).
  'txt-record=void.test,"v=spf1 a:nx1.void.test a:nx2.void.test a:nx3.void.test -all"',
  // macro.test: exists:%{i}.allow.macro.test (RFC 7208 §7); only 127.0.0.1 has the name.
  'txt-record=macro.test,"v=spf1 exists:%{i}.allow.macro.test -all"',
  'host-record=127.0.0.1.allow.macro.test,127.0.0.2',
  // mxspf.test: "mx" allows its MX host mail.mxspf.test (127.0.0.7).
  'txt-record=mxspf.test,"v=spf1 mx -all"',
  'mx-host=mxspf.test,mail.mxspf.test,10',
  'host-record=mail.mxspf.test,127.0.0.7',
  // redir.test: redirect=pass.test.
  'txt-record=redir.test,"v=spf1 redirect=pass.test"',
  // soft.test: ~all, and a DMARC record with p=none.
  'txt-record=soft.test,"v=spf1 ~all"',
  'txt-record=_dmarc.soft.test,"v=DMARC1; p=none"',
  // orgd.test: DMARC only at the organizational domain, with sp=reject for subdomains.
  'txt-record=orgd.test,"v=spf1 ip4:127.0.0.1 -all"',
  'txt-record=_dmarc.orgd.test,"v=DMARC1; p=quarantine; sp=reject"',
  'txt-record=mail.orgd.test,"v=spf1 -all"',
  // shot.test (the UI screenshot): an ip4 range, a nested include, mx; DMARC with strict SPF alignment.
  'txt-record=shot.test,"v=spf1 ip4:192.0.2.0/24 include:a.chain.test mx -all"',
  'txt-record=_dmarc.shot.test,"v=DMARC1; p=quarantine; aspf=s; adkim=r; rua=mailto:reports@shot.test"',
  // DKIM public keys: mail2026 is published (ed25519), old is revoked (empty p=).
  'txt-record=mail2026._domainkey.shot.test,"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="',
  'txt-record=old._domainkey.shot.test,"v=DKIM1; p="',
  // other.test: SPF passes, but From is pass.test: no alignment.
  'txt-record=other.test,"v=spf1 ip4:127.0.0.1 -all"',
];
