import type { ReactNode } from 'react';
import { Banner } from '../components/banner';
import type { BadgeTone } from '../components/badge-tone';
import { EscapedText } from '../components/escaped-text';
import type { SessionView } from './session-view';
import { formatSeconds } from './log-rows';
import { WaitIndicator } from './wait-indicator';

const STAGE_WORDS: Record<string, string> = {
  dns: 'the DNS lookup',
  connect: 'connecting',
  greeting: 'the greeting',
  ehlo: 'EHLO',
  starttls: 'STARTTLS',
  tls: 'the TLS handshake',
  auth: 'AUTH',
  mail: 'MAIL FROM',
  rcpt: 'RCPT TO',
  data: 'DATA',
  body: 'the message body',
  quit: 'QUIT',
};

export function stageWords(stage: string): string {
  return STAGE_WORDS[stage] ?? stage;
}

/** A session's banner, live or past: tests and styles find it by `.outcome-banner` and its `data-tone`. */
export function SessionBanner({ tone, icon, headline, children }: { tone: BadgeTone; icon: string; headline: ReactNode; children?: ReactNode }) {
  return (
    <Banner tone={tone} icon={icon} headline={headline} className="outcome-banner" data={{ 'data-tone': tone }}>
      {children}
    </Banner>
  );
}

/**
 * The session's one final word (delivered, not delivered, unknown, cancelled), or what it is doing now.
 * The region is polite-live: a screen reader hears the outcome once, when it arrives.
 */
export function OutcomeBanner({ view, clockBase }: { view: SessionView; clockBase: number | undefined }) {
  const o = view.outcome;
  const accepted = view.recipients.filter((r) => r.accepted).length;
  const refused = view.recipients.length - accepted;
  let body: ReactNode;
  if (!o) {
    body = (
      <SessionBanner tone="info" icon="…" headline={view.prompt ? 'Step mode: your move' : 'Sending…'}>
        {view.wait ? <WaitIndicator wait={view.wait} clockBase={clockBase} /> : <p className="banner-detail muted">{view.target ? `to ${view.target}` : 'starting'}</p>}
      </SessionBanner>
    );
  } else if (o.outcome === 'delivered') {
    body = (
      // Some recipients refused: still delivered, but not to everyone, so not the all-clear green.
      <SessionBanner
        tone={refused > 0 ? 'warn' : 'ok'}
        icon={refused > 0 ? '!' : '✓'}
        headline={
          <>
            {refused > 0 ? `Delivered to ${accepted} of ${accepted + refused} recipients` : 'Delivered'}
            {o.queueId ? (
              <>
                , queue id <span className="mono">{o.queueId}</span>
              </>
            ) : null}
          </>
        }
      >
        <p className="banner-detail">
          {accepted > 0 ? `${accepted} recipient${accepted === 1 ? '' : 's'} accepted` : 'Accepted'}
          {refused > 0 ? `, ${refused} refused` : ''} in {formatSeconds(o.durationMs)}. <EscapedText text={o.reason} />
        </p>
      </SessionBanner>
    );
  } else if (o.outcome === 'not_delivered') {
    body = (
      <SessionBanner tone="error" icon="✕" headline={`Not delivered: stopped at ${stageWords(o.stage)}`}>
        <p className="banner-detail">
          <EscapedText text={o.reason} />
        </p>
        <p className="banner-reference">The message was not accepted{o.dotSent ? '' : '; the body was never sent'}.</p>
      </SessionBanner>
    );
  } else if (o.outcome === 'unknown') {
    body = (
      <SessionBanner tone="warn" icon="?" headline="Outcome unknown: the server may have accepted the message">
        <p className="banner-detail">
          <EscapedText text={o.reason} />
        </p>
        <p className="banner-reference">
          <strong>Don’t resend blindly.</strong> The final dot was sent but no final reply arrived. Check the recipient’s mailbox or the
          server’s log first, or the message may arrive twice (RFC 5321 §4.5.3.2).
        </p>
      </SessionBanner>
    );
  } else {
    body = (
      <SessionBanner tone="neutral" icon="■" headline={`Cancelled during ${stageWords(o.stage)}`}>
        <p className="banner-detail">
          <EscapedText text={o.reason} />
        </p>
        <p className="banner-reference">{o.dotSent ? 'The body had been sent: the message may have been delivered.' : 'Nothing was delivered.'}</p>
      </SessionBanner>
    );
  }
  return (
    <div className="outcome-region" role="status" aria-live="polite">
      {body}
    </div>
  );
}
