// Run by `npm start` before `electron .`: makes sure Electron's binary is there. npm installs may have
// skipped it (ELECTRON_SKIP_BINARY_DOWNLOAD, or no network at install time), so try Electron's own
// installer once; when that cannot download either, say so in one sentence and point to web mode.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const electronDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'electron');

function binaryPresent() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return false;
  return existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));
}

if (!existsSync(join(electronDir, 'install.js'))) {
  console.error('The electron package is not installed; run npm install first, or use npm run web instead.');
  process.exit(1);
}

if (!binaryPresent()) {
  const env = { ...process.env };
  // The user asked to start the app, so the skip switch that kept npm install offline must not apply here.
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], { env, stdio: ['ignore', 'ignore', 'ignore'], timeout: 5 * 60_000 });
  if (r.status !== 0 || !binaryPresent()) {
    console.error('The Electron binary could not be downloaded, so MX Desk cannot open as a desktop app here; run npm run web to use it in your browser instead.');
    process.exit(1);
  }
}
