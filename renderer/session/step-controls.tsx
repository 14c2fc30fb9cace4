import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { StepCommand } from '../../shared/model';
import type { StepPrompt } from './session-view';
import { stageWords } from './outcome-banner';

/**
 * Step mode, the telnet way with a safety net: the engine suggests the next command, the user may edit it
 * or type any other, insert NOOP/RSET/VRFY, send the message body, or let the rest run automatically.
 * The engine refuses CR/LF injection and warns about out-of-order commands; the page only relays.
 */
export function StepControls({
  prompt,
  vrfyArg,
  error,
  onStep,
}: {
  prompt: StepPrompt;
  vrfyArg: string;
  error?: string;
  onStep: (cmd: StepCommand) => Promise<void>;
}) {
  const [line, setLine] = useState(prompt.suggestion);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const bodyNext = prompt.waitingFor === 'data-body';

  // A new prompt brings a new suggestion, and the focus back to the command field.
  useEffect(() => {
    setLine(prompt.suggestion);
    setBusy(false);
    input.current?.focus();
  }, [prompt.seq, prompt.suggestion]);

  async function run(cmd: StepCommand) {
    setBusy(true);
    try {
      await onStep(cmd);
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (bodyNext && line === prompt.suggestion) void run({ kind: 'data-body' });
    else void run({ kind: 'send', line });
  }

  function insert(text: string) {
    setLine(text);
    input.current?.focus();
  }

  return (
    <form className="callout callout-info step-controls" onSubmit={submit} aria-label="Step mode">
      <p className="step-context">
        <span className="badge badge-info">step</span> Next: <strong>{stageWords(prompt.stage)}</strong>
        <span className="muted"> · {bodyNext ? 'the message body goes next, through the same encoder' : 'waiting for your command'}</span>
      </p>
      <div className="step-row">
        <label className="visually-hidden" htmlFor="step-command">
          Next command
        </label>
        <input
          id="step-command"
          ref={input}
          type="text"
          className="mono step-input"
          value={line}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={Boolean(error)}
          aria-describedby={error ? 'step-error' : 'step-hint'}
          onChange={(e) => setLine(e.target.value)}
        />
        <button type="submit" className="button-primary" disabled={busy}>
          {bodyNext && line === prompt.suggestion ? 'Send the body' : 'Send'}
        </button>
      </div>
      {error ? (
        <p id="step-error" className="field-error">
          {error}
        </p>
      ) : (
        <p id="step-hint" className="field-hint">
          Edit the command freely; Enter sends it. CR and LF can’t be smuggled in.
        </p>
      )}
      <div className="step-actions" role="group" aria-label="Other commands">
        <button type="button" disabled={busy} onClick={() => void run({ kind: 'send', line: 'NOOP' })}>
          NOOP
        </button>
        <button type="button" disabled={busy} onClick={() => void run({ kind: 'send', line: 'RSET' })}>
          RSET
        </button>
        <button type="button" disabled={busy} onClick={() => insert(`VRFY ${vrfyArg}`)}>
          VRFY…
        </button>
        <button type="button" disabled={busy} onClick={() => insert('')}>
          Raw…
        </button>
        <button type="button" disabled={busy} onClick={() => void run({ kind: 'data-body' })}>
          Send the body
        </button>
        <button type="button" disabled={busy} onClick={() => void run({ kind: 'run-to-end' })}>
          Run to end
        </button>
      </div>
    </form>
  );
}
