import type { MxDeskApi } from '../../shared/api';
import { electronHost } from './electron-host';
import { createWebHost } from './web-host';

/**
 * The renderer's one way to its host: Electron's preload bridge when present, otherwise web mode's
 * WebSocket on the page's own origin, authenticated with the token from the page's address.
 */
export async function connectHost(): Promise<MxDeskApi> {
  const bridged = electronHost();
  if (bridged) return bridged;
  const token = new URLSearchParams(window.location.search).get('token');
  if (!token) throw new Error('This page has no access token. Open the exact address that npm run web printed.');
  return createWebHost(`ws://${window.location.host}/api?token=${encodeURIComponent(token)}`);
}
