import { useEffect, useRef } from 'react';
import type { HandoffNote, SendForms, SendHandoff } from './run-again';
import { formsFromRequest } from './run-again';
import type { TargetState } from '../target/target-state';

/**
 * The Send panel's side of "Run again": each new hand-over (a new `id`) is turned into the forms once and
 * given to `apply`. The current target is the base, so settings the request does not carry (e.g. the
 * default HELO name) stay as they are.
 */
export function useSendHandoff(handoff: SendHandoff | undefined, currentTarget: TargetState, apply: (forms: SendForms, note: HandoffNote) => void): void {
  const seen = useRef<number | undefined>(undefined);
  const latest = useRef({ currentTarget, apply });
  latest.current = { currentTarget, apply };
  useEffect(() => {
    if (!handoff || handoff.id === seen.current) return;
    seen.current = handoff.id;
    latest.current.apply(formsFromRequest(handoff.request, latest.current.currentTarget), handoff.note);
  }, [handoff]);
}
