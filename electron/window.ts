import { BrowserWindow, nativeTheme } from 'electron';
import { join } from 'node:path';

/**
 * The only webPreferences any window of MX Desk gets (RELIABILITY "Electron"). Frozen and exported so the
 * invariants test reads the very object `createMainWindow` uses. `webSecurity` is deliberately absent:
 * its default (on) stays untouched.
 */
export const HARDENED_WEB_PREFERENCES = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
  safeDialogs: true,
} as const);

/** renderer/styles.css's --bg in light and dark, so the window shows no white flash before the page paints. */
const BACKGROUND = { light: '#f2f2f5', dark: '#1b1b1f' } as const;

export function themeBackground(): string {
  return nativeTheme.shouldUseDarkColors ? BACKGROUND.dark : BACKGROUND.light;
}

export function createMainWindow(preloadDir: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 820,
    minWidth: 760,
    minHeight: 520,
    title: 'MX Desk',
    show: false,
    backgroundColor: themeBackground(),
    autoHideMenuBar: true,
    webPreferences: { ...HARDENED_WEB_PREFERENCES, preload: join(preloadDir, 'preload.js') },
  });
  win.once('ready-to-show', () => win.show());
  // The page follows prefers-color-scheme by itself; only the native background needs telling.
  const onTheme = (): void => {
    if (!win.isDestroyed()) win.setBackgroundColor(themeBackground());
  };
  nativeTheme.on('updated', onTheme);
  win.on('closed', () => nativeTheme.off('updated', onTheme));
  return win;
}
