// README screenshots, taken from web mode: `npm run build && npm run screenshot`.
// Builds nothing itself. Starts the private dnsmasq (TEST_ZONE) and web mode with the same helpers the ui tests
// use (scripts/screenshot-harness.mjs), looks up two test domains in light and dark mode with Debian's
// Chromium, and writes PNGs into docs/screenshots/.
import { blur, requireBuild, savePng, withWebUi } from './screenshot-harness.mjs';

requireBuild();

// example.test: a tie at preference 20 and dual-stack hosts; warnings.test: loopback, no address, IP literal.
const SHOTS = [
  { name: 'mx-inspector', query: 'example.test' },
  { name: 'mx-warnings', query: 'warnings.test' },
];
const VIEWPORT = { width: 1180, height: 720 };

await withWebUi(async ({ browser, web }) => {
  for (const colorScheme of ['light', 'dark']) {
    for (const shot of SHOTS) {
      const page = await browser.newPage({ viewport: VIEWPORT, colorScheme, deviceScaleFactor: 1 });
      await page.goto(web.url);
      await page.getByLabel('Domain or e-mail address').fill(shot.query);
      await page.getByRole('button', { name: 'Look up' }).click();
      await page.getByRole('status').locator('[data-verdict]').waitFor({ timeout: 10_000 });
      await blur(page);
      await page.mouse.move(VIEWPORT.width - 1, VIEWPORT.height - 1);
      await savePng(page, `${shot.name}-${colorScheme}.png`);
      await page.close();
    }
  }
});
