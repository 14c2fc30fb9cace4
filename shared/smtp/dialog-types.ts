/**
 * Types of the SMTP dialog state machine (shared/smtp/dialog.ts). Sans-IO: the machine receives inputs
 * (connected, a reply, TLS done, a deadline passed, the user's next command…) and returns actions for the
 * driver (send this flight, start TLS, stream the body, ask the user, finish) plus transcript events.
 */
import type { Outcome, SessionEventBody } from '../events';
import type { AuthMechanism, DsnOptions, Stage, StepCommand, Timeouts, TlsMode, XclientAttribute } from '../model';
import type { Result } from '../result';
import type { Capabilities } from './capabilities';
import type { WireCommand } from './commands';
import type { ReaderErrorCode, SmtpReply } from './reply-reader';

export type SaslMechanism = 'PLAIN' | 'LOGIN' | 'CRAM-MD5' | 'XOAUTH2' | 'OAUTHBEARER';

/** One SASL exchange (RFC 4954). Implemented on the Node side (CRAM-MD5 needs an HMAC). */
export interface AuthClient {
  readonly mechanism: SaslMechanism;
  /** The AUTH command, with the initial response when the mechanism has one (PLAIN). */
  start(): Result<WireCommand>;
  /** The answer to a 334 challenge. */
  respond(challenge: SmtpReply): Result<WireCommand>;
  /** How many 334 challenges this mechanism needs at most (LOGIN 2, CRAM-MD5 1, PLAIN 1). */
  readonly expectedChallenges: number;
  /** Text that must never reach the transcript, e.g. when a server echoes a credential back. */
  readonly secrets: readonly string[];
}

export interface MessageFacts {
  /** RFC 1870 size (CRLF-normalised octets). */
  sizeBytes: number;
  needs8bit: boolean;
  /** Non-ASCII local part in the envelope or UTF-8 in headers (RFC 6531). */
  needsSmtpUtf8: boolean;
  /** Why the message cannot be sent at all (it could not be read or composed): stop before MAIL, with QUIT. */
  unsendable?: string;
}

export interface DialogConfig {
  mode: 'auto' | 'step';
  breakpoints: readonly Stage[];
  quitAfter?: Stage;
  heloName: string;
  /** Envelope, already in wire form (A-label domains). */
  mailFrom: string;
  rcptTo: readonly string[];
  message: MessageFacts;
  tls: TlsMode;
  /** The connection is TLS from the first byte (port 465 style, RFC 8314). */
  implicitTls: boolean;
  auth?: { user: string; mechanism: AuthMechanism; createClient(mechanism: SaslMechanism): AuthClient };
  /** AUTH without TLS is allowed: the user opted in AND the peer is a loopback address. */
  plaintextAuthAllowed: boolean;
  /** User preferences; used only when the server offers the extension. */
  pipelining: boolean;
  chunking: boolean;
  /** Extra 334 challenges tolerated beyond what the mechanism needs. */
  extraAuthChallenges?: number;
  /** With PIPELINING and CHUNKING, a message up to this size goes in the same flight as MAIL/RCPT. */
  optimisticBdatMax?: number;
  /** LMTP (RFC 2033): LHLO, one reply per accepted recipient after the message. */
  lmtp?: boolean;
  /** RFC 3461 parameters; the dialog stops before MAIL when they are set and DSN is not offered. */
  dsn?: DsnOptions;
  /** RFC 8689: REQUIRETLS on MAIL; stops before MAIL when not offered over TLS. */
  requireTls?: boolean;
  /** Postfix XCLIENT attributes, sent once after EHLO; EHLO is sent again after its 220. */
  xclient?: ReadonlyArray<{ name: XclientAttribute; value: string }>;
}

export type ExpectVerb = 'GREETING' | 'EHLO' | 'HELO' | 'STARTTLS' | 'XCLIENT' | 'AUTH' | 'MAIL' | 'RCPT' | 'DATA' | 'DOT' | 'BDAT' | 'RSET' | 'QUIT' | 'OTHER';

/** A reply we are waiting for, in the order the commands were sent. */
export interface Expectation {
  id: number;
  verb: ExpectVerb;
  stage: Stage;
  deadline: keyof Timeouts;
  /** When the command was handed to the socket (ms since session start). */
  sentAt: number;
  /** Chunks received before the command was sent: a reply completed in one of them cannot answer it. */
  afterChunk: number;
  rcpt?: string;
  /** BDAT … LAST, or the DATA terminator: the message is in the server's hands. */
  final?: boolean;
  /** A lone dot closing a DATA phase whose transaction had already failed (RFC 2920 §3.1). */
  empty?: boolean;
}

