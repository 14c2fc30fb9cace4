import { formatDuration } from '../../shared/analyse/mail-date';
import type { BounceStage, HopTls } from '../../shared/analyse/types';
import { ANALYSE_LIMITS } from '../../shared/analyse/types';
import type { BadgeTone } from '../components/badge-tone';

/** Pure view helpers for the Analyse panel: tones, labels, and the input cut before it is sent. */

export function resultTone(result: string): BadgeTone {
  if (result === 'pass') return 'ok';
  if (result === 'fail' || result === 'permerror') return 'error';
  if (result === 'none') return 'neutral';
  return 'warn';
}

export function tlsLabel(tls: HopTls): { tone: BadgeTone; text: string } {
  switch (tls.state) {
    case 'tls':
      return { tone: 'ok', text: tls.version ? `TLS ${tls.version.replace(/^TLSv?|_/g, (m) => (m === '_' ? '.' : ''))}` : 'TLS' };
    case 'plain':
      return { tone: 'warn', text: 'no TLS named' };
    case 'local':
      return { tone: 'neutral', text: 'local' };
    default:
      return { tone: 'neutral', text: 'not stated' };
  }
}

export function delayText(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return ms >= 0 ? `+${formatDuration(ms)}` : formatDuration(ms);
}

/** `2026-12-07T10:00:11.000Z` → `2026-12-07 10:00:11 UTC`. */
export function timeText(iso: string | undefined, fallback: string | undefined): string {
  if (!iso) return fallback ?? 'no date';
  return iso.replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
}

export const STAGE_LABELS: Record<BounceStage, string> = {
  dns: 'DNS lookup',
  connect: 'connection',
  greeting: 'greeting',
  helo: 'EHLO/HELO',
  mail: 'MAIL FROM',
  rcpt: 'RCPT TO',
  data: 'DATA',
  'after-data': 'end of DATA',
  local: 'local delivery',
  unknown: 'not named',
};

/** A paste longer than this is kept out of the text box (a 50 MB value would freeze it) and summarised. */
export const SHOW_IN_BOX_CHARS = 512 * 1024;

/**
 * Web mode carries a request as one JSON WebSocket message of at most 32 MiB (electron/web/web-server.ts); text
 * full of control characters grows sixfold in JSON (`\u0000`), so the encoded size is kept under this.
 */
export const MAX_WIRE_CHARS = 28 * 1024 * 1024;

/** Cuts the input to what the analyser accepts (and what fits one message to the host), and says how long it was. */
export function cutForAnalysis(text: string, maxWire: number = MAX_WIRE_CHARS): { text: string; originalChars?: number } {
  let out = text.length > ANALYSE_LIMITS.maxInputChars ? text.slice(0, ANALYSE_LIMITS.maxInputChars) : text;
  for (let wire = JSON.stringify(out).length; wire > maxWire; wire = JSON.stringify(out).length) {
    out = out.slice(0, Math.floor(out.length * (maxWire / wire) * 0.95));
  }
  return out.length < text.length ? { text: out, originalChars: text.length } : { text };
}

export function sizeText(chars: number): string {
  if (chars < 1024) return `${chars} characters`;
  if (chars < 1024 * 1024) return `${Math.round(chars / 1024)} KiB`;
  return `${Math.round((chars / (1024 * 1024)) * 10) / 10} MiB`;
}
