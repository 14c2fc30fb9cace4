// The request's protocol options (LMTP, DSN, REQUIRETLS, XCLIENT) → the dialog's config fields.
import type { ProtocolOptions } from '../../shared/model';
import type { DialogConfig } from '../../shared/smtp/dialog-types';

export function protocolConfig(p: ProtocolOptions | undefined): Pick<DialogConfig, 'lmtp' | 'dsn' | 'requireTls' | 'xclient'> {
  if (!p) return {};
  const out: Pick<DialogConfig, 'lmtp' | 'dsn' | 'requireTls' | 'xclient'> = {};
  if (p.lmtp) out.lmtp = true;
  if (p.dsn) out.dsn = p.dsn;
  if (p.requireTls) out.requireTls = true;
  if (p.xclient && p.xclient.length > 0) out.xclient = p.xclient;
  return out;
}
