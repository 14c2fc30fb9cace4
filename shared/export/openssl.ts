import type { SendSpec } from './send-spec';
import { PASSWORD_ENV, commandLine, shq } from './shell-quote';
import { opensslHelloLines, opensslMailLine, opensslOAuthLines, opensslRcptLine, usesOAuth } from './protocol-flags';
import { ncTransportNotes, opensslTransport, opensslVerifyName } from './transport-words';

/** At most this much of the message is written inline; beyond it the recipe says to paste the file. */
const INLINE_LIMIT = 64 * 1024;

function connectArg(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** RFC 5321 §4.5.2: a line typed by hand that starts with "." needs a second one. */
export function dotStuffForTyping(message: string): string {
  return message
    .replace(/\r\n|\r|\n/g, '\n')
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => (l.startsWith('.') ? `.${l}` : l))
    .join('\n');
}

function connectCommand(s: SendSpec, host: string): string {
  if (s.tls === 'none') return commandLine([['nc', '-C'], [shq(host), String(s.port)]]);
  const words: string[][] = [['openssl', 's_client']];
  // RFC 3207: STARTTLS on a plain connection; implicit TLS (RFC 8314) connects with TLS straight away.
  if (s.tls !== 'implicit') words.push(['-starttls', s.protocol?.lmtp ? 'lmtp' : 'smtp']);
  // -unix for a UNIX socket; -servername is --tls-name or the host (-noservername for an IP: RFC 6066 §3).
  const tx = opensslTransport(s, host);
  words.push(tx.connect ?? ['-connect', shq(connectArg(host, s.port))], tx.servername);
  if (s.verify) words.push(['-verify_return_error', ...opensslVerifyName(s, host)]);
  words.push(...tx.words);
  // -crlf: end typed lines with CRLF (RFC 5321 §2.3.8). -quiet implies -ign_eof, so a typed line starting
  // with R or Q (RCPT, QUIT) is sent, not taken as s_client's renegotiate / quit command.
  words.push(['-crlf', '-quiet']);
  return commandLine(words);
}

function authLines(s: SendSpec): string[] {
  if (s.authUser === undefined) return [];
  if (usesOAuth(s)) return opensslOAuthLines(s);
  const user = shq(s.authUser);
  if (s.authMechanism === 'LOGIN')
    return [
      `# AUTH LOGIN: compute the two answers first, in another shell:`,
      `#   printf %s ${user} | base64`,
      `#   printf %s "$${PASSWORD_ENV}" | base64`,
      'AUTH LOGIN',
      '<base64 user>',
      '<base64 password>',
    ];
  if (s.authMechanism === 'CRAM-MD5') return ['# AUTH CRAM-MD5 needs the server challenge; it cannot be typed from a recipe. Use swaks --auth CRAM-MD5.'];
  // RFC 4616: PLAIN is base64("" NUL user NUL password).
  return [`# AUTH PLAIN: compute the token first, in another shell:`, `#   printf '\\0%s\\0%s' ${user} "$${PASSWORD_ENV}" | base64 -w0`, 'AUTH PLAIN <token>'];
}

export function opensslRecipe(specs: SendSpec[], messageFile: string, messageText?: string): string {
  const out = ['# MX Desk: the same send by hand. Run the first command, then type each line after the server answers.'];
  for (const s of specs) {
    const host = s.host ?? `MX-HOST-OF-${s.domain || 'DOMAIN'}`;
    if (!s.host) out.push(`# Find the MX host first: dig +short MX ${shq(s.domain)}`);
    if (s.tls === 'none') out.push('# TLS is off for this send, so plain netcat does (-C sends CRLF).');
    out.push(...(s.tls === 'none' ? ncTransportNotes(s) : opensslTransport(s, host).notes));
    out.push(connectCommand(s, host));
    // Typed lines are shown escaped: a CR/LF in a value must not become a second command.
    out.push(...opensslHelloLines(s));
    out.push(...authLines(s));
    out.push(opensslMailLine(s));
    for (const r of s.rcptTo) out.push(opensslRcptLine(s, r));
    out.push('DATA');
    if (messageText !== undefined && messageText.length <= INLINE_LIMIT) {
      out.push(dotStuffForTyping(messageText));
    } else {
      out.push(`<paste ${messageFile} here; double the dot of any line that starts with ".">`);
    }
    out.push('.', 'QUIT', '');
  }
  return `${out.join('\n')}`;
}
