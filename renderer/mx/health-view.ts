// Pure view helpers for the MX health matrix: tones, icons and words per verdict (never colour alone).
import type { CellVerdict, DomainVerdictKind, EgressKind } from '../../shared/probe/types';
import type { BadgeTone } from '../components/badge-tone';

export const CELL_ICON: Record<CellVerdict, string> = { pass: '✓', warn: '!', fail: '✕', skip: '–' };
export const CELL_WORD: Record<CellVerdict, string> = { pass: 'Pass', warn: 'Warning', fail: 'Fail', skip: 'Not checked' };

export function domainTone(v: DomainVerdictKind): BadgeTone {
  switch (v) {
    case 'deliverable':
      return 'ok';
    case 'degraded':
      return 'warn';
    case 'cancelled':
      return 'neutral';
    default:
      return 'error';
  }
}

export function domainHeadline(v: DomainVerdictKind): string {
  switch (v) {
    case 'deliverable':
      return 'Deliverable from here';
    case 'degraded':
      return 'Deliverable from here, with problems';
    case 'undeliverable':
      return 'Not deliverable from here';
    case 'no_mail':
      return 'This domain takes no mail';
    case 'dns_failure':
      return 'DNS failed: try again';
    case 'cancelled':
      return 'Check cancelled';
  }
}

export function egressTone(k: EgressKind): BadgeTone {
  return k === 'ok' ? 'ok' : k === 'none' ? 'neutral' : k === 'no_ipv6' ? 'info' : k === 'mixed' ? 'warn' : 'error';
}

export function egressHeadline(k: EgressKind, port: number): string {
  switch (k) {
    case 'ok':
      return `Port ${port} is reachable from this machine`;
    case 'filtered':
      return `Port ${port} looks blocked on the way out (filtered)`;
    case 'refused':
      return `Port ${port} connections are refused`;
    case 'intercepted':
      return `Port ${port} is intercepted: someone else answers`;
    case 'no_ipv6':
      return 'No IPv6 from this machine';
    case 'mixed':
      return `Port ${port} does not work from here`;
    case 'none':
      return 'Nothing was probed';
  }
}

/** Grid keyboard moves (WAI-ARIA grid pattern): arrows, Home/End in a row, Ctrl+Home/End for the grid. */
export function moveFocus(key: string, ctrl: boolean, at: { row: number; col: number }, rows: number, cols: number): { row: number; col: number } | undefined {
  const clamp = (v: number, max: number): number => Math.max(0, Math.min(max - 1, v));
  switch (key) {
    case 'ArrowRight':
      return { row: at.row, col: clamp(at.col + 1, cols) };
    case 'ArrowLeft':
      return { row: at.row, col: clamp(at.col - 1, cols) };
    case 'ArrowDown':
      return { row: clamp(at.row + 1, rows), col: at.col };
    case 'ArrowUp':
      return { row: clamp(at.row - 1, rows), col: at.col };
    case 'Home':
      return ctrl ? { row: 0, col: 0 } : { row: at.row, col: 0 };
    case 'End':
      return ctrl ? { row: rows - 1, col: cols - 1 } : { row: at.row, col: cols - 1 };
    default:
      return undefined;
  }
}
