import type { Theme } from '../../shared/store-model';

/**
 * The theme is a `data-theme` attribute on <html>: `light` or `dark` override the system's
 * prefers-color-scheme (renderer/styles.css); `system` removes the attribute and follows the system.
 */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  else delete root.dataset.theme;
}
