import { useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import { validateMxLookupFields } from '../../shared/validate/mx-request';
import { Field } from '../components/field';
import { FormAnnouncer } from '../components/form-announcer';

export type ResolverMode = 'system' | 'custom';

const FIELD_LABELS = { query: 'Domain or e-mail address', resolver: 'Resolver address' };

export interface LookupFormErrors {
  query?: string;
  resolver?: string;
}

export interface LookupFormProps {
  running: boolean;
  /** The Settings' default resolver, used when no custom one is chosen; empty: the system's. */
  defaultResolver: string;
  /** Errors from the host's validators (same rules main applies), keyed by field. */
  errors: LookupFormErrors;
  onLookup: (query: string, resolver: string | undefined) => void;
  onCancel: () => void;
}

// The same field rules main applies to the request (shared/validate/mx-request.ts), checked before sending.
export function checkLookupForm(query: string, mode: ResolverMode, custom: string): LookupFormErrors {
  const found = validateMxLookupFields({ query, resolver: mode === 'custom' ? custom : undefined });
  const errors: LookupFormErrors = {};
  if (found.query) errors.query = found.query;
  if (found.resolver) errors.resolver = found.resolver;
  // Shared rules treat an empty resolver as "system default"; with Custom chosen it is a mistake.
  if (mode === 'custom' && custom.trim() === '') errors.resolver = 'Type the resolver address, such as 127.0.0.1:5353, or choose System default.';
  return errors;
}

export function LookupForm({ running, defaultResolver, errors, onLookup, onCancel }: LookupFormProps) {
  const [query, setQuery] = useState('');
  const [mode, setMode] = useState<ResolverMode>('system');
  const [custom, setCustom] = useState('');
  const [local, setLocal] = useState<LookupFormErrors>({});

  const shown: LookupFormErrors = { query: local.query ?? errors.query, resolver: local.resolver ?? errors.resolver };

  function submit(e: FormEvent) {
    e.preventDefault();
    const found = checkLookupForm(query, mode, custom);
    setLocal(found);
    if (found.query || found.resolver) return;
    onLookup(query.trim(), mode === 'custom' ? custom.trim() : undefined);
  }

  function onKeyDown(e: KeyboardEvent) {
    // Escape cancels a running lookup from anywhere in the form, like Ctrl+C in a terminal.
    if (e.key === 'Escape' && running) {
      e.preventDefault();
      onCancel();
    }
  }

  return (
    <form className="toolbar lookup-form" role="search" aria-label="MX lookup" onSubmit={submit} onKeyDown={onKeyDown} noValidate>
      <Field label="Domain or e-mail address" error={shown.query} className="field-grow">
        {(p) => (
          <input
            {...p}
            type="text"
            name="query"
            inputMode="email"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            placeholder="example.com or user@example.com"
            value={query}
            autoFocus
            onChange={(e) => {
              setQuery(e.target.value);
              if (local.query) setLocal({ ...local, query: undefined });
            }}
          />
        )}
      </Field>
      <div className="toolbar-actions">
        <button type="submit" className="button-primary">
          Look up
        </button>
        <button type="button" onClick={onCancel} disabled={!running} aria-keyshortcuts="Escape">
          Cancel
        </button>
      </div>
      <fieldset className="resolver-choice">
        <legend className="field-label">Resolver</legend>
        <div className="resolver-row">
          <label className="radio">
            <input type="radio" name="resolver-mode" value="system" checked={mode === 'system'} onChange={() => setMode('system')} />
            {defaultResolver ? (
              <span>
                Default <span className="mono">{defaultResolver}</span> <span className="muted">(Settings)</span>
              </span>
            ) : (
              'System default'
            )}
          </label>
          <label className="radio">
            <input type="radio" name="resolver-mode" value="custom" checked={mode === 'custom'} onChange={() => setMode('custom')} />
            Custom
          </label>
          <Field label="Resolver address (host[:port])" error={shown.resolver} className="field-resolver field-inline">
            {(p) => (
              <input
                {...p}
                type="text"
                name="resolver"
                autoComplete="off"
                spellCheck={false}
                placeholder="127.0.0.1:53"
                value={custom}
                disabled={mode !== 'custom'}
                onChange={(e) => {
                  setCustom(e.target.value);
                  if (local.resolver) setLocal({ ...local, resolver: undefined });
                }}
              />
            )}
          </Field>
        </div>
      </fieldset>
      <FormAnnouncer errors={{ ...shown }} labels={FIELD_LABELS} />
    </form>
  );
}
