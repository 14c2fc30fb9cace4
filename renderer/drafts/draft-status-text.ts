import { formatClock } from '../history/history-format';
import type { StoreRecovery } from '../../shared/store-model';

export interface DraftSaveState {
  status: 'loading' | 'empty' | 'unsaved' | 'saving' | 'saved' | 'error' | 'unavailable';
  /** ISO time of the last save the store confirmed (or of the draft loaded at start). */
  savedAt?: string;
  message?: string;
  /** Set when the stored draft was unreadable and an older copy (or nothing) was used. */
  recovery?: StoreRecovery;
}

/** Words for the indicator; pure so the wording is tested. */
export function draftStatusText(s: DraftSaveState): string {
  switch (s.status) {
    case 'loading':
      return 'Reading the saved draft…';
    case 'empty':
      return 'Drafts save as you type';
    case 'saving':
      return s.savedAt ? `Saving draft… (last saved ${formatClock(s.savedAt)})` : 'Saving draft…';
    case 'saved':
      return s.savedAt ? `Draft saved ${formatClock(s.savedAt)}` : 'Draft saved';
    case 'unsaved':
      return s.savedAt ? `Draft saved ${formatClock(s.savedAt)}, newer edits pending` : 'Draft not saved yet';
    case 'unavailable':
      return 'Drafts are not saved in this build';
    case 'error':
      return `Draft not saved: ${s.message ?? 'unknown error'}`;
  }
}
