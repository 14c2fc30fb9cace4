import { useMemo, useState } from 'react';
import type { SessionRequest } from '../../shared/model';
import type { HistoryDetail } from '../../shared/store-model';
import { useApi } from '../api-context';
import { Spinner } from '../components/progress';
import { CheckDetailView } from './check-detail';
import { HistoryDetailView } from './history-detail';
import { filterEntries } from './history-format';
import { HistoryList } from './history-list';
import { ImportedSessionView, OpenExportButton } from './imported-session';
import type { OpenedExport } from './imported-session';
import { runAgainNote } from './run-again';
import type { HandoffNote } from './run-again';
import { useHistoryDetail, useHistoryList } from './use-history';

/**
 * Past sessions on the left (newest first, searchable), the one picked on the right: its outcome, log and
 * waterfall exactly as journaled, with Run again, Export and Delete. An exported events file can be opened
 * here too, read-only.
 */
export function HistoryPanel({ visible, onRunAgain }: { visible: boolean; onRunAgain: (request: SessionRequest, note: HandoffNote) => void }) {
  const api = useApi();
  const list = useHistoryList(visible);
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const [opened, setOpened] = useState<OpenedExport | undefined>();
  const [query, setQuery] = useState('');
  const [message, setMessage] = useState<{ text: string; error: boolean }>({ text: '', error: false });
  const shown = useMemo(() => filterEntries(list.entries, query), [list.entries, query]);
  const selected = list.entries.find((e) => e.id === selectedId);
  // Re-read the open session when it changes on disk (it was running, now it has an outcome).
  const detail = useHistoryDetail(opened ? undefined : selectedId, selected ? `${selected.status}:${selected.eventCount}` : '');

  function open(id: string) {
    setOpened(undefined);
    setSelectedId(id);
  }

  async function remove(id: string): Promise<string | undefined> {
    const r = await api.deleteHistory({ id }).catch((e: unknown) => ({ ok: false as const, error: { code: 'transport', message: String(e) } }));
    if (!r.ok) return `Could not delete: ${r.error.message}`;
    // Keep the keyboard in the list: open the neighbour of the deleted session, if any.
    const i = shown.findIndex((e) => e.id === id);
    const next = shown[i + 1] ?? shown[i - 1];
    setSelectedId(next?.id);
    await list.refresh();
    // Said once the list no longer shows it.
    setMessage({ text: 'Session deleted.', error: false });
    if (next) window.setTimeout(() => document.querySelector<HTMLElement>(`[data-history-id="${CSS.escape(next.id)}"]`)?.focus(), 0);
    return undefined;
  }

  function runAgain(d: HistoryDetail) {
    if (d.request) onRunAgain(d.request, runAgainNote(d.entry, d.request));
  }

  const count = list.entries.length;
  return (
    <div className="history-panel">
      <aside className="history-side" aria-label="History">
        <div className="history-toolbar">
          <label className="visually-hidden" htmlFor="history-search">
            Search the history
          </label>
          <input id="history-search" type="search" placeholder="Search target, address, outcome…" value={query} onChange={(e) => setQuery(e.target.value)} />
          <button type="button" onClick={() => void list.refresh()} title="Read the history again">
            Refresh
          </button>
        </div>
        <div className="history-toolbar history-toolbar-second">
          <span className="muted history-count" aria-live="polite">
            {list.loading ? 'Reading…' : query ? `${shown.length} of ${count} sessions` : count === 1 ? '1 session' : `${count} sessions`}
          </span>
          <OpenExportButton
            onOpened={(o) => {
              setOpened(o);
              setMessage({ text: '', error: false });
            }}
            onError={(text) => setMessage({ text, error: true })}
          />
        </div>
        {message.text ? (
          <p className={`history-message${message.error ? ' is-error' : ''}`} role={message.error ? 'alert' : 'status'}>
            {message.text}
          </p>
        ) : null}
        {list.error ? (
          <p className="history-message is-error" role="alert">
            The history could not be read: {list.error}
          </p>
        ) : null}
        <div className="history-list-scroll">
          {shown.length > 0 ? (
            <HistoryList entries={shown} selectedId={opened ? undefined : selectedId} onOpen={open} />
          ) : list.loading ? null : (
            <div className="empty-state history-empty">
              <p className="empty-title">{count === 0 ? 'No sessions yet' : 'No session matches'}</p>
              <p>{count === 0 ? 'Every session you run from the Send panel is kept here, with its transcript, as it happens.' : 'Try fewer words.'}</p>
            </div>
          )}
        </div>
      </aside>
      <section className="history-main" aria-label="Session record">
        {opened ? (
          <ImportedSessionView opened={opened} onClose={() => setOpened(undefined)} />
        ) : detail.status === 'ready' && detail.detail.entry.check ? (
          <CheckDetailView key={detail.detail.entry.id} detail={detail.detail} onDelete={remove} />
        ) : detail.status === 'ready' ? (
          <HistoryDetailView key={detail.detail.entry.id} detail={detail.detail} onRunAgain={runAgain} onDelete={remove} />
        ) : detail.status === 'loading' ? (
          <p className="history-loading">
            <Spinner /> Reading the session…
          </p>
        ) : detail.status === 'error' ? (
          <div className="empty-state" role="alert">
            <p className="empty-title">This session could not be opened</p>
            <p>{detail.message}</p>
          </div>
        ) : (
          <div className="empty-state">
            <p className="empty-title">Pick a session</p>
            <p>Its log and waterfall open here exactly as they were, with Run again, Export and Delete.</p>
          </div>
        )}
      </section>
    </div>
  );
}
