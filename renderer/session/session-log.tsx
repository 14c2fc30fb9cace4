import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { LogRow } from './log-rows';
import { rowLineCount } from './log-rows';
import { defaultFilter, formatRowsForCopy, isFilterActive, updateFiltered } from './log-filter';
import type { FilteredRows, LogFilter } from './log-filter';
import { LogRowView, PendingWaitRow } from './log-row';
import { LogToolbar } from './log-toolbar';
import type { SessionView } from './session-view';

const LINE_PX = 19;
const ROW_PAD_PX = 4;

/** Exact, not estimated: rows have fixed line heights and never wrap, so nothing needs measuring. */
function rowHeight(row: LogRow | undefined, expanded: boolean): number {
  return (row ? rowLineCount(row, expanded) : 1) * LINE_PX + ROW_PAD_PX;
}

interface Selection {
  anchor: number;
  focus: number;
}

/**
 * The live session log: one row per event, virtualised (only the rows on screen exist in the DOM, so
 * 100,000 rows scroll like 100). A pending wait ticks in a last line of its own (elapsed of the deadline,
 * against `clockBase`). With `follow`, it opens at the end and follows the tail while you are at the bottom;
 * scroll up and it stays put. Without (a past session), it opens at the top.
 * Keyboard: arrows, Page Up/Down, Home/End move; Shift extends the selection; Ctrl+C copies; Enter opens
 * the message body.
 */
