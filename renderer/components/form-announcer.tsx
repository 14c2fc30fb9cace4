import { useEffect, useRef, useState } from 'react';

/**
 * One polite live region for a whole form: when a field's error appears or changes, it is read out once,
 * after a short pause in typing ("To: …"), with the field's label. Errors that went away are not read.
 */
export function FormAnnouncer({ errors, labels }: { errors: Readonly<Record<string, string | undefined>>; labels: Readonly<Record<string, string>> }) {
  const [message, setMessage] = useState('');
  const previous = useRef<Readonly<Record<string, string | undefined>>>({});
  const pending = useRef<Map<string, string>>(new Map());
  useEffect(() => {
    for (const [k, v] of Object.entries(errors)) if (v && previous.current[k] !== v) pending.current.set(k, v);
    for (const k of pending.current.keys()) if (!errors[k]) pending.current.delete(k);
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
