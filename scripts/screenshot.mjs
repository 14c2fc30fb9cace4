// README screenshots, taken from web mode: `npm run build && npm run screenshot`.
// Builds nothing itself. Starts the private dnsmasq (TEST_ZONE) and web mode with the same helpers the ui tests
// use (loaded through tsx, so plain `node scripts/screenshot.mjs` works), looks up two test domains in light
// and dark mode with Debian's Chromium, and writes PNGs into docs/screenshots/.
import { existsSync, mkdirSync } from 'node:fs';
/* global document, HTMLElement */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { require as tsRequire } from 'tsx/cjs/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'docs', 'screenshots');

if (!existsSync(join(root, 'dist', 'web', 'server.js')) || !existsSync(join(root, 'dist', 'renderer', 'index.html'))) {
  console.error('No build found: run `npm run build` first.');
  process.exit(1);
}

// The support files are CommonJS TypeScript (they use __dirname): load them through tsx's require.
const { startDnsmasq, TEST_ZONE } = tsRequire('../test/support/dnsmasq.ts', import.meta.url);
const { startWebMode } = tsRequire('../test/support/web-mode.ts', import.meta.url);
const { launchChromium } = tsRequire('../test/support/browser.ts', import.meta.url);

// example.test: a tie at preference 20 and dual-stack hosts; warnings.test: loopback, no address, IP literal.
const SHOTS = [
  { name: 'mx-inspector', query: 'example.test' },
  { name: 'mx-warnings', query: 'warnings.test' },
];
const VIEWPORT = { width: 1180, height: 720 };

const dns = await startDnsmasq(TEST_ZONE);
let web;
let browser;
try {
  web = await startWebMode({ dns: dns.server });
  browser = await launchChromium();
  mkdirSync(outDir, { recursive: true });
  for (const colorScheme of ['light', 'dark']) {
    for (const shot of SHOTS) {
      const page = await browser.newPage({ viewport: VIEWPORT, colorScheme, deviceScaleFactor: 1 });
      await page.goto(web.url);
      await page.getByLabel('Domain or e-mail address').fill(shot.query);
      await page.getByRole('button', { name: 'Look up' }).click();
      await page.getByRole('status').locator('[data-verdict]').waitFor({ timeout: 10_000 });
      // No caret or focus ring in a picture meant for reading.
      await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
      await page.mouse.move(VIEWPORT.width - 1, VIEWPORT.height - 1);
      const path = join(outDir, `${shot.name}-${colorScheme}.png`);
      await page.screenshot({ path });
      console.log(`wrote ${path.slice(root.length + 1)}`);
      await page.close();
    }
  }
} finally {
  await browser?.close();
  await web?.stop();
  await dns.stop();
}
