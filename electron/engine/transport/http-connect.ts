// A tunnel through an HTTP proxy with CONNECT (RFC 9110 §9.3.6). The proxy's answer is read with a size cap
// and a deadline; 407, 403 and 502 are told apart in plain words. The proxy resolves the name.
import { escapeForDisplay } from '../../../shared/smtp/escape';
import type { ParsedProxy } from '../../../shared/validate/transport';
import { formatMs } from '../deadline';
import type { TunnelResult } from './socks5';
import { openSocket } from './tcp-open';

/** The proxy's response head may not exceed this (a hostile proxy could stream forever). */
export const MAX_CONNECT_RESPONSE = 16 * 1024;

function authority(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function explainConnectStatus(code: number, reason: string, label: string, dest: string): string {
  const said = `${code} ${escapeForDisplay(reason).slice(0, 120)}`.trim();
  if (code === 407) return `${label} asks for authentication (${said}); MX Desk sends no proxy credentials.`;
  if (code === 403) return `${label} refused the tunnel to ${dest} (${said}): its policy forbids it (many proxies allow CONNECT to port 443 only).`;
  if (code === 502 || code === 504) return `${label} could not reach ${dest} (${said}).`;
  return `${label} did not open the tunnel to ${dest}: it answered ${said}.`;
}

export async function httpConnectTunnel(proxy: ParsedProxy, dest: { host: string; port: number }, timeoutMs: number, signal?: AbortSignal): Promise<TunnelResult> {
  const label = `HTTP proxy ${proxy.host}:${proxy.port}`;
  const target = authority(dest.host, dest.port);
  const opened = await openSocket({ host: proxy.host, port: proxy.port, noDelay: true }, timeoutMs, signal);
  if (!opened.ok) return { ...opened, error: `${label}: ${opened.error}` };
  const socket = opened.socket;
  return new Promise<TunnelResult>((resolve) => {
    let buf = Buffer.alloc(0);
    const finish = (r: TunnelResult, rest?: Buffer): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeListener('data', onData);
      socket.removeListener('close', onClose);
      if (!r.ok) socket.destroy();
      else if (rest && rest.length > 0) socket.unshift(rest); // bytes after the head belong to SMTP (the banner)
      resolve(r);
    };
    const onAbort = (): void => finish({ ok: false, code: 'ABORT', error: 'cancelled', cancelled: true });
    const onClose = (): void => finish({ ok: false, code: 'EPROXY', error: `${label} closed the connection before answering CONNECT.` });
    const timer = setTimeout(() => finish({ ok: false, code: 'ETIMEDOUT', error: `${label} did not answer CONNECT within ${formatMs(timeoutMs)}.` }), timeoutMs);
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > MAX_CONNECT_RESPONSE) finish({ ok: false, code: 'EPROXY', error: `${label} sent more than ${MAX_CONNECT_RESPONSE} bytes without ending its answer to CONNECT.` });
        return;
      }
      const head = buf.subarray(0, end).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})(?: ([^\r\n]*))?/.exec(head);
      if (!m) return finish({ ok: false, code: 'EPROXY', error: `${label} answered CONNECT with something that is not HTTP: ${escapeForDisplay(head.slice(0, 80))}` });
      const code = Number(m[1]);
      if (code < 200 || code > 299) return finish({ ok: false, code: `HTTP${code}`, error: explainConnectStatus(code, m[2] ?? '', label, target) });
      finish({ ok: true, socket }, buf.subarray(end + 4));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
  });
}
