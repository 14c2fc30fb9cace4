// MX Desk as a benchmark client: one session through the same session manager the app and the CLI use.
import type { SessionEvent } from '../shared/events';
import type { SessionRequest } from '../shared/model';
import { emptyDraft } from '../shared/model';
import { recordSessions } from '../test/support/session-recorder';
import type { OutcomeEvent } from './peers';

/** One MX Desk session through the same session manager the app and the CLI use. */
export async function runMxDesk(req: SessionRequest): Promise<{ outcome: OutcomeEvent; events: SessionEvent[] }> {
  const { manager, events, outcome } = recordSessions();
  const started = manager.start(req);
  if (!started.ok) throw new Error(`MX Desk refused the request: ${started.error.field ?? ''} ${started.error.message}`);
  return { outcome: await outcome, events };
}

export function mxDeskRequest(opts: { port: number; to: string[]; tls: boolean; chunking: boolean; text?: string; raw?: string }): SessionRequest {
  return {
    draft: {
      ...emptyDraft(),
      from: 'sender@example.test',
      to: opts.to.join(', '),
      subject: 'round trips',
      text: opts.text ?? 'Hello from the benchmark.\n',
      mailFrom: 'sender@example.test',
      rcptTo: opts.to,
      rawMode: opts.raw !== undefined,
      raw: opts.raw ?? '',
    },
    target: { kind: 'host', host: '127.0.0.1', port: opts.port },
    tls: opts.tls ? 'starttls' : 'none',
    certPolicy: 'override-once',
    heloName: 'bench.example.test',
    pipelining: true,
    chunking: opts.chunking,
    mode: 'auto',
  };
}

