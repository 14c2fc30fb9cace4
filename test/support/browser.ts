import { existsSync } from 'node:fs';
import { chromium } from 'playwright';
import type { Browser } from 'playwright';

/** Debian's Chromium; Playwright's own browser download is never used (it needs the internet). */
export const CHROMIUM_PATH = process.env.MXDESK_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags that keep Chromium quiet and offline: without the background-networking ones it tries to reach
 * Google's update and sync servers, which this machine (and CI) refuses.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: apt-get install chromium (or set MXDESK_CHROMIUM).`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}
