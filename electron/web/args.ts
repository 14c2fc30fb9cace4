import { parseResolverSpec } from '../../shared/mx';

export interface WebArgs {
  port: number;
  dns?: string;
  /** As given; electron/store/data-dir.ts webDataDir() resolves it and supplies the default. */
  dataDir?: string;
}

export function parseWebArgs(argv: string[]): { ok: true; args: WebArgs } | { ok: false; message: string } {
  const args: WebArgs = { port: 0 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const [name, inline] = flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const take = (): string | undefined => {
      if (inline !== undefined) return inline;
      i++;
      return value;
    };
    if (name === '--port') {
      const v = take();
      if (v === undefined || !/^\d{1,5}$/.test(v) || Number(v) > 65535) return { ok: false, message: '--port needs a number from 0 to 65535 (0 picks a free port).' };
      args.port = Number(v);
    } else if (name === '--dns') {
      const v = take();
      // The same rule the lookup form applies to its resolver field.
      const spec = parseResolverSpec(v);
      if (!spec.ok) return { ok: false, message: `--dns needs HOST[:PORT], e.g. 127.0.0.1:5353. ${spec.error.message}` };
      args.dns = v;
    } else if (name === '--data-dir') {
      const v = take();
      if (!v) return { ok: false, message: '--data-dir needs a directory.' };
      args.dataDir = v;
    } else {
      return { ok: false, message: `Unknown option ${flag}. Options: --port N, --dns HOST[:PORT], --data-dir DIR.` };
    }
  }
  return { ok: true, args };
}
