// One SMTP connection, driven: bytes from the socket go through the ReplyReader into the dialog state
// machine; its actions are carried out here (write a flight, upgrade to TLS, stream the body, ask the user,
// finish). Inputs are processed strictly one at a time, in arrival order. Every reply awaited has an
// absolute deadline; cancel ends everything at once; the socket is always closed at the end.
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { SessionEventBody } from '../../shared/events';
import type { CertPolicy, StepCommand, Timeouts } from '../../shared/model';
import { createDialog, step } from '../../shared/smtp/dialog';
import type { DialogAction, DialogConfig, DialogInput, DialogState, MessageFacts, TransactionResult } from '../../shared/smtp/dialog-types';
import { ReplyReader, type ReaderLimits } from '../../shared/smtp/reply-reader';
import type { WireCommand } from '../../shared/smtp/commands';
import { BodySizeMismatchError, writeBody } from './body-writer';
import { describeSocketError } from './connector';
import { AbortedError, DeadlineError, ReplyDeadline, describeDeadline, withDeadline } from './deadline';
import type { MessageSource } from './message';
import { upgradeToTls, type TlsAuthenticate, type TlsUpgradeResult } from './tls-upgrade';
import type { TlsClientMaterial } from './transport/tls-client';

type InputBody = DialogInput extends infer I ? (I extends DialogInput ? Omit<I, 'at' | 'chunkNo'> : never) : never;

export interface ConversationOptions {
  socket: Socket;
  /** The connection is already TLS (implicit TLS). */
  secure: boolean;
  /** Host name for SNI and certificate checks. */
  hostname: string;
  port: number;
  config: DialogConfig;
  message: MessageSource;
  timeouts: Timeouts;
  certPolicy: CertPolicy;
  ca?: string[];
  /** --tls-name, --tls-ca, client certificate, versions, ciphers. */
  tlsClient?: TlsClientMaterial;
  /** The TLS policy's certificate decision (tlsPolicy 'mta'), instead of the PKIX check. */
  authenticate?: TlsAuthenticate;
  emit: (e: SessionEventBody) => void;
  clock: () => number;
  signal: AbortSignal;
  nextStep?: (signal: AbortSignal) => Promise<StepCommand>;
  readerLimits?: Partial<ReaderLimits>;
  /**
   * The message facts while the message is still being measured (`config.message` is then a stand-in).
   * The dialog gets them before any input that follows the greeting, so before it can plan MAIL FROM with
   * SIZE and BODY (RFC 1870, RFC 6152): measuring overlaps connect, greeting and EHLO. A message that could
   * not be measured comes as `unsendable`, and the dialog stops before MAIL.
   */
  messageFacts?: Promise<MessageFacts>;
}

/** TLS events for a finished upgrade attempt (shared by STARTTLS here and implicit TLS in run-session). */
export function tlsEvent(res: TlsUpgradeResult, mode: 'starttls' | 'implicit', servername: string, ms: number): SessionEventBody {
  if (res.ok) {
    const i = res.info;
    return { kind: 'tls', phase: 'done', mode, servername, protocol: i.protocol, cipher: i.cipher, cert: i.cert, verified: i.verified, verifyError: i.verifyError, overridden: i.overridden, ms };
  }
  return { kind: 'tls', phase: 'failed', mode, servername, cert: res.info?.cert, verified: false, verifyError: res.message, ms };
}

export function converse(opts: ConversationOptions): Promise<TransactionResult> {
  return new Conversation(opts).run();
}

class Conversation {
  private state: DialogState;
  private socket: Socket | TLSSocket;
  private readonly reader: ReplyReader;
  private chunkNo = 0;
  private firstByteAt: number | undefined;
  private readonly inputs: DialogInput[] = [];
  private pumping = false;
  private result: TransactionResult | undefined;
  private resolve!: (r: TransactionResult) => void;
  private readonly deadline = new ReplyDeadline();
  private epoch = 0;
  private promptAbort: AbortController | undefined;
  private lastSocketError: string | undefined;
  private factsPending: boolean;

  constructor(private readonly opts: ConversationOptions) {
    this.factsPending = opts.messageFacts !== undefined;
    this.state = createDialog(opts.config);
    this.socket = opts.socket;
    this.reader = new ReplyReader(opts.readerLimits);
  }

  run(): Promise<TransactionResult> {
    const done = new Promise<TransactionResult>((resolve) => (this.resolve = resolve));
    if (this.opts.signal.aborted) {
      this.onAbort();
      return done;
    }
    this.opts.signal.addEventListener('abort', this.onAbort, { once: true });
    this.attach(this.socket);
    this.push({ type: 'connected', secure: this.opts.secure });
    return done;
  }

