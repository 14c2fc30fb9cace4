/**
 * Policy for the protocol options (XCLIENT, DSN, REQUIRETLS): when to send XCLIENT, and what must be true
 * before MAIL. A user's option the server cannot honour stops the session before MAIL with a clear reason,
 * never silently dropped.
 */
import type { Move } from './dialog-plan';
import type { DialogState } from './dialog-types';
import { hasDsnOptions } from './dsn-params';
import { xclientCommand } from './xclient';

export function xclientMove(s: DialogState): Move | undefined {
  const attrs = s.config.xclient;
  if (!attrs || attrs.length === 0 || s.xclientDone) return undefined;
  if (!s.caps?.keywords.includes('XCLIENT')) {
    return { kind: 'stop', stage: 'ehlo', reason: 'The server does not offer XCLIENT, so your XCLIENT attributes cannot be sent; the session stopped before MAIL.' };
  }
  return { kind: 'command', stage: 'ehlo', verb: 'XCLIENT', deadline: 'commandMs', command: xclientCommand(attrs) };
}

export function protocolPreMailStop(s: DialogState): Move | undefined {
  const cfg = s.config;
  if (hasDsnOptions(cfg.dsn) && !s.caps?.dsn) {
    // RFC 3461 §4: the parameters may only be used when the server advertised DSN.
    return { kind: 'stop', stage: 'mail', reason: 'The server does not offer DSN (RFC 3461); your DSN options would be ignored, so nothing was sent.' };
  }
  if (cfg.requireTls) {
    // RFC 8689 §4.1: REQUIRETLS only over TLS, and only to a server that offers it after STARTTLS.
    if (!s.secure) return { kind: 'stop', stage: 'mail', reason: 'REQUIRETLS needs a TLS connection (RFC 8689 §4.1), and this one is not encrypted; nothing was sent.' };
    if (!s.caps?.keywords.includes('REQUIRETLS')) return { kind: 'stop', stage: 'mail', reason: 'The server does not offer REQUIRETLS (RFC 8689) over TLS, so it cannot promise TLS on every hop; nothing was sent.' };
  }
  return undefined;
}
