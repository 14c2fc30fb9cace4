import { useRef } from 'react';
import type { ChangeEvent } from 'react';
import type { ImportedEvents } from '../../shared/store-model';
import { useApi } from '../api-context';
import { EscapedText } from '../components/escaped-text';
import { formatWhen } from './history-format';
import { PastSession } from './past-session';

export interface OpenedExport {
  filename: string;
  imported: ImportedEvents;
}

/**
 * "Open export…": a file input (keyboard reachable, labelled like a button). The host validates the file
 * (shared/export/events-json.ts); nothing is written, and what opens is read-only.
 */
export function OpenExportButton({ onOpened, onError }: { onOpened: (o: OpenedExport) => void; onError: (message: string) => void }) {
  const api = useApi();
  const input = useRef<HTMLInputElement>(null);

  async function onChange(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    try {
      const r = await api.importEvents({ text: await file.text() });
      if (r.ok) onOpened({ filename: file.name, imported: r.value });
      else onError(`${file.name} could not be opened: ${r.error.message}`);
    } catch (err) {
      onError(`${file.name} could not be read: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  return (
    <span className="open-export">
      <input ref={input} id="history-open-export" type="file" accept=".json,application/json" className="file-input" onChange={(e) => void onChange(e)} />
      <label htmlFor="history-open-export" className="file-button">
        Open export…
      </label>
    </span>
  );
}

/** An opened events export, shown exactly like a past session but with no actions: it is a document. */
export function ImportedSessionView({ opened, onClose }: { opened: OpenedExport; onClose: () => void }) {
  const { imported } = opened;
  const when = formatWhen(imported.exportedAt);
  const start = imported.events.find((e) => e.kind === 'session_start');
  return (
    <article className="history-detail" aria-labelledby="history-imported-h">
      <header className="history-detail-head">
        <div className="history-detail-title">
          <h2 id="history-imported-h">
            Opened export: <span className="mono">{opened.filename}</span>
          </h2>
          <span className="badge badge-info">read-only</span>
        </div>
        <dl className="history-facts">
          {start && start.kind === 'session_start' ? (
            <div>
              <dt>Target</dt>
              <dd className="mono">
                <EscapedText text={start.target} />
              </dd>
            </div>
          ) : null}
          <div>
            <dt>Exported</dt>
            <dd>
              {when.date} {when.time}
            </dd>
          </div>
          <div>
            <dt>Session</dt>
            <dd className="mono">
              <EscapedText text={imported.sessionId} />
            </dd>
          </div>
          <div>
            <dt>Events</dt>
            <dd className="num">{imported.events.length}</dd>
          </div>
        </dl>
        <div className="history-actions" role="toolbar" aria-label="Opened export">
          <button type="button" onClick={onClose}>
            Close
          </button>
          <span className="muted">Opened from a file: not part of the history, nothing was saved.</span>
        </div>
      </header>
      <PastSession sessionId={imported.sessionId} events={imported.events} dotSent={importedDotSent(imported)} />
    </article>
  );
}

/** The export's own word when it has an outcome; otherwise a body on the wire means the dot may have gone. */
function importedDotSent(imported: ImportedEvents): boolean {
  const outcome = imported.events.find((e) => e.kind === 'outcome');
  if (outcome && outcome.kind === 'outcome') return outcome.dotSent;
  return imported.events.some((e) => e.kind === 'data_body');
}
