// The real app under Electron (Playwright's _electron): it starts, the page is sandboxed, and one MX lookup
// goes through preload → IPC → service → a private dnsmasq. Skips, saying why, where no Electron binary
// exists (npm installs here set ELECTRON_SKIP_BINARY_DOWNLOAD). Needs `npm run build` first.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { _electron } from 'playwright';
import type { Dnsmasq } from '../support/dnsmasq';
import { startDnsmasq, TEST_ZONE } from '../support/dnsmasq';

const ROOT = resolve(__dirname, '..', '..');

/** The Electron binary `require('electron')` points at, or why there is none. */
function electronBinary(): { path: string } | { reason: string } {
  try {
    const path = createRequire(join(ROOT, 'package.json'))('electron') as unknown;
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { reason: `require('electron') points at ${String(path)}, which does not exist` };
  } catch (err) {
    return { reason: `require('electron') failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** A private X server when there is no display (CI); Xvfb picks a free display number itself. */
function startXvfb(): Promise<{ display: string; stop(): void }> {
  return new Promise((resolveX, reject) => {
    const child: ChildProcess = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x900x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    child.once('error', reject);
    child.stdio[3]!.once('data', (d: Buffer) => resolveX({ display: `:${d.toString().trim()}`, stop: () => child.kill('SIGTERM') }));
  });
}

test('the Electron app looks up MX records through IPC against a private dnsmasq', { timeout: 60_000 }, async (t) => {
  const bin = electronBinary();
  if ('reason' in bin) {
    const why = `no Electron binary: ${bin.reason} (run node node_modules/electron/install.js with internet access)`;
    console.log(`# electron tier skipped: ${why}`);
    t.skip(why);
    return;
  }
  assert.ok(existsSync(join(ROOT, 'dist', 'electron', 'main.js')), 'run npm run build first');

  const cleanups: (() => unknown)[] = [];
  try {
    const dns: Dnsmasq = await startDnsmasq(TEST_ZONE);
    cleanups.push(() => dns.stop());
    const userData = mkdtempSync(join(tmpdir(), 'mxdesk-electron-'));
    cleanups.push(() => rmSync(userData, { recursive: true, force: true }));
    let display = process.env.DISPLAY;
    if (process.platform === 'linux' && !display) {
      const x = await startXvfb();
      cleanups.push(() => x.stop());
      display = x.display;
    }
    const env: Record<string, string> = { ...(process.env as Record<string, string>), MXDESK_DNS: dns.server, MXDESK_USER_DATA: userData };
    if (display) env.DISPLAY = display;
    // Chromium refuses to run as root with its OS sandbox; the renderer's `sandbox: true` still applies.
    const args = [ROOT, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
    const app = await _electron.launch({ executablePath: bin.path, args, env, cwd: ROOT });
    cleanups.push(() => app.close());

    const page = await app.firstWindow();
    assert.equal(new URL(page.url()).origin, 'mxdesk://app');
    const exposure = await page.evaluate(() => {
      const w = globalThis as unknown as Record<string, unknown>;
      return { require: typeof w.require, process: typeof w.process, mxdesk: Object.keys((w.mxdesk as object) ?? {}).sort() };
    });
    assert.deepEqual([exposure.require, exposure.process], ['undefined', 'undefined'], 'no Node in the page');
    assert.ok(exposure.mxdesk.includes('lookupMx'));

    await page.getByLabel('Domain or e-mail address').fill('postmaster@example.test');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByText('mx0.example.test').first().waitFor({ timeout: 15_000 });
    for (const host of ['mx1.example.test', 'mx2a.example.test', 'mx2b.example.test']) {
      assert.ok(await page.getByText(host).first().isVisible(), host);
    }
  } finally {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (err) {
        console.log(`# cleanup failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
});
