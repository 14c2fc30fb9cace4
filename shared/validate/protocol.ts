/**
 * The `protocol` group of a session request (LMTP, DSN, REQUIRETLS, XCLIENT): untrusted input → clean
 * options. The same reader serves main (parseSessionRequest), the CLI (protocol-args.ts) and the form.
 */
import type { AuthMechanism, DsnOptions, ProtocolOptions, SessionRequest, XclientAttribute } from '../model';
import { dsnProblem } from '../smtp/dsn-params';
import { MAX_BEARER_TOKEN, bearerTokenProblem, isOAuthMechanism } from '../smtp/oauth';
import { XCLIENT_ATTRIBUTES, xclientProblem } from '../smtp/xclient';
import { isRecord, ShapeReader, type FieldErrors } from './shape';

const NOTIFY = ['NEVER', 'SUCCESS', 'FAILURE', 'DELAY'] as const;

function readDsn(p: Record<string, unknown>, s: ShapeReader): DsnOptions | undefined {
  if (p.dsn === undefined || p.dsn === null) return undefined;
  if (!isRecord(p.dsn)) {
    s.error('protocol.dsn', 'protocol.dsn must be an object.');
    return undefined;
  }
  const d = p.dsn;
  const out: DsnOptions = {};
  if (d.notify !== undefined) {
    const list = s.array(d, 'notify', 'protocol.dsn.notify', 4);
    const notify: DsnOptions['notify'] = [];
    for (const v of list) {
      const up = typeof v === 'string' ? v.trim().toUpperCase() : '';
      if (!(NOTIFY as readonly string[]).includes(up)) s.error('protocol.dsn.notify', `NOTIFY values are ${NOTIFY.join(', ')}.`);
      else notify.push(up as (typeof NOTIFY)[number]);
    }
    if (notify.length > 0) out.notify = notify;
  }
  if (d.ret !== undefined && d.ret !== null && d.ret !== '') out.ret = s.oneOf(d, 'ret', 'protocol.dsn.ret', ['FULL', 'HDRS'] as const);
  const envid = s.optionalString(d, 'envid', 'protocol.dsn.envid', 100);
  if (envid !== undefined && envid !== '') out.envid = envid;
  if (d.orcpt !== undefined) out.orcpt = s.boolean(d, 'orcpt', 'protocol.dsn.orcpt');
  const problem = dsnProblem(out);
  if (problem) s.error('protocol.dsn', problem);
  return Object.keys(out).length > 0 ? out : undefined;
}

function readXclient(p: Record<string, unknown>, s: ShapeReader): ProtocolOptions['xclient'] {
  if (p.xclient === undefined || p.xclient === null) return undefined;
  const list = s.array(p, 'xclient', 'protocol.xclient', XCLIENT_ATTRIBUTES.length);
  const out: Array<{ name: XclientAttribute; value: string }> = [];
  for (const [i, item] of list.entries()) {
    const name = isRecord(item) && typeof item.name === 'string' ? item.name.trim().toUpperCase() : '';
    const value = isRecord(item) && typeof item.value === 'string' ? item.value : '';
    const problem = xclientProblem(name, value);
    if (problem) s.error(`protocol.xclient.${i}`, problem);
    else if (out.some((a) => a.name === name)) s.error(`protocol.xclient.${i}`, `XCLIENT ${name} is given twice.`);
    else out.push({ name: name as XclientAttribute, value });
  }
  return out.length > 0 ? out : undefined;
}

export function readProtocol(input: Record<string, unknown>, s: ShapeReader): ProtocolOptions | undefined {
  if (input.protocol === undefined || input.protocol === null) return undefined;
  if (!isRecord(input.protocol)) {
    s.error('protocol', 'protocol must be an object.');
    return undefined;
  }
  const p = input.protocol;
  const out: ProtocolOptions = {};
  if (p.lmtp !== undefined && s.boolean(p, 'lmtp', 'protocol.lmtp')) out.lmtp = true;
  if (p.requireTls !== undefined && s.boolean(p, 'requireTls', 'protocol.requireTls')) out.requireTls = true;
  const dsn = readDsn(p, s);
  if (dsn) out.dsn = dsn;
  const xclient = readXclient(p, s);
  if (xclient) out.xclient = xclient;
  if (out.lmtp && out.xclient) s.error('protocol.xclient', 'XCLIENT is a Postfix SMTP extension; it cannot be used with LMTP.');
  return Object.keys(out).length > 0 ? out : undefined;
}

export function validateProtocolGroup(protocol: unknown): { protocol?: ProtocolOptions; errors: FieldErrors } {
  const s = new ShapeReader();
  const value = readProtocol({ protocol }, s);
  return { protocol: value, errors: s.errors };
}

/** A password is at most 1024 characters; a bearer token (often a JWT of a few KB) up to MAX_BEARER_TOKEN. */
export function secretMaxLength(mechanism: AuthMechanism): number {
  return isOAuthMechanism(mechanism) ? MAX_BEARER_TOKEN : 1024;
}

/** XOAUTH2 / OAUTHBEARER: the "password" is a bearer token and must be one (RFC 6750 §2.1); never quoted. */
export function oauthTokenProblem(mechanism: AuthMechanism, token: string | undefined): string | undefined {
  if (!isOAuthMechanism(mechanism) || token === undefined) return undefined;
  return bearerTokenProblem(token);
}

/** Checks across groups: REQUIRETLS needs TLS, and a certificate that was verified. */
export function protocolRequestProblem(req: Pick<SessionRequest, 'protocol' | 'tls' | 'certPolicy'>): { field: string; message: string } | undefined {
  if (!req.protocol?.requireTls) return undefined;
  if (req.tls === 'none') return { field: 'protocol.requireTls', message: 'REQUIRETLS needs TLS (RFC 8689 §4.2.1): choose a TLS mode other than "none".' };
  // RFC 8689 §4.2.1: with REQUIRETLS the server's certificate must verify (PKIX or DANE); no override.
  if (req.certPolicy === 'override-once') return { field: 'protocol.requireTls', message: 'REQUIRETLS needs a verified certificate (RFC 8689 §4.2.1), so it cannot be combined with overriding certificate problems.' };
  return undefined;
}
