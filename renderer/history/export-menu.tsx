import { useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { ExportFormat } from '../../shared/store-model';
import { useApi } from '../api-context';
import { copyText, downloadText } from './file-output';
import { EXPORT_CHOICES, exportChoice, type ExportChoice } from './history-format';

/**
 * "Export" opens a small panel: one row per format (transcript, events JSON, .eml, swaks, curl, openssl),
 * each with Save and Copy. The host builds every export and scrubs secrets from it; this only moves the
 * text to a file or the clipboard. Escape closes the panel and returns focus to its button.
 */
export function ExportMenu({
  sessionId,
  onStatus,
  choices = EXPORT_CHOICES,
}: {
  sessionId: string;
  onStatus: (message: string, isError?: boolean) => void;
  /** The formats offered (a check has no message, so only its transcript and events). */
  choices?: readonly ExportChoice[];
}) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<string>('');
  const panelId = useId();
  const toggleRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    panelRef.current?.querySelector<HTMLButtonElement>('button')?.focus();
    const onDown = (e: MouseEvent) => {
      const t = e.target as Node;
      if (!panelRef.current?.contains(t) && !toggleRef.current?.contains(t)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  function close(refocus: boolean) {
    setOpen(false);
    if (refocus) toggleRef.current?.focus();
  }

  function onPanelKey(e: KeyboardEvent) {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close(true);
    }
  }

  async function run(format: ExportFormat, action: 'save' | 'copy') {
    const c = exportChoice(format);
    setBusy(`${format}:${action}`);
    try {
      const r = await api.exportSession({ id: sessionId, format });
      if (!r.ok) return onStatus(`Could not export the ${c.label.toLowerCase()}: ${r.error.message}`, true);
      if (action === 'save') {
        downloadText(r.value.filename, r.value.mimeType, r.value.content);
        onStatus(`Saved ${r.value.filename}.`);
      } else {
        await copyText(r.value.content);
        onStatus(`Copied the ${c.label === 'swaks' || c.label === 'curl' ? `${c.label} command` : c.label.toLowerCase()} to the clipboard.`);
      }
      close(true);
    } catch (e) {
      onStatus(e instanceof Error ? e.message : String(e), true);
    } finally {
      setBusy('');
    }
  }

  return (
    <div className="export-menu">
      <button ref={toggleRef} type="button" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((o) => !o)}>
        Export <span aria-hidden="true">▾</span>
      </button>
      <div ref={panelRef} id={panelId} className="export-panel" role="group" aria-label="Export this session" hidden={!open} onKeyDown={onPanelKey}>
        <p className="export-panel-note muted">Exports never contain a password.</p>
        <table className="export-table">
          <tbody>
            {choices.map((c) => (
              <tr key={c.format}>
                <th scope="row">
                  <span className="export-label">{c.label}</span>
                  <span className="export-hint muted">{c.hint}</span>
                </th>
                <td>
                  <button type="button" className="small-button" disabled={busy !== ''} aria-label={`Save ${c.label} (${c.hint})`} onClick={() => void run(c.format, 'save')}>
                    Save
                  </button>
                </td>
                <td>
                  <button type="button" className="small-button" disabled={busy !== ''} aria-label={`Copy ${c.label} (${c.hint})`} onClick={() => void run(c.format, 'copy')}>
                    Copy
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
