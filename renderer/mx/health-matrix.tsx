import { useRef, useState, type KeyboardEvent } from 'react';
import type { MatrixCell, MatrixRow } from '../../shared/probe/types';
import { CHECK_IDS, CHECK_LABELS } from '../../shared/probe/types';
import { EscapedText } from '../components/escaped-text';
import { CELL_ICON, CELL_WORD, moveFocus } from './health-view';

/**
 * Hosts × checks. One colour per verdict plus an icon and a word (never colour alone); cells where the hosts
 * of the domain disagree carry a "differs" mark. A WAI-ARIA grid: one tab stop, arrows move between cells,
 * and the focused cell's detail is shown (and announced) under the grid.
 */
export function HealthMatrix({ rows, label, onOpenLog }: { rows: MatrixRow[]; label: string; onOpenLog?: (row: number) => void }) {
  const cols = CHECK_IDS.length + 1;
  const [at, setAt] = useState({ row: 0, col: 0 });
  const [detailShown, setDetailShown] = useState(false);
  const table = useRef<HTMLTableElement>(null);
  const safeAt = { row: Math.min(at.row, rows.length - 1), col: Math.min(at.col, cols - 1) };

  const onKeyDown = (e: KeyboardEvent<HTMLTableElement>): void => {
    if (e.key === 'Enter' && onOpenLog) {
      e.preventDefault();
      onOpenLog(safeAt.row);
      return;
    }
    const next = moveFocus(e.key, e.ctrlKey || e.metaKey, safeAt, rows.length, cols);
    if (!next) return;
    e.preventDefault();
    setAt(next);
    setDetailShown(true);
    table.current?.querySelector<HTMLElement>(`[data-cell="${next.row}-${next.col}"]`)?.focus();
  };

  const focusProps = (row: number, col: number) => ({
    tabIndex: row === safeAt.row && col === safeAt.col ? 0 : -1,
    'data-cell': `${row}-${col}`,
    onFocus: () => {
      setAt({ row, col });
      setDetailShown(true);
    },
    onClick: () => setAt({ row, col }),
    onDoubleClick: onOpenLog ? () => onOpenLog(row) : undefined,
  });

  const focused = rows[safeAt.row];
  const focusedCell: MatrixCell | undefined = safeAt.col > 0 && focused ? focused.cells[CHECK_IDS[safeAt.col - 1]] : undefined;

  return (
    <>
      <table ref={table} className="grid health-matrix" role="grid" aria-label={label} aria-describedby="health-legend" onKeyDown={onKeyDown}>
        <thead>
          <tr>
            <th scope="col">Host and address</th>
            {CHECK_IDS.map((id) => (
              <th scope="col" key={id}>
                {CHECK_LABELS[id]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, ri) => (
            <tr key={`${r.host} ${r.address} ${r.port}`} data-row-verdict={r.verdict}>
              <th scope="row" className="health-host" {...focusProps(ri, 0)}>
                <span className="health-host-name">
                  {r.preference !== undefined ? <span className="health-pref">{r.preference}</span> : null}
                  <EscapedText text={r.host} className="mono" />
                </span>
                <span className="health-addr mono">
                  {r.address}
                  {r.port !== 25 ? `:${r.port}` : ''} <span className="muted">IPv{r.family}</span>
                </span>
              </th>
              {CHECK_IDS.map((id, ci) => {
                const c = r.cells[id];
                return (
                  <td
                    key={id}
                    role="gridcell"
                    className={`health-cell health-${c.verdict}${c.differs ? ' health-differs' : ''}`}
                    data-check={id}
                    data-verdict={c.verdict}
                    data-differs={c.differs ? 'true' : undefined}
                    title={c.detail}
                    {...focusProps(ri, ci + 1)}
                  >
                    {c.verdict === 'skip' ? null : (
                      <span className="health-icon" aria-hidden="true">
                        {CELL_ICON[c.verdict]}
                      </span>
                    )}
                    <span className="visually-hidden">{CELL_WORD[c.verdict]}: </span>
                    <EscapedText text={c.text} />
                    {c.differs ? (
                      <span className="health-differs-mark" title="Differs from the other hosts of this domain">
                        <span aria-hidden="true">≠</span>
                        <span className="visually-hidden"> (differs from the other hosts)</span>
                      </span>
                    ) : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="health-detail" aria-live="polite" aria-atomic="true">
        {detailShown && focused ? (
          <p>
            <strong>
              {focused.host} ({focused.address}){focusedCell ? ` · ${CHECK_LABELS[CHECK_IDS[safeAt.col - 1]]}: ${CELL_WORD[focusedCell.verdict]}` : ''}
            </strong>{' '}
            <EscapedText text={focusedCell ? (focusedCell.detail ?? focusedCell.text) : `worst check: ${CELL_WORD[focused.verdict]}`} />
          </p>
        ) : (
          <p className="muted">Use the arrow keys in the matrix (or hover a cell) to read each check's details{onOpenLog ? '; Enter (or a double click) shows the log of that address' : ''}.</p>
        )}
      </div>
      <p id="health-legend" className="health-legend muted">
        <span className="health-chip health-pass">{CELL_ICON.pass} Pass</span> <span className="health-chip health-warn">{CELL_ICON.warn} Warning</span>{' '}
        <span className="health-chip health-fail">{CELL_ICON.fail} Fail</span> <span className="health-chip health-skip">{CELL_ICON.skip} Not checked</span>{' '}
        <span className="health-chip health-differs">≠ differs from the other hosts</span>
      </p>
    </>
  );
}
