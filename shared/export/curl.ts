import type { SendSpec } from './send-spec';
import { PASSWORD_ENV, commandLine, shq } from './shell-quote';
import { curlOAuthWords, curlProtocolNotes, usesOAuth } from './protocol-flags';
import { curlTlsName, curlTransport, uniqueNotes } from './transport-words';

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export function curlCommand(s: SendSpec, messageFile: string): string {
  const scheme = s.tls === 'implicit' ? 'smtps' : 'smtp';
  // curl sends the URL path as the EHLO name.
  const helo = s.heloName ? `/${encodeURIComponent(s.heloName)}` : '';
  // --tls-name: the URL names it (curl's SNI and verification name) and --connect-to reaches the real host.
  const named = s.host ? curlTlsName(s, s.host, s.port, s.tls !== 'none') : { urlHost: '', words: [] };
  const host = s.host ? hostForUrl(named.urlHost) : `MX-HOST-OF-${s.domain || 'DOMAIN'}`;
  const words: string[][] = [['curl'], ['--url', shq(`${scheme}://${host}:${s.port}${helo}`)]];
  words.push(...named.words, ...curlTransport(s, s.tls !== 'none').words);
  if (s.tls === 'auto') words.push(['--ssl']);
  if (s.tls === 'starttls' || s.tls === 'require') words.push(['--ssl-reqd']);
  if (s.tls !== 'none' && !s.verify) words.push(['--insecure']);
  words.push(['--mail-from', shq(s.mailFrom)]);
  for (const r of s.rcptTo) words.push(['--mail-rcpt', shq(r)]);
  if (usesOAuth(s)) words.push(...curlOAuthWords(s));
  else if (s.authUser !== undefined) {
    // The user is quoted; the password is the shell's "$MXDESK_PASSWORD", expanded when the command runs.
    words.push(['--user', `${shq(`${s.authUser}:`)}"$${PASSWORD_ENV}"`]);
    if (s.authMechanism && s.authMechanism !== 'auto') words.push(['--login-options', shq(`AUTH=${s.authMechanism}`)]);
  }
  words.push(['--upload-file', shq(messageFile)]);
  return commandLine(words);
}

export function curlScript(specs: SendSpec[], messageFile: string): string {
  const out = ['# MX Desk: the same send with curl.', `# Save the .eml export as ${messageFile} first; curl sends it as is (headers included).`];
  if (specs.some((s) => s.authUser !== undefined && !usesOAuth(s))) out.push(`# The password is read from $${PASSWORD_ENV}; it is never written here.`);
  if (specs.some((s) => s.pipelining || s.chunking)) out.push('# curl uses neither PIPELINING nor CHUNKING: one command per round trip, DATA for the body.');
  out.push(...curlProtocolNotes(specs));
  out.push(...uniqueNotes(specs.map((s) => curlTransport(s, s.tls !== 'none').notes)));
  if (specs.some((s) => s.host === null)) out.push('# curl does no MX lookup: replace MX-HOST-OF-… with a host from `dig +short MX <domain>`.');
  for (const s of specs) out.push(curlCommand(s, messageFile));
  return `${out.join('\n')}\n`;
}