export function SessionLog({ view, clockBase, follow = true }: { view: SessionView; clockBase?: number; follow?: boolean }) {
  const baseId = useId();
  const [filter, setFilter] = useState<LogFilter>(defaultFilter);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set());
  const [selection, setSelection] = useState<Selection | null>(null);
  const [status, setStatus] = useState('');
  const filteredRef = useRef<FilteredRows | undefined>(undefined);
  const scrollRef = useRef<HTMLDivElement>(null);
  const stick = useRef(follow);
  const wait = view.outcome ? undefined : view.wait;
  const tailPx = wait ? rowHeight(undefined, false) : 0;

  const active = isFilterActive(filter);
  const filtered = useMemo(() => {
    if (!active) return undefined;
    filteredRef.current = updateFiltered(filteredRef.current, view.rows, view.rowCount, filter);
    return filteredRef.current;
  }, [active, filter, view.rows, view.rowCount]);
  const count = filtered ? filtered.indices.length : view.rowCount;
  const rowAt = useCallback((pos: number): LogRow | undefined => view.rows[filtered ? filtered.indices[pos] : pos], [filtered, view.rows]);

  // The virtualizer recomputes every row's offset when getItemKey changes identity: keep it stable (it
  // changes only with the filter) and read the current rows through a ref, or 100,000 rows cost a frame each.
  const rowAtRef = useRef(rowAt);
  rowAtRef.current = rowAt;
  const expandedRef = useRef(expanded);
  expandedRef.current = expanded;
  const getItemKey = useCallback((pos: number) => (active ? (rowAtRef.current(pos)?.index ?? pos) : pos), [active, filter]);
  const estimateSize = useCallback((pos: number) => {
    const row = rowAtRef.current(pos);
    return rowHeight(row, row ? expandedRef.current.has(row.index) : false);
  }, []);
  // The pending wait's line sits in the padding after the last row, so "scroll to the last row" shows it too.
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize, getItemKey, overscan: 10, paddingEnd: tailPx, scrollPaddingEnd: tailPx });

  // Opening or closing a body changes that row's height: recompute the offsets.
  useEffect(() => virtualizer.measure(), [expanded, virtualizer]);

  // Follow the tail while the user is at the bottom.
  useLayoutEffect(() => {
    if (stick.current && count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [count, tailPx, virtualizer]);

  // A new session or a new filter starts with no selection.
  useEffect(() => setSelection(null), [view.sessionId, filter]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (el) stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 24;
  };

  const selectedRows = useCallback((): LogRow[] => {
    if (!selection) return [];
    const lo = Math.min(selection.anchor, selection.focus);
    const hi = Math.max(selection.anchor, selection.focus);
    const out: LogRow[] = [];
    for (let p = lo; p <= hi; p++) {
      const r = rowAt(p);
      if (r) out.push(r);
    }
    return out;
  }, [rowAt, selection]);

  const copy = useCallback(
    async (rows: LogRow[], what: string) => {
      if (rows.length === 0) return;
      try {
        await navigator.clipboard.writeText(formatRowsForCopy(rows));
        setStatus(`Copied ${what}.`);
      } catch {
        setStatus('Copying was refused by the browser.');
      }
    },
    [],
  );

  const pick = useCallback((pos: number, extend: boolean) => {
    setSelection((s) => (extend && s ? { anchor: s.anchor, focus: pos } : { anchor: pos, focus: pos }));
  }, []);
  const toggle = useCallback((rowIndex: number) => {
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(rowIndex)) next.delete(rowIndex);
      else next.add(rowIndex);
      return next;
    });
  }, []);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (count === 0) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 300) / LINE_PX) - 1);
    const cur = selection?.focus ?? -1;
    let next: number | undefined;
    if (e.key === 'ArrowDown') next = Math.min(count - 1, cur + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, cur < 0 ? count - 1 : cur - 1);
    else if (e.key === 'PageDown') next = Math.min(count - 1, cur + page);
    else if (e.key === 'PageUp') next = Math.max(0, cur - page);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = count - 1;
    else if ((e.key === 'c' || e.key === 'C') && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      const rows = selectedRows();
      void copy(rows, rows.length === 1 ? '1 row' : `${rows.length} rows`);
      return;
    } else if (e.key === 'Enter' || e.key === ' ') {
      const row = cur >= 0 ? rowAt(cur) : undefined;
      if (row?.body) {
        e.preventDefault();
        toggle(row.index);
      }
      return;
    } else if (e.key === 'a' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      setSelection({ anchor: 0, focus: count - 1 });
      return;
    }
    if (next === undefined) return;
    e.preventDefault();
    stick.current = next === count - 1;
    pick(next, e.shiftKey);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  }

  const items = virtualizer.getVirtualItems();
  const lo = selection ? Math.min(selection.anchor, selection.focus) : -1;
  const hi = selection ? Math.max(selection.anchor, selection.focus) : -2;
  const activeRow = selection ? rowAt(selection.focus) : undefined;
  const selCount = selection ? hi - lo + 1 : 0;

  return (
    <section className="session-log" aria-label="Session log">
      <LogToolbar
        filter={filter}
        onFilter={setFilter}
        shown={count}
        total={view.rowCount}
        selected={selCount}
        onCopySelected={() => void copy(selectedRows(), selCount === 1 ? '1 row' : `${selCount} rows`)}
        onCopyShown={() => {
          const rows: LogRow[] = [];
          for (let p = 0; p < count; p++) rows.push(rowAt(p) as LogRow);
          void copy(rows, `${rows.length} rows`);
        }}
      />
      <div className="log-head" aria-hidden="true">
        <span>time</span>
        <span />
        <span>code</span>
        <span className="num">took</span>
        <span>text</span>
      </div>
      <div
        ref={scrollRef}
        className="log-scroll"
        role="listbox"
        aria-multiselectable="true"
        aria-label={`Session log, ${count} rows`}
        aria-activedescendant={activeRow ? `${baseId}-r${activeRow.index}` : undefined}
        tabIndex={0}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
      >
        <div className="log-sizer" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rowAt(item.index);
            if (!row) return null;
            return (
              <LogRowView
                key={item.key}
                row={row}
                id={`${baseId}-r${row.index}`}
                position={item.index}
                start={item.start}
                height={item.size}
                selected={item.index >= lo && item.index <= hi}
                active={selection?.focus === item.index}
                expanded={expanded.has(row.index)}
                onPick={pick}
                onToggle={toggle}
              />
            );
          })}
          {wait ? <PendingWaitRow wait={wait} clockBase={clockBase} start={virtualizer.getTotalSize() - tailPx} height={tailPx} /> : null}
        </div>
        {count === 0 ? <p className="log-empty muted">{view.rowCount === 0 ? 'No events yet.' : 'No row matches the filter.'}</p> : null}
      </div>
      <p className="visually-hidden" aria-live="polite">
        {status}
      </p>
    </section>
  );
}
