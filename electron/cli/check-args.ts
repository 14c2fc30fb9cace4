// `mxdesk check` arguments: one domain, a file of domains (batch), or a relay. Pure syntax; the shared
// probe validators check the content, as for requests from the app.
import { parseArgs } from 'node:util';
import { parseResolverSpec } from '../../shared/mx';
import { parsePort, parseRelayHost } from '../../shared/probe/validate';
import { MAX_PROBE_TIMEOUT_MS, MIN_PROBE_TIMEOUT_MS } from '../../shared/probe/validate';

export interface CheckArgs {
  domain?: string;
  file?: string;
  relay?: { host: string; ports: number[] };
  dns?: string;
  port: number;
  json: boolean;
  timeoutMs?: number;
  family?: 4 | 6;
  concurrency: number;
  /** Extra trusted CA certificates (PEM files), e.g. a private CA. */
  caFiles: string[];
  noPtr: boolean;
  /** `--from ADDR [--ip ADDR] [--helo NAME] [--dkim-domain D]`: the sender domain section (SPF, DMARC). */
  sender?: { from: string; ip?: string; helo?: string; dkimDomain?: string; dkimSelector?: string };
}

export const CHECK_USAGE = `  mxdesk check DOMAIN [--dns HOST[:PORT]] [--port N] [--json] [--timeout-ms N] [-4|-6] [--ca-file PEM]
  mxdesk check --file DOMAINS.txt [--concurrency N] [--json] [--no-ptr] [same options]
  mxdesk check --relay HOST[:PORT] [--json]     (without a port: 587 with STARTTLS and 465 with TLS)
  mxdesk check DOMAIN --from ADDR [--ip ADDR] [--helo NAME] [--dkim-domain D [--dkim-selector S]]   adds SPF and DMARC of the sender`;

export type CheckParse = { ok: true; args: CheckArgs } | { ok: false; field: string; message: string };

const bad = (field: string, message: string): CheckParse => ({ ok: false, field, message });

function int(v: string | undefined, field: string, min: number, max: number): { ok: true; value?: number } | { ok: false; field: string; message: string } {
  if (v === undefined) return { ok: true };
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) return { ok: false, field, message: `must be a whole number from ${min} to ${max}` };
  return { ok: true, value: Number(v) };
}

/** HOST, HOST:PORT, [IPv6]:PORT or a bare IPv6 address. */
function parseRelay(spec: string): { ok: true; host: string; port?: number } | { ok: false; message: string } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(spec) ?? (spec.split(':').length === 2 ? /^([^:]+):(\d+)$/.exec(spec) : null);
  const hostText = m ? m[1] : spec;
  const portText = m ? m[2] : undefined;
  const host = parseRelayHost(hostText);
  if (!host.ok) return { ok: false, message: host.error.message };
  if (portText === undefined) return { ok: true, host: host.value };
  const port = parsePort(Number(portText));
  return port.ok ? { ok: true, host: host.value, port: port.value } : { ok: false, message: port.error.message };
}

export function parseCheckArgs(argv: string[]): CheckParse {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        dns: { type: 'string' },
        port: { type: 'string' },
        json: { type: 'boolean' },
        'timeout-ms': { type: 'string' },
        '4': { type: 'boolean', short: '4' },
        '6': { type: 'boolean', short: '6' },
        file: { type: 'string' },
        concurrency: { type: 'string' },
        relay: { type: 'string' },
        'ca-file': { type: 'string', multiple: true },
        'no-ptr': { type: 'boolean' },
        from: { type: 'string' },
        ip: { type: 'string' },
        helo: { type: 'string' },
        'dkim-domain': { type: 'string' },
        'dkim-selector': { type: 'string' },
      },
    });
  } catch (e) {
    return bad('check', (e as Error).message.replace(/\. To specify.*$/s, ''));
  }
  const v = parsed.values;
  const pos = parsed.positionals;
  const modes = [pos.length > 0, v.file !== undefined, v.relay !== undefined].filter(Boolean).length;
  if (modes !== 1 || pos.length > 1) return bad('DOMAIN', 'give exactly one of: a DOMAIN, --file DOMAINS.txt, or --relay HOST[:PORT]');
  if (v['4'] && v['6']) return bad('-4/-6', 'choose one of -4 and -6');
  if (v.from === undefined && (v.ip ?? v.helo ?? v['dkim-domain'] ?? v['dkim-selector']) !== undefined) return bad('--from', '--ip, --helo and --dkim-domain need --from ADDR (the sender to check)');
  if (v.dns !== undefined) {
    const spec = parseResolverSpec(v.dns);
    if (!spec.ok) return bad('--dns', spec.error.message);
  }
  const port = int(v.port, '--port', 1, 65535);
  if (!port.ok) return bad(port.field, port.message);
  const timeout = int(v['timeout-ms'], '--timeout-ms', MIN_PROBE_TIMEOUT_MS, MAX_PROBE_TIMEOUT_MS);
  if (!timeout.ok) return bad(timeout.field, timeout.message);
  const conc = int(v.concurrency, '--concurrency', 1, 256);
  if (!conc.ok) return bad(conc.field, conc.message);
  let relay: CheckArgs['relay'];
  if (v.relay !== undefined) {
    const r = parseRelay(v.relay.trim());
    if (!r.ok) return bad('--relay', r.message);
    relay = { host: r.host, ports: r.port !== undefined ? [r.port] : [587, 465] };
  }
  return {
    ok: true,
    args: {
      domain: pos[0],
      file: v.file,
      relay,
      dns: v.dns,
      port: port.value ?? 25,
      json: v.json ?? false,
      timeoutMs: timeout.value,
      family: v['4'] ? 4 : v['6'] ? 6 : undefined,
      concurrency: conc.value ?? 8,
      caFiles: v['ca-file'] ?? [],
      noPtr: v['no-ptr'] ?? false,
      ...(v.from !== undefined ? { sender: { from: v.from, ip: v.ip, helo: v.helo, dkimDomain: v['dkim-domain'], dkimSelector: v['dkim-selector'] } } : {}),
    },
  };
}
