import type { Direction } from './log-rows';
import { ALL_DIRECTIONS } from './log-filter';
import type { LogFilter } from './log-filter';

/**
 * Short visible words, and accessible names that say what the box does ("Show server lines"): a bare
 * "Server" or "TLS" would be announced, and found, like the Send form's fields of the same name.
 */
const DIRECTION_NAME: Record<Direction, { short: string; name: string }> = {
  client: { short: 'Client', name: 'Show client lines' },
  server: { short: 'Server', name: 'Show server lines' },
  dns: { short: 'DNS', name: 'Show DNS lines' },
  tls: { short: 'TLS', name: 'Show TLS lines' },
  info: { short: 'Info', name: 'Show info lines' },
};

/** Search box, direction toggles and copy buttons above the session log. */
export function LogToolbar({
  filter,
  onFilter,
  shown,
  total,
  selected,
  onCopySelected,
  onCopyShown,
}: {
  filter: LogFilter;
  onFilter: (f: LogFilter) => void;
  shown: number;
  total: number;
  selected: number;
  onCopySelected: () => void;
  onCopyShown: () => void;
}) {
  return (
    <div className="log-toolbar">
      <input
        type="search"
        className="log-search"
        placeholder="Search the log"
        aria-label="Search the log"
        value={filter.text}
        onChange={(e) => onFilter({ ...filter, text: e.target.value })}
      />
      <fieldset className="log-dirs">
        <legend className="visually-hidden">Show rows from</legend>
        {ALL_DIRECTIONS.map((d) => (
          <label key={d} className={`chip chip-${d}`}>
            <input type="checkbox" aria-label={DIRECTION_NAME[d].name} checked={filter.directions[d]} onChange={(e) => onFilter({ ...filter, directions: { ...filter.directions, [d]: e.target.checked } })} />
            {DIRECTION_NAME[d].short}
          </label>
        ))}
        <label className="chip chip-problems">
          <input type="checkbox" checked={filter.problemsOnly} onChange={(e) => onFilter({ ...filter, problemsOnly: e.target.checked })} />
          Problems only
        </label>
      </fieldset>
      {/* Kept together at the right, also when a narrow pane wraps the toolbar. */}
      <div className="log-actions">
        <span className="log-count muted num" aria-live="off">
          {shown === total ? `${total.toLocaleString('en')} rows` : `${shown.toLocaleString('en')} of ${total.toLocaleString('en')} rows`}
        </span>
        <button type="button" onClick={onCopySelected} disabled={selected === 0}>
          Copy selected
        </button>
        <button type="button" onClick={onCopyShown} disabled={shown === 0}>
          Copy shown
        </button>
      </div>
    </div>
  );
}