export interface RecipientResult {
  rcpt: string;
  accepted: boolean;
  code: number;
  text: string;
}

export interface TransactionResult {
  outcome: Outcome;
  stage: Stage;
  reason: string;
  queueId?: string;
  dotSent: boolean;
  /** Move on to the next address / MX host (RFC 5321 §5.1: connect failure, 4xx greeting). */
  tryNext: boolean;
  timedOut: boolean;
  recipients: RecipientResult[];
  /** The deciding server reply, escaped and truncated. */
  reply?: string;
}

interface InputBase {
  /** ms since session start. */
  at: number;
  /** Number of data chunks received so far on this connection. */
  chunkNo: number;
}

export type DialogInput = InputBase &
  (
    | { type: 'connected'; secure: boolean }
    | { type: 'reply'; reply: SmtpReply; firstByteAt: number }
    | { type: 'reader-error'; code: ReaderErrorCode; message: string; raw: string }
    | { type: 'protocol-error'; message: string }
    | { type: 'tls-done' }
    | { type: 'tls-failed'; reason: string; timedOut?: boolean }
    | { type: 'body-sent'; bytes: number; lines: number; preview: string; truncated: boolean }
    | { type: 'body-failed'; reason: string; timedOut: boolean }
    | { type: 'timeout'; expectationId: number; deadline: keyof Timeouts; reason: string }
    | { type: 'closed'; error?: string }
    | { type: 'user'; command: StepCommand }
    | { type: 'cancel' }
  );

export type DialogAction =
  | { type: 'send'; commands: WireCommand[]; pipelined: boolean }
  | { type: 'start-tls' }
  /** Stream the message: DATA (after 354, dot-stuffed + terminator) or BDAT (the command, then the bytes). */
  | { type: 'send-body'; method: 'DATA' | 'BDAT'; bdat?: WireCommand }
  | { type: 'prompt'; suggestion?: string; waitingFor: 'command' | 'data-body' }
  | { type: 'finish'; result: TransactionResult };

export interface Failure {
  stage: Stage;
  reason: string;
  reply?: string;
  timedOut?: boolean;
  /** The transaction is over without the dot having been answered (or the dot was never sent). */
}

export interface DialogState {
  config: DialogConfig;
  mode: 'auto' | 'step';
  queue: Expectation[];
  nextId: number;
  stage: Stage;
  greeted: boolean;
  secure: boolean;
  /** STARTTLS got its 220: the driver is doing the handshake; nothing may be sent meanwhile. */
  tlsPending: boolean;
  /** Capabilities of the current EHLO; undefined before it and again after STARTTLS (RFC 3207 §4.2). */
  caps?: Capabilities;
  esmtp: boolean;
  heloDone: boolean;
  ehloRefused: boolean;
  starttlsRefused: boolean;
  /** XCLIENT was answered with 220 (sent once per connection). */
  xclientDone?: boolean;
  warnedPlaintext: boolean;
  authClient?: AuthClient;
  authChallenges: number;
  authCancelled: boolean;
  authenticated: boolean;
  secrets: string[];
  /** Transaction. */
  mailSent: boolean;
  mailAccepted: boolean;
  rcptNext: number;
  recipients: RecipientResult[];
  dataSent: boolean;
  /** 354 received, the body has not been sent yet. */
  awaitingBody: boolean;
  dotSent: boolean;
  delivered: boolean;
  queueId?: string;
  deliveredReply?: string;
  failure?: Failure;
  quitAfterHit: boolean;
  quitSent: boolean;
  breaksHit: Stage[];
  /** Step mode: the command the user would send by accepting the suggestion unchanged. */
  suggestion?: { display: string; command?: WireCommand; body?: 'DATA' | 'BDAT'; authClient?: AuthClient; rcpt?: string };
  /** The last reply was a 334 to AUTH: a typed line is a credential and is redacted. */
  inSasl: boolean;
  finished?: TransactionResult;
}

export interface StepResult {
  state: DialogState;
  actions: DialogAction[];
  events: SessionEventBody[];
}
