import { useEffect, useId, useRef, useState } from 'react';
import type { ReactNode } from 'react';

export interface ControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

/**
 * A label, the control and, next to it, the error in plain words. The error is tied to the control with
 * aria-invalid and aria-describedby; it is announced by the form's one polite live region (FormAnnouncer)
 * rather than as an alert, so typing is not interrupted on every keystroke.
 */
export function FormField({
  label,
  hint,
  error,
  className,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : '', hint ? hintId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {error ? (
        <span id={errorId} className="field-error">
          {error}
        </span>
      ) : null}
      {hint ? (
        <span id={hintId} className="field-hint">
          {hint}
        </span>
      ) : null}
    </div>
  );
}

/**
 * One polite live region for the whole form: when a field's error appears or changes, it is read out once,
 * after a short pause in typing ("To: …").
 */
export function FormAnnouncer({ errors, labels }: { errors: Record<string, string>; labels: Record<string, string> }) {
  const [message, setMessage] = useState('');
  const previous = useRef<Record<string, string>>({});
  const pending = useRef<Map<string, string>>(new Map());
  useEffect(() => {
    for (const [k, v] of Object.entries(errors)) if (previous.current[k] !== v) pending.current.set(k, v);
    for (const k of pending.current.keys()) if (!(k in errors)) pending.current.delete(k);
    previous.current = errors;
    if (pending.current.size === 0) return;
    const timer = window.setTimeout(() => {
      setMessage([...pending.current].map(([k, v]) => `${labels[k] ?? k}: ${v}`).join('. '));
      pending.current.clear();
    }, 700);
    return () => window.clearTimeout(timer);
  }, [errors, labels]);
  return (
    <div className="visually-hidden" role="status" aria-live="polite" data-testid="form-announcer">
      {message}
    </div>
  );
}
