import type { RefObject } from 'react';

/**
 * The inline "Delete …? This cannot be undone." strip of a History entry. Escape and "Keep it" close it and
 * give focus back to the Delete button that opened it.
 */
export function DeleteConfirm({ id, question, keepRef, deleteRef, onConfirm, onClose }: { id: string; question: string; keepRef: RefObject<HTMLButtonElement | null>; deleteRef: RefObject<HTMLButtonElement | null>; onConfirm: () => void; onClose: () => void }) {
  return (
    <div
      className="confirm-strip"
      role="alertdialog"
      aria-modal="false"
      aria-labelledby={`history-confirm-${id}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
          deleteRef.current?.focus();
        }
      }}
    >
      <span id={`history-confirm-${id}`}>{question}</span>
      <button type="button" className="button-danger-solid" onClick={onConfirm}>
        Delete
      </button>
      <button
        ref={keepRef}
        type="button"
        onClick={() => {
          onClose();
          window.setTimeout(() => deleteRef.current?.focus(), 0);
        }}
      >
        Keep it
      </button>
    </div>
  );
}
