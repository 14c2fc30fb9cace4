import type { Direction } from './log-rows';
import { ALL_DIRECTIONS } from './log-filter';
import type { LogFilter } from './log-filter';

const DIRECTION_NAME: Record<Direction, string> = { client: 'Client', server: 'Server', dns: 'DNS', tls: 'TLS', info: 'Info' };

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
            <input type="checkbox" aria-label={`Show ${DIRECTION_NAME[d]} rows`} checked={filter.directions[d]} onChange={(e) => onFilter({ ...filter, directions: { ...filter.directions, [d]: e.target.checked } })} />
            {DIRECTION_NAME[d]}
          </label>
        ))}
        <label className="chip chip-problems">
          <input type="checkbox" checked={filter.problemsOnly} onChange={(e) => onFilter({ ...filter, problemsOnly: e.target.checked })} />
          Problems only
        </label>
      </fieldset>
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
  );
}
