/**
 * Getting an export out of the page, the same way in both hosts: a Blob behind an `<a download>` (Electron
 * turns it into its save dialog, a browser into a download), and the clipboard.
 */

/** Offers `content` as a file; the object URL is revoked once the click has been handled. */
export function downloadText(filename: string, mimeType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Writes text to the clipboard. The async Clipboard API first; where the host denies it (Electron refuses
 * every permission request here), the older copy command on a detached, off-screen text area.
 */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // fall through to the copy command
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen-copy';
  document.body.append(area);
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  area.select();
  const done = document.execCommand('copy');
  area.remove();
  previous?.focus();
  if (!done) throw new Error('The clipboard is not available here; use Save instead.');
}
