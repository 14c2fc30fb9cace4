// SASL clients for AUTH (RFC 4954): PLAIN (RFC 4616), LOGIN (draft-murchison-sasl-login) and CRAM-MD5
// (RFC 2195). The commands are built by shared/smtp/commands, which redacts them where they are made; this
// file only adds what needs node:crypto (the CRAM-MD5 HMAC) and the list of strings to keep out of the
// transcript if a server echoes them.
import { createHmac } from 'node:crypto';
import type { AuthClient, SaslMechanism } from '../../shared/smtp/dialog-types';
import { authLoginResponse, authLoginStart, authPlain, authSecret, rawLine, type WireCommand } from '../../shared/smtp/commands';
import type { SmtpReply } from '../../shared/smtp/reply-reader';
import type { Result } from '../../shared/result';
import { fail } from '../../shared/result';
import { oauthBearerPayload, oauthErrorAck, oauthResponse, oauthStart, xoauth2Payload } from '../../shared/smtp/oauth';
import { escapeForDisplay } from '../../shared/smtp/escape';

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** The password and the encodings a server could plausibly echo back. */
export function secretForms(user: string, password: string): string[] {
  const forms = [password, b64(password), b64(`\0${user}\0${password}`), Buffer.from(password, 'utf8').toString('hex')];
  try {
    forms.push(encodeURIComponent(password));
  } catch {
    // lone surrogate: nothing to add
  }
  return [...new Set(forms.filter((f) => f.length >= 4))];
}

function challengeText(reply: SmtpReply): Result<string> {
  const text = (reply.lines[0] ?? '').trim();
  if (text === '') return { ok: true, value: '' };
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return fail('bad_challenge', 'The server sent a challenge that is not base64.');
  return { ok: true, value: Buffer.from(text, 'base64').toString('utf8') };
}

export function createAuthClient(mechanism: SaslMechanism, user: string, password: string): AuthClient {
  const secrets = secretForms(user, password);
  switch (mechanism) {
    case 'PLAIN':
      return {
        mechanism,
        expectedChallenges: 1,
        secrets,
        start: () => authPlain(user, password),
        // Only if the server ignored the initial response and asked (an empty 334): send it again.
        respond: (): Result<WireCommand> => authSecret(b64(`\0${user}\0${password}`), 'password'),
      };
    case 'LOGIN': {
      let step = 0;
      return {
        mechanism,
        expectedChallenges: 2,
        secrets,
        start: () => authLoginStart(),
        respond(reply: SmtpReply): Result<WireCommand> {
          const c = challengeText(reply);
          // "Username:" / "Password:" by convention; some servers send other prompts, so fall back to order.
          const prompt = c.ok ? c.value.toLowerCase() : '';
          const wantsUser = prompt.startsWith('user') || (!prompt.startsWith('pass') && step === 0);
          step++;
          return wantsUser ? authLoginResponse(user, 'user') : authLoginResponse(password, 'password');
        },
      };
    }
    case 'CRAM-MD5':
      return {
        mechanism,
        expectedChallenges: 1,
        secrets,
        start: () => rawLine('AUTH CRAM-MD5'),
        respond(reply: SmtpReply): Result<WireCommand> {
          const c = challengeText(reply);
          if (!c.ok) return c;
          // RFC 2195 §2: user SP hex(HMAC-MD5(password, challenge)).
          const digest = createHmac('md5', Buffer.from(password, 'utf8')).update(c.value, 'utf8').digest('hex');
          return authSecret(b64(`${user} ${digest}`), 'cram-md5');
        },
      };
    case 'XOAUTH2':
    case 'OAUTHBEARER':
      return createOAuthClient(mechanism, user, password);
  }
}

/**
 * XOAUTH2 and OAUTHBEARER (RFC 7628) with the token sent as the SASL initial response (RFC 4954 §4). A 334
 * after it is the server's error challenge (a base64 JSON status): acknowledged per RFC 7628 §3.2.3 so the
 * server can send its final 535. An empty 334 (a server that ignored the initial response) gets the payload.
 */
function createOAuthClient(mechanism: 'XOAUTH2' | 'OAUTHBEARER', user: string, token: string): AuthClient {
  const payloads = [xoauth2Payload(user, token), oauthBearerPayload(user, token)];
  const secrets = [...new Set([...secretForms(user, token), ...payloads.map(b64)])];
  return {
    mechanism,
    expectedChallenges: 1,
    secrets,
    start: () => oauthStart(mechanism, user, token),
    respond(reply: SmtpReply): Result<WireCommand> {
      const c = challengeText(reply);
      if (c.ok && c.value === '') return { ok: true, value: oauthResponse(mechanism, user, token) };
      const ack = oauthErrorAck(mechanism);
      const status = c.ok ? /"status"\s*:\s*"([^"]{0,40})"/.exec(c.value)?.[1] : undefined;
      return { ok: true, value: status ? { ...ack, display: `${ack.display}; the server's error status: ${escapeForDisplay(status)}` } : ack };
    },
  };
}
