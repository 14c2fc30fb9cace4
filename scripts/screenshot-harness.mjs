// What the screenshot scripts (screenshot.mjs, screenshot-send.mjs) share: the build check, the ui tests'
// own support helpers, a private dnsmasq (TEST_ZONE) with web mode and Debian's Chromium in front of it,
// and writing one PNG into docs/screenshots/.
import { existsSync, mkdirSync } from 'node:fs';
/* global document, HTMLElement */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { require as tsRequire } from 'tsx/cjs/api';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const outDir = join(root, 'docs', 'screenshots');

/** Exits saying what to do when there is no build to serve (the scripts build nothing themselves). */
export function requireBuild() {
  if (!existsSync(join(root, 'dist', 'web', 'server.js')) || !existsSync(join(root, 'dist', 'renderer', 'index.html'))) {
    console.error('No build found: run `npm run build` first.');
    process.exit(1);
  }
}

/**
 * A module of test/support by name. They are CommonJS TypeScript (they use __dirname): loaded through tsx's
 * require, so plain `node scripts/….mjs` works.
 */
export function support(name) {
  return tsRequire(`../test/support/${name}.ts`, import.meta.url);
}

/**
 * Starts dnsmasq, then web mode resolving through it and Chromium, and runs `shoot({ browser, web, keep })`.
 * `keep(peer)` hands back a peer the script started and has it stopped at the end too. Everything is stopped
 * however `shoot` ends: the browser, web mode, the kept peers (the last kept first), then dnsmasq.
 */
export async function withWebUi(shoot) {
  const { startDnsmasq, TEST_ZONE } = support('dnsmasq');
  const { startWebUi } = support('web-ui');
  const { stopAll } = support('stop-all');
  const dns = await startDnsmasq(TEST_ZONE);
  const peers = [];
  let ui;
  try {
    ui = await startWebUi({ dns: dns.server });
    mkdirSync(outDir, { recursive: true });
    await shoot({ browser: ui.browser, web: ui.web, keep: (peer) => (peers.unshift(peer), peer) });
  } finally {
    await stopAll(ui?.browser, ui?.web, ...peers, dns);
  }
}

/** No caret or focus ring in a picture meant for reading. */
export async function blur(page) {
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
}

export async function savePng(page, fileName) {
  const path = join(outDir, fileName);
  await page.screenshot({ path });
  console.log(`wrote ${path.slice(root.length + 1)}`);
}
