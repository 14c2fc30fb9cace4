import type { App, Session, WebContents, WebFrameMain } from 'electron';
import { shell } from 'electron';
import { APP_HOST, APP_SCHEME } from './protocol';

/** Links the app may hand to the system browser: RFC texts and the registries the explanations cite. */
export const EXTERNAL_HOSTS: readonly string[] = ['www.rfc-editor.org', 'datatracker.ietf.org', 'www.iana.org'];

export function isAllowedExternalUrl(raw: string): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && u.username === '' && u.password === '' && u.port === '' && EXTERNAL_HOSTS.includes(u.hostname);
}

/** True only for a page of our own custom protocol origin. */
export function isAppUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * The trusted-sender check every IPC handler runs first: the message must come from the top frame of a
 * page loaded from `mxdesk://app/`. A null frame (navigated away or destroyed) is untrusted.
 */
export function isTrustedSender(event: { senderFrame: Pick<WebFrameMain, 'url' | 'parent'> | null }): boolean {
  try {
    const frame = event.senderFrame;
    return frame !== null && frame !== undefined && frame.parent === null && isAppUrl(frame.url);
  } catch {
    // Electron throws when a disposed frame's properties are read: a frame that is gone is not trusted.
    return false;
  }
}

function denyAll(contents: WebContents): void {
  // The renderer never navigates: it is one page. Links go through openExternal's allow-list.
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-frame-navigate', (e) => e.preventDefault());
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** Installs the navigation / window.open / webview guards on every web contents the app ever creates. */
export function guardWebContents(app: App): void {
  app.on('web-contents-created', (_event, contents) => denyAll(contents));
}

/** No page of ours needs a permission (camera, notifications, clipboard-read, …): deny requests and checks. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
