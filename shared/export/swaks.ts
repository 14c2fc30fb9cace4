import type { Stage } from '../model';
import type { SendSpec } from './send-spec';
import { PASSWORD_ENV, PASSWORD_REF, commandLine, shq } from './shell-quote';
import { swaksProtocolNotes, swaksProtocolWords, usesOAuth } from './protocol-flags';
import { isIpLiteral, swaksTransport, uniqueNotes } from './transport-words';

/** swaks' --quit-after points for the stages MX Desk can stop after. */
const QUIT_AFTER: Partial<Record<Stage, string>> = {
  connect: 'CONNECT',
  greeting: 'BANNER',
  ehlo: 'EHLO',
  starttls: 'TLS',
  tls: 'TLS',
  auth: 'AUTH',
  mail: 'MAIL',
  rcpt: 'RCPT',
};

/** Tokens swaks replaces inside --data unless -ndf is given (and -ndf also turns off its dot-stuffing). */
const SWAKS_TOKENS = /%(FROM_ADDRESS|TO_ADDRESS|DATE|MESSAGEID|SWAKS_VERSION|NEW_HEADERS|BODY|NEWLINE)%/;

function tlsWords(s: SendSpec): string[][] {
  // --tls-name overrides the SNI; RFC 6066 §3: an IP address is never sent as SNI.
  const sniName = s.tlsOptions?.name ?? s.host;
  const sni = sniName && !isIpLiteral(sniName) ? [['--tls-sni', shq(sniName)]] : [];
  const verify = s.verify ? [['--tls-verify']] : [];
  switch (s.tls) {
    case 'none':
      return [];
    case 'auto':
      return [['--tls-optional-strict'], ...sni, ...verify];
    case 'implicit':
      return [['--tls-on-connect'], ...sni, ...verify];
    default:
      return [['--tls'], ...sni, ...verify];
  }
}

export function swaksCommand(s: SendSpec, messageFile: string): string {
  const words: string[][] = [['swaks']];
  if (s.transport?.socketPath) words.push(['--socket', shq(s.transport.socketPath)]);
  else {
    if (s.host) words.push(['--server', shq(s.host)]);
    words.push(['--port', String(s.port)]);
  }
  if (s.heloName) words.push(['--ehlo', shq(s.heloName)]);
  // swaks spells the null reverse-path "<>" (RFC 5321 §4.5.5).
  words.push(['--from', shq(s.mailFrom === '' ? '<>' : s.mailFrom)]);
  words.push(['--to', shq(s.rcptTo.join(','))]);
  words.push(...tlsWords(s));
  words.push(...swaksTransport(s, s.host, s.tls !== 'none').words);
  words.push(...swaksProtocolWords(s));
  if (s.authUser !== undefined && !usesOAuth(s)) {
    const mech = s.authMechanism && s.authMechanism !== 'auto' ? [['--auth', shq(s.authMechanism)]] : [['--auth']];
    words.push(...mech, ['--auth-user', shq(s.authUser)], ['--auth-password', PASSWORD_REF]);
  }
  if (s.pipelining) words.push(['--pipeline']);
  const quit = s.quitAfter ? QUIT_AFTER[s.quitAfter] : undefined;
  if (quit) words.push(['--quit-after', quit]);
  // `-`: the message comes on stdin; swaks dot-stuffs it (no -ndf, which would turn that off too).
  words.push(['--data', '-']);
  // swaks ends the data with its own CRLF "." after stripping a final ".": feeding the file plus ".\r\n"
  // keeps the message's last CRLF its own, so the bytes delivered are the bytes of the file.
  return `{ cat ${shq(messageFile)}; printf '.\\r\\n'; } | ${commandLine(words)}`;
}

export function swaksScript(specs: SendSpec[], messageFile: string, messageText?: string): string {
  const out = [
    '# MX Desk: the same send with swaks.',
    `# Save the .eml export as ${messageFile} in the current directory first.`,
  ];
  if (specs.some((s) => s.authUser !== undefined && !usesOAuth(s)))
    out.push(`# The password is read from $${PASSWORD_ENV} (e.g. read -rs ${PASSWORD_ENV}; export ${PASSWORD_ENV}); it is never written here.`);
  if (specs.some((s) => s.chunking)) out.push('# swaks has no CHUNKING/BDAT: it sends with DATA.');
  out.push(...swaksProtocolNotes(specs));
  out.push(...uniqueNotes(specs.map((s) => swaksTransport(s, s.host, s.tls !== 'none').notes)));
  if (specs.some((s) => s.host === null)) out.push('# No --server: swaks looks the MX up itself with the system resolver.');
  if (messageText !== undefined && SWAKS_TOKENS.test(messageText)) out.push('# Note: the message contains %TOKENS% that swaks replaces in --data.');
  if (specs.length > 1) out.push(`# ${specs.length} domains, one transaction each (RFC 5321 §5.1).`);
  for (const s of specs) out.push(swaksCommand(s, messageFile));
  return `${out.join('\n')}\n`;
}
