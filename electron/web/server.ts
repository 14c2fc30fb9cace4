import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { version } from '../../package.json';
import { composeHost } from '../host/compose';
import { parseWebArgs } from './args';
import { startWebServer } from './web-server';

// `npm run web`: the same host code as Electron, reached over a loopback WebSocket. Never imports electron.
async function main(): Promise<void> {
  const parsed = parseWebArgs(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(parsed.message);
    process.exit(2);
  }
  const { args } = parsed;
  mkdirSync(args.dataDir, { recursive: true, mode: 0o700 });
  const host = composeHost({ host: 'web', version, defaultResolver: args.dns, dataDir: args.dataDir, secretStorage: 'session' });
  const server = await startWebServer({ service: host.service, events: host.events, rendererRoot: join(__dirname, '..', 'renderer'), port: args.port });
  // Exactly one line on stdout: tests and people read the URL from it.
  process.stdout.write(`MX Desk web mode: ${server.url}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    host.close();
    void server.close().then(() => process.exit(0));
    // A stuck socket must not keep the process alive forever.
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`MX Desk web mode could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
