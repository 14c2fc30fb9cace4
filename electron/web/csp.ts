/**
 * The Content-Security-Policy lives in renderer/index.html (a meta tag) so that Electron and web mode
 * start from one policy. These helpers read it out (to send it as a header too) and, for web mode only,
 * widen `connect-src` to the loopback WebSocket; every other directive stays exactly as written.
 */
const META_RE = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/i;

export function extractCsp(html: string): string | null {
  const m = META_RE.exec(html);
  return m ? m[1].replace(/\s+/g, ' ').trim() : null;
}

export function parseCsp(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), values);
  }
  return out;
}

export function serializeCsp(directives: Map<string, string[]>): string {
  return [...directives].map(([name, values]) => [name, ...values].join(' ')).join('; ');
}

export function withConnectSrc(policy: string, sources: string[]): string {
  const d = parseCsp(policy);
  d.set('connect-src', sources);
  return serializeCsp(d);
}

/** Replaces the meta tag's policy; throws when the page has none, because serving it without one is worse. */
export function rewriteHtmlCsp(html: string, policy: string): string {
  if (!META_RE.test(html)) throw new Error('index.html has no Content-Security-Policy meta tag');
  return html.replace(META_RE, (tag) => tag.replace(/content="[^"]*"/i, () => `content="${policy}"`));
}
