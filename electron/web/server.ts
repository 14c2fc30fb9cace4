import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { version } from '../../package.json';
import { createSessionManager } from '../engine/session-manager';
import { composeHost } from '../host/compose';
import { webDataDir } from '../store/data-dir';
import { createWebSecretStore } from '../store/secrets';
import { parseWebArgs } from './args';
import type { WebServer } from './web-server';
import { startWebServer } from './web-server';

// `npm run web`: the same host code as Electron, reached over a loopback WebSocket. Never imports electron.
async function main(): Promise<void> {
  const parsed = parseWebArgs(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(parsed.message);
    process.exit(2);
  }
  const { args } = parsed;
  // $XDG_DATA_HOME/mxdesk-web (~/.local/share/mxdesk-web) unless --data-dir says otherwise: persistent, so
  // drafts and history survive a restart, and apart from the Electron app's userData.
  const dataDir = webDataDir(args.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const host = composeHost({ host: 'web', version, defaultResolver: args.dns, dataDir, secrets: createWebSecretStore(), createSessionManager });
  const running: { server?: WebServer } = {};
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    // Sessions first, so their last events still reach the page; then the sockets.
    void host
      .close()
      .then(() => running.server?.close())
      .then(() => process.exit(0));
    // A stuck socket must not keep the process alive forever.
    setTimeout(() => process.exit(0), 3000).unref();
  };
  // Installed before the URL is printed: whoever reads the line may signal us at once.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const server = await startWebServer({ service: host.service, events: host.events, rendererRoot: join(__dirname, '..', 'renderer'), port: args.port });
  running.server = server;
  if (stopping) return void server.close();
  // Exactly one line on stdout: tests and people read the URL from it.
  process.stdout.write(`MX Desk web mode: ${server.url}\n`);
}

main().catch((err: unknown) => {
  console.error(`MX Desk web mode could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