  private input(body: InputBody): DialogInput {
    return { ...body, at: this.opts.clock(), chunkNo: this.chunkNo } as DialogInput;
  }

  private push(body: InputBody): void {
    this.inputs.push(this.input(body));
    void this.pump();
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.result) return;
    this.chunkNo++;
    const now = this.opts.clock();
    this.firstByteAt ??= now;
    for (const item of this.reader.push(chunk)) {
      if (item.kind === 'reply') {
        this.inputs.push({ type: 'reply', reply: item.reply, firstByteAt: this.firstByteAt ?? now, at: now, chunkNo: this.chunkNo });
        this.firstByteAt = undefined;
      } else {
        this.inputs.push({ type: 'reader-error', code: item.code, message: item.message, raw: item.raw, at: now, chunkNo: this.chunkNo });
      }
    }
    if (this.reader.bufferedBytes > 0) this.firstByteAt ??= now;
    void this.pump();
  };

  private readonly onError = (e: NodeJS.ErrnoException): void => {
    this.lastSocketError = describeSocketError(e.code, e.message);
  };

  private readonly onClose = (): void => {
    if (this.result) return;
    this.push({ type: 'closed', error: this.lastSocketError });
  };

  private attach(s: Socket): void {
    s.on('data', this.onData);
    s.on('error', this.onError);
    s.on('close', this.onClose);
  }

  private detach(s: Socket): void {
    s.off('data', this.onData);
    s.off('error', this.onError);
    s.off('close', this.onClose);
  }

  private readonly onAbort = (): void => {
    if (this.result) return;
    const r = step(this.state, this.input({ type: 'cancel' }));
    this.state = r.state;
    for (const e of r.events) this.opts.emit(e);
    const fin = r.actions.find((a): a is Extract<DialogAction, { type: 'finish' }> => a.type === 'finish');
    this.finish(fin?.result ?? { outcome: 'cancelled', stage: this.state.stage, reason: 'Cancelled.', dotSent: this.state.dotSent, tryNext: false, timedOut: false, recipients: this.state.recipients });
  };

  private async pump(): Promise<void> {
    if (this.pumping || this.result) return;
    this.pumping = true;
    try {
      while (this.inputs.length > 0 && !this.result) {
        if (this.factsPending && this.needsFacts()) await this.takeFacts();
        if (this.result) break;
        await this.feed(this.inputs.shift()!);
      }
    } catch (e) {
      // A bug must not leave the session hanging: end it with the error in plain words.
      this.finishInternal(e);
    } finally {
      this.pumping = false;
    }
    if (!this.result) this.rearm();
  }

  /** Past the greeting and still heading for MAIL FROM: the dialog may plan it on the next input. */
  private needsFacts(): boolean {
    const s = this.state;
    return s.greeted && !s.failure && !s.quitSent && !s.finished;
  }

  private async takeFacts(): Promise<void> {
    const facts = await this.opts.messageFacts!;
    this.factsPending = false;
    if (!this.result) this.state = { ...this.state, config: { ...this.state.config, message: facts } };
  }

  private async feed(input: DialogInput): Promise<void> {
    const r = step(this.state, input);
    this.state = r.state;
    for (const e of r.events) this.opts.emit(e);
    for (const a of r.actions) {
      if (this.result) return;
      await this.execute(a);
    }
  }

  /** Feeds an input produced while executing an action, before anything that arrived meanwhile. */
  private async feedNow(body: InputBody): Promise<void> {
    await this.feed(this.input(body));
  }

  private rearm(): void {
    const head = this.state.queue[0];
    if (!head) {
      this.deadline.clear();
      return;
    }
    const wasIdle = this.deadline.armedKey === undefined;
    const ms = this.opts.timeouts[head.deadline];
    const armed = this.deadline.arm(`${head.id}:${this.epoch}`, ms, () => {
      this.push({ type: 'timeout', expectationId: head.id, deadline: head.deadline, reason: describeDeadline(head.deadline, ms) });
    });
    if (armed && wasIdle) this.opts.emit({ kind: 'wait', stage: head.stage, deadlineMs: ms, what: describeDeadline(head.deadline, ms).replace(/^no /, '') });
  }

  private async execute(a: DialogAction): Promise<void> {
    switch (a.type) {
      case 'send':
        return this.write(Buffer.from(a.commands.map((c) => c.wire).join(''), 'utf8'));
      case 'start-tls':
        return this.startTls();
      case 'send-body':
        return this.sendBody(a.method, a.bdat);
      case 'prompt':
        return this.askUser();
      case 'finish':
        return this.finish(a.result);
    }
  }

  private async write(buf: Buffer): Promise<void> {
    const s = this.socket;
    if (s.destroyed || !s.writable) return; // 'close' is already on its way as an input
    if (!s.write(buf)) {
      await withDeadline(
        new Promise<void>((resolve) => {
          const done = (): void => {
            s.off('drain', done);
            s.off('close', done);
            resolve();
          };
          s.on('drain', done);
          s.on('close', done);
        }),
        'commandMs',
        this.opts.timeouts.commandMs,
        this.opts.signal,
        () => s.destroy(),
      ).catch(() => undefined);
    }
  }

  private async startTls(): Promise<void> {
    // RFC 3207 §4.2 / CVE-2011-0411: nothing may follow the 220 before the handshake. Bytes that did were
    // sent by the server (or injected on the path) in plaintext and must not be read as TLS-protected.
    if (this.inputs.length > 0 || this.reader.bufferedBytes > 0) {
      this.inputs.length = 0;
      return this.feedNow({ type: 'protocol-error', message: 'The server sent more data right after its 220 to STARTTLS, before the TLS handshake: possible command injection. The session was aborted.' });
    }
    const plain = this.socket as Socket;
    this.detach(plain);
    const servername = this.opts.tlsClient?.name ?? this.opts.hostname;
    this.opts.emit({ kind: 'tls', phase: 'start', mode: 'starttls', servername });
    const t0 = this.opts.clock();
    const res = await upgradeToTls(plain, { hostname: this.opts.hostname, certPolicy: this.opts.certPolicy, timeoutMs: this.opts.timeouts.tlsMs, signal: this.opts.signal, ca: this.opts.ca, mode: 'starttls', port: this.opts.port, client: this.opts.tlsClient, authenticate: this.opts.authenticate });
    if (this.result) return;
    this.opts.emit(tlsEvent(res, 'starttls', servername, this.opts.clock() - t0));
    if (res.ok) {
      this.socket = res.socket;
      this.attach(res.socket);
      if (res.info.overridden) this.opts.emit({ kind: 'info', level: 'warn', text: `Certificate problem overridden for this run only: ${res.info.verifyError ?? ''}`, stage: 'tls' });
      return this.feedNow({ type: 'tls-done' });
    }
    plain.destroy();
    return this.feedNow({ type: 'tls-failed', reason: res.message, timedOut: res.timedOut });
  }

  private async sendBody(method: 'DATA' | 'BDAT', bdat: WireCommand | undefined): Promise<void> {
    // The body has its own per-write deadline; the reply deadline restarts once the body is written.
    this.deadline.clear();
    this.epoch++;
    try {
      const r = await writeBody({
        socket: this.socket,
        method,
        bdat,
        bdatSize: method === 'BDAT' ? this.state.config.message.sizeBytes : undefined,
        source: this.opts.message,
        dataBlockMs: this.opts.timeouts.dataBlockMs,
        signal: this.opts.signal,
      });
      if (this.result) return;
      return this.feedNow({ type: 'body-sent', ...r });
    } catch (e) {
      if (this.result || e instanceof AbortedError || this.opts.signal.aborted) return;
      if (e instanceof BodySizeMismatchError) this.socket.destroy();
      // A deadline's words are a clause ("no room to write … within 3 min"): say what timed out.
      const reason = e instanceof DeadlineError ? `Timed out while sending the message: ${e.message}` : (e as Error).message;
      return this.feedNow({ type: 'body-failed', reason, timedOut: e instanceof DeadlineError });
    }
  }

  private askUser(): void {
    const next = this.opts.nextStep;
    if (!next) {
      this.inputs.unshift(this.input({ type: 'protocol-error', message: 'Step mode needs a source of commands, and none was given.' }));
      return;
    }
    this.promptAbort?.abort();
    const ac = new AbortController();
    this.promptAbort = ac;
    next(ac.signal).then(
      (command) => {
        if (ac.signal.aborted || this.result) return;
        this.push({ type: 'user', command });
      },
      () => undefined,
    );
  }

  private finishInternal(e: unknown): void {
    this.opts.emit({ kind: 'info', level: 'error', text: `Internal error: ${(e as Error)?.message ?? String(e)}` });
    this.finish({ outcome: this.state.dotSent ? 'unknown' : 'not_delivered', stage: this.state.stage, reason: `Internal error: ${(e as Error)?.message ?? String(e)}`, dotSent: this.state.dotSent, tryNext: false, timedOut: false, recipients: this.state.recipients });
  }

  private finish(result: TransactionResult): void {
    if (this.result) return;
    this.result = result;
    this.deadline.clear();
    this.promptAbort?.abort();
    this.opts.signal.removeEventListener('abort', this.onAbort);
    this.detach(this.socket);
    this.socket.on('error', () => undefined);
    this.socket.destroy();
    this.inputs.length = 0;
    this.resolve(result);
  }
}
