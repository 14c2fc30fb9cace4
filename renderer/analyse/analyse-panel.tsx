import { useId, useRef, useState } from 'react';
import type { ClipboardEvent, DragEvent, FormEvent } from 'react';
import type { MessageAnalysis } from '../../shared/analyse/types';
import { ANALYSE_LIMITS } from '../../shared/analyse/types';
import type { AppError } from '../../shared/result';
import { useApi } from '../api-context';
import { Banner } from '../components/banner';
import { ElapsedProgress } from '../components/progress';
import { useSettings } from '../settings/settings-context';
import { cutForAnalysis, SHOW_IN_BOX_CHARS, sizeText } from './analyse-view';
import { AnalysisView } from './analysis-view';

type State =
  | { phase: 'idle' }
  | { phase: 'running'; startedAt: number }
  | { phase: 'done'; analysis: MessageAnalysis }
  | { phase: 'failed'; error: AppError };

/** Text too large for the box (a 50 MB paste): kept aside, summarised, cut before it is sent. */
interface LargeInput {
  text: string;
  /** The full size when a dropped file was read only in part. */
  originalChars?: number;
  from: string;
}

/**
 * The message analyser: paste or drop a message, its headers or a bounce. The analysis runs in the main
 * process (analyzeMessage); this panel only sends the text and shows the answer.
 */
export function AnalysePanel() {
  const api = useApi();
  const resolver = useSettings().settings.defaultResolver.trim();
  const [text, setText] = useState('');
  const [large, setLarge] = useState<LargeInput | undefined>();
  const [state, setState] = useState<State>({ phase: 'idle' });
  const [dragging, setDragging] = useState(false);
  const run = useRef(0);
  const boxId = useId();
  const hintId = useId();
  const fileId = useId();

  async function analyse(input: string, originalChars?: number): Promise<void> {
    if (input.trim() === '') return;
    const id = ++run.current;
    setState({ phase: 'running', startedAt: performance.now() });
    const cut = cutForAnalysis(input);
    const r = await api.analyzeMessage({
      text: cut.text,
      originalChars: originalChars ?? cut.originalChars,
      ...(resolver ? { resolver } : {}),
    });
    if (id !== run.current) return;
    setState(r.ok ? { phase: 'done', analysis: r.value } : { phase: 'failed', error: r.error });
  }

  function take(input: string, from: string, originalChars?: number): void {
    if (input.length > SHOW_IN_BOX_CHARS) {
      setLarge({ text: input, originalChars, from });
      setText('');
    } else {
      setLarge(undefined);
      setText(input);
    }
    void analyse(input, originalChars);
  }

  function onPaste(e: ClipboardEvent<HTMLTextAreaElement>): void {
    const pasted = e.clipboardData.getData('text/plain');
    // A huge paste never enters the box: React would re-render megabytes on every keystroke.
    if (pasted.length > SHOW_IN_BOX_CHARS) {
      e.preventDefault();
      take(pasted, 'pasted');
    }
  }

  async function readFile(file: File): Promise<void> {
    const max = ANALYSE_LIMITS.maxInputChars;
    const content = await file.slice(0, max).text();
    take(content, file.name, file.size > max ? file.size : undefined);
  }

  function onDrop(e: DragEvent<HTMLDivElement>): void {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void readFile(file);
    else take(e.dataTransfer.getData('text/plain'), 'dropped');
  }

  function onSubmit(e: FormEvent): void {
    e.preventDefault();
    if (large) void analyse(large.text, large.originalChars);
    else void analyse(text);
  }

  function clear(): void {
    run.current++;
    setText('');
    setLarge(undefined);
    setState({ phase: 'idle' });
  }

  const running = state.phase === 'running';
  return (
    <div className="analyse-panel">
      <form className="analyse-form" onSubmit={onSubmit} aria-label="Analyse a message">
        <div
          className={`analyse-drop${dragging ? ' analyse-drop-active' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <label htmlFor={boxId} className="field-label">
            Message, headers or bounce
          </label>
          {large ? (
            <p className="analyse-large" data-large={large.text.length}>
              {large.from === 'pasted' ? 'Pasted' : large.from} text of {sizeText(large.originalChars ?? large.text.length)}: too large to show here.
              {(large.originalChars ?? large.text.length) > ANALYSE_LIMITS.maxInputChars ? ` Only the first ${sizeText(ANALYSE_LIMITS.maxInputChars)} are analysed.` : ''}
            </p>
          ) : null}
          <textarea
            id={boxId}
            className="mono analyse-input"
            aria-describedby={hintId}
            spellCheck={false}
            value={text}
            placeholder="Received: from …&#10;Authentication-Results: …&#10;From: …"
            onChange={(e) => {
              setLarge(undefined);
              setText(e.target.value);
            }}
            onPaste={onPaste}
          />
          <span id={hintId} className="field-hint">
            Paste a whole .eml, only its headers, or a bounce, or drop a file here. It is analysed on this computer (up to {sizeText(ANALYSE_LIMITS.maxInputChars)}); nothing is sent,
            except DNS questions for DKIM keys.
          </span>
        </div>
        <div className="analyse-actions">
          <button type="submit" className="button-primary" disabled={running || (text.trim() === '' && !large)}>
            Analyse
          </button>
          <label htmlFor={fileId} className="analyse-file-button">
            Open file…
          </label>
          <input
            id={fileId}
            type="file"
            className="visually-hidden"
            accept=".eml,.txt,message/rfc822,text/plain"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void readFile(file);
              e.target.value = '';
            }}
          />
          <button type="button" onClick={clear} disabled={running || (text === '' && !large && state.phase === 'idle')}>
            Clear
          </button>
        </div>
      </form>
      {/* Focusable so that keyboard users can scroll a long analysis (WCAG 2 §2.1.1). */}
      <div className="panel-body analyse-result" role="region" aria-label="Analysis" tabIndex={0} aria-busy={running}>
        <div role="status" aria-live="polite" className="verdict-region">
          {state.phase === 'running' ? (
            <div className="banner banner-running">
              <ElapsedProgress label="Analysing…" startedAt={state.startedAt} />
            </div>
          ) : null}
          {state.phase === 'failed' ? (
            <Banner tone="warn" headline="Could not analyse this">
              <p className="banner-detail">{state.error.message}</p>
            </Banner>
          ) : null}
        </div>
        {state.phase === 'done' ? <AnalysisView analysis={state.analysis} /> : null}
        {state.phase === 'idle' ? (
          <div className="empty-state">
            <p className="empty-title">Why was it refused, or put in spam?</p>
            <p>
              Paste the headers of a message that arrived, or the bounce that came back. MX Desk draws the hops it took with the delay and TLS at each one, explains the
              Authentication-Results and ARC headers, verifies the DKIM signatures again now, and reads the bounce: who refused, at which stage, and what to do.
            </p>
          </div>
        ) : null}
      </div>
    </div>
  );
}
