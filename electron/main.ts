import { app, BrowserWindow, session } from 'electron';
import { join } from 'node:path';
import { createSessionManager } from './engine/session-manager';
import { composeHost } from './host/compose';
import type { ComposedHost } from './host/compose';
import { pushEvents, registerIpc } from './ipc/register';
import { APP_INDEX_URL, handleAppProtocol, registerAppScheme } from './protocol';
import { denyPermissions, guardWebContents } from './security';
import { dataPaths } from './store/data-dir';
import { createSafeStorageSecretStore } from './store/safe-storage-secrets';
import { createMainWindow } from './window';

// Lifecycle only. Everything with logic lives in host/ (shared with web mode), security.ts and window.ts.

// Before ready: our scheme must be privileged, and every renderer sandboxed even if a window forgot.
registerAppScheme();
app.enableSandbox();
// Tests run the app against a throwaway profile; the single-instance lock is keyed on this directory.
if (process.env.MXDESK_USER_DATA) app.setPath('userData', process.env.MXDESK_USER_DATA);

let mainWindow: BrowserWindow | null = null;
let host: ComposedHost | null = null;

function showWindow(): void {
  if (!host) return;
  if (mainWindow && !mainWindow.isDestroyed()) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
    return;
  }
  const win = createMainWindow(__dirname);
  const unsubscribe = host.events.subscribe((events) => pushEvents(win.webContents, events));
  win.on('closed', () => {
    unsubscribe();
    if (mainWindow === win) mainWindow = null;
  });
  mainWindow = win;
  void win.loadURL(APP_INDEX_URL);
}

if (!app.requestSingleInstanceLock()) {
  // One instance at a time: the first one is told (second-instance) and focuses its window.
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  guardWebContents(app);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => showWindow());
  let closed = false;
  app.on('before-quit', (event) => {
    // Hold the quit once, so running sessions end with an outcome (and journals an end), then quit for real.
    if (!host || closed) return;
    event.preventDefault();
    closed = true;
    void host.close().finally(() => app.quit());
  });

  void app.whenReady().then(() => {
    denyPermissions(session.defaultSession);
    handleAppProtocol(join(__dirname, '..', 'renderer'));
    host = composeHost({
      host: 'electron',
      version: app.getVersion(),
      // Tests point the app at a private dnsmasq; a user never needs this (the form has a resolver field).
      defaultResolver: process.env.MXDESK_DNS || undefined,
      dataDir: app.getPath('userData'),
      // Passwords only through safeStorage with an OS backend; on basic_text they live for this run only.
      secrets: createSafeStorageSecretStore(dataPaths(app.getPath('userData')).secrets),
      createSessionManager,
    });
    registerIpc(host.service);
    showWindow();
  });
}
