import type { Browser } from 'playwright';
import { launchChromium } from './browser';
import { startWebMode, type WebMode } from './web-mode';

export interface WebUi {
  web: WebMode;
  browser: Browser;
}

/**
 * What every ui test drives: the built web mode (see startWebMode for its options) and Debian's Chromium.
 * If Chromium cannot start, web mode is stopped again before the error is thrown, so nothing is left
 * running. Stop both with `stopAll(browser, web, ...peers)`.
 */
export async function startWebUi(opts: Parameters<typeof startWebMode>[0] = {}): Promise<WebUi> {
  const web = await startWebMode(opts);
  try {
    return { web, browser: await launchChromium() };
  } catch (e) {
    await web.stop();
    throw e;
  }
}
