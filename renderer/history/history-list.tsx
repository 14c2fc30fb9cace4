import { useRef } from 'react';
import type { KeyboardEvent } from 'react';
import type { HistoryEntry } from '../../shared/store-model';
import { Badge } from '../components/badge';
import { EscapedText } from '../components/escaped-text';
import { checkCountText } from '../../shared/probe/check-record';
import { dotWords, envelopeSummary, formatDuration, formatWhen, statusView } from './history-format';

/**
 * Past sessions, newest first: outcome, date, target, envelope and duration on two lines each. One tab stop
 * for the whole list; arrows, Home and End move between sessions, Enter or Space opens one.
 */
export function HistoryList({ entries, selectedId, onOpen }: { entries: HistoryEntry[]; selectedId: string | undefined; onOpen: (id: string) => void }) {
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);
  const selectedIndex = entries.findIndex((e) => e.id === selectedId);
  const tabStop = selectedIndex >= 0 ? selectedIndex : 0;

  function onKey(e: KeyboardEvent, i: number) {
    const last = entries.length - 1;
    const next = e.key === 'ArrowDown' ? Math.min(last, i + 1) : e.key === 'ArrowUp' ? Math.max(0, i - 1) : e.key === 'Home' ? 0 : e.key === 'End' ? last : -1;
    if (next < 0) return;
    e.preventDefault();
    buttons.current[next]?.focus();
    onOpen(entries[next].id);
  }

  return (
    <ul className="history-list" aria-label="Past sessions">
      {entries.map((e, i) => {
        const s = statusView(e);
        const when = formatWhen(e.startedAt);
        const selected = e.id === selectedId;
        return (
          <li key={e.id}>
            <button
              ref={(el) => {
                buttons.current[i] = el;
              }}
              type="button"
              className={`history-item status-${e.status}${selected ? ' is-selected' : ''}`}
              aria-current={selected ? 'true' : undefined}
              // No aria-label: the name is the visible text, so speech users can say what they see (WCAG 2 §2.5.3).
              tabIndex={i === tabStop ? 0 : -1}
              data-history-id={e.id}
              onClick={() => onOpen(e.id)}
              onKeyDown={(ev) => onKey(ev, i)}
            >
              <span className="history-item-line">
                <Badge tone={s.tone}>{e.status === 'interrupted' ? 'Interrupted' : s.label}</Badge>
                <span className="history-when">
                  <span className="history-date">{when.date}</span> {when.time}
                </span>
              </span>
              <span className="history-item-line">
                <span className="mono history-target">
                  <EscapedText text={e.target} />
                </span>
                {e.mode === 'step' ? <span className="history-tag">step</span> : null}
                <span className="history-duration num">{formatDuration(e.durationMs)}</span>
              </span>
              {e.check ? (
                <span className="history-item-line history-envelope history-check-count muted">{e.status === 'interrupted' ? 'no verdict · check interrupted' : checkCountText({ ...e.check, cancelled: e.status === 'cancelled' })}</span>
              ) : (
                <span className="history-item-line mono history-envelope muted">
                  <EscapedText text={envelopeSummary(e.mailFrom, e.rcptTo)} />
                </span>
              )}
              {e.status === 'interrupted' && !e.check ? (
                <span className={`history-item-line history-dot${e.dotSent ? ' is-sent' : ''}`}>outcome unknown · {dotWords(e.dotSent)}</span>
              ) : null}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

