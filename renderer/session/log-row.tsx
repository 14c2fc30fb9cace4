import { memo } from 'react';
import { describeEnhancedCode } from '../../shared/smtp/explain';
import { EscapedText } from '../components/escaped-text';
import type { Direction, LogRow } from './log-rows';
import { formatLatency, formatOffset, formatSeconds, hasExplainLine, showsEnhancedWords } from './log-rows';
import type { WaitState } from './session-view';
import { useNow, waitedMs } from './wait-indicator';

export const DIRECTION_TAG: Record<Direction, { tag: string; label: string }> = {
  client: { tag: 'C', label: 'sent by MX Desk' },
  server: { tag: 'S', label: 'received from the server' },
  dns: { tag: 'DNS', label: 'DNS' },
  tls: { tag: 'TLS', label: 'TLS' },
  info: { tag: '*', label: 'information' },
};

const CODE_CLASS_LABEL = { ok: 'success', more: 'go on', transient: 'temporary failure', permanent: 'permanent failure', invalid: 'invalid code' };

/** RFC 3463 words without the leading `X.Y.Z: ` (the code is shown beside them). */
function enhancedWords(enhanced: string): string {
  const text = describeEnhancedCode(enhanced);
  return text.startsWith(`${enhanced}: `) ? text.slice(enhanced.length + 2) : text;
}

export interface LogRowProps {
  row: LogRow;
  id: string;
  selected: boolean;
  active: boolean;
  expanded: boolean;
  start: number;
  height: number;
  position: number;
  onPick: (position: number, extend: boolean) => void;
  onToggle: (rowIndex: number) => void;
}

/** One event of the session log. Every piece of server text goes through EscapedText. */
export const LogRowView = memo(function LogRowView({ row, id, selected, active, expanded, start, height, position, onPick, onToggle }: LogRowProps) {
  const dir = DIRECTION_TAG[row.direction];
  const cls = ['log-row', `dir-${row.direction}`, `level-${row.level}`, selected ? 'is-selected' : '', active ? 'is-active' : ''].filter(Boolean).join(' ');
  return (
    <div
      id={id}
      role="option"
      aria-selected={selected}
      data-index={position}
      data-seq={row.seq}
      className={cls}
      style={{ transform: `translateY(${start}px)`, height }}
      onMouseDown={(e) => {
        if (e.shiftKey) e.preventDefault();
        onPick(position, e.shiftKey);
      }}
    >
      <span className="log-time">{formatOffset(row.at)}</span>
      <span className={`log-dir log-dir-${row.direction}`} title={dir.label}>
        {dir.tag}
        <span className="visually-hidden">, {dir.label}</span>
      </span>
      <span className="log-code">
        {row.code !== undefined ? (
          <span className={`code-badge code-${row.codeClass}`} title={row.enhanced ? `${CODE_CLASS_LABEL[row.codeClass ?? 'invalid']}; ${describeEnhancedCode(row.enhanced)}` : CODE_CLASS_LABEL[row.codeClass ?? 'invalid']}>
            {row.code}
          </span>
        ) : row.pipelined ? (
          <span className="pipelined-mark" title="sent in one flight with other commands (PIPELINING, RFC 2920)">
            ⇉
          </span>
        ) : null}
      </span>
      <span className="log-latency" title={row.waited ? `waited ${formatLatency(row.waited.ms)} of ${formatSeconds(row.waited.deadlineMs)}` : undefined}>
        {formatLatency(row.latencyMs)}
      </span>
      <div className="log-text">
        {row.lines.map((line, i) => (
          <div className="log-line" key={i}>
            <EscapedText text={line} />
          </div>
        ))}
        {hasExplainLine(row) ? (
          <div className="log-explain">
            {row.explanation ? <EscapedText text={row.explanation} /> : null}
            {row.enhanced && showsEnhancedWords(row) ? (
              <span className="log-enhanced">
                <span className="mono">{row.enhanced}</span> {enhancedWords(row.enhanced)}
              </span>
            ) : null}
          </div>
        ) : null}
        {row.body ? (
          <div className="log-body">
            {/* Not a button: an option may hold no interactive control (ARIA 1.2 listbox, axe nested-interactive).
                Keyboard users toggle the active row with Enter or Space; the hidden text tells them so. */}
            <span className="log-body-toggle" aria-hidden="true" onMouseDown={(e) => e.stopPropagation()} onClick={() => onToggle(row.index)}>
              {expanded ? 'Hide the body' : 'Show the body'}
            </span>
            <span className="visually-hidden">{expanded ? ', body shown (Enter hides it)' : ', body hidden (Enter shows it)'}</span>
            {expanded ? (
              <div className="log-body-text">
                {row.body.previewLines.map((line, i) => (
                  <div key={i} className="log-line">
                    <EscapedText text={line} />
                  </div>
                ))}
                {row.body.truncated ? <div className="muted">… preview truncated</div> : null}
              </div>
            ) : null}
          </div>
        ) : null}
      </div>
    </div>
  );
});

/**
 * The wait in progress, as the log's last line: what is awaited and by when (the engine's words), and the
 * time waited so far, ticking. In a past session it says the record ends there. Not an option of the listbox: the outcome
 * banner already tells assistive technology that the session waits.
 */
export function PendingWaitRow({ wait, clockBase, start, height }: { wait: WaitState; clockBase: number | undefined; start: number; height: number }) {
  const live = clockBase !== undefined;
  const waited = waitedMs(wait, clockBase, useNow(200, live));
  return (
    <div className="log-row dir-info log-wait" aria-hidden="true" style={{ transform: `translateY(${start}px)`, height }}>
      <span className="log-time">{formatOffset(wait.since)}</span>
      <span className="log-dir log-dir-info">{DIRECTION_TAG.info.tag}</span>
      <span className="log-code">{live ? <span className="spinner" /> : null}</span>
      <span className="log-latency" />
      <div className="log-text">
        <div className="log-line">
          Waiting: <EscapedText text={wait.what} />{' '}
          <span className="log-wait-time num">{live ? `${formatSeconds(waited)} so far` : 'the record ends here'}</span>
        </div>
      </div>
    </div>
  );
}
