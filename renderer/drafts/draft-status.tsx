import { draftStatusText } from './draft-status-text';
import type { DraftSaveState } from './use-draft-autosave';

/**
 * "Draft saved 14:03:12" next to the form. Not a live region: it changes with every pause in typing and
 * would talk over the user. A failure is the exception and is announced.
 */
export function DraftStatus({ state }: { state: DraftSaveState }) {
  const error = state.status === 'error';
  return (
    <span className={`draft-status draft-${state.status}`} role={error ? 'alert' : undefined} data-testid="draft-status" title={state.recovery?.message}>
      <span className="draft-dot" aria-hidden="true" />
      {draftStatusText(state)}
      {state.recovery ? <span className="draft-recovery"> · {state.recovery.message}</span> : null}
    </span>
  );
}
