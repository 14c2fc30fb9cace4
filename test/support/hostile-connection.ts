// One connection of the hostile server: plays the script's steps against the socket and records everything
// the client sends. Reads are linear-time whatever the size (a 24 MiB DATA body is scanned chunk by chunk).
import type { Socket } from 'node:net';
import { TLSSocket, type SecureVersion } from 'node:tls';
import type { HostileStep } from './hostile-steps';

export interface ConnectionRecord {
  /** Everything received, in order (capped at `recordCap` bytes; `receivedBytes` keeps counting). */
  received(): Buffer;
  receivedBytes: number;
  /** The CRLF-separated command lines read by `expect` steps (bodies as `<body N bytes>`). */
  commands: string[];
  /** DATA bodies (as received, dot-stuffed, terminator included) and BDAT chunks, in order. */
  bodies: Buffer[];
  /** Sizes of the chunks as they arrived (capped list): commands written in one flight arrive together. */
  chunkSizes: number[];
  /** SNI the client sent in its TLS ClientHello, if TLS was started. */
  tlsServername?: string | false;
  /** Failed expectations (`expected /re/, got "..."`) and socket errors. */
  problems: string[];
  /** How the connection ended: `client` (client closed first), `server` (script closed it), `reset`. */
  readonly closedBy: 'client' | 'server' | 'reset' | 'open';
  /** Resolves when the socket is fully closed. */
  closed: Promise<void>;
  /** True once the script ran to its end without a failed expectation. */
  finished: boolean;
  /** Read again after `neverRead` (a paused socket cannot notice that the client closed). */
  resume(): void;
}

export class Connection implements ConnectionRecord {
  receivedBytes = 0;
  commands: string[] = [];
  bodies: Buffer[] = [];
  chunkSizes: number[] = [];
  tlsServername?: string | false;
  problems: string[] = [];
  closedBy: 'client' | 'server' | 'reset' | 'open' = 'open';
  finished = false;
  closed: Promise<void>;
  private chunks: Buffer[] = [];
  private recorded = 0;
  /** Received bytes not yet consumed by a step, as they arrived (concatenated only when a step needs it). */
  private parts: Buffer[] = [];
  private partsLen = 0;
  private waiter: (() => void) | undefined;
  private stream: Socket;
  private ended = false;
  private scriptClosing = false;

  constructor(
    private raw: Socket,
    private recordCap: number,
  ) {
    this.stream = raw;
    this.closed = new Promise((resolve) => raw.once('close', () => resolve()));
    raw.on('error', (e: NodeJS.ErrnoException) => {
      this.problems.push(`socket error: ${e.code ?? e.message}`);
      if (this.closedBy === 'open' && !this.scriptClosing) this.closedBy = e.code === 'ECONNRESET' ? 'reset' : 'client';
    });
    raw.on('close', () => {
      if (this.closedBy === 'open') this.closedBy = this.scriptClosing ? 'server' : 'client';
      this.ended = true;
      this.wake();
    });
    this.listen(raw);
  }

  received(): Buffer {
    return Buffer.concat(this.chunks);
  }

  resume(): void {
    this.stream.resume();
    this.raw.resume();
  }

  private listen(s: Socket) {
    s.on('data', (chunk: Buffer) => this.onData(chunk));
    s.on('end', () => {
      if (this.closedBy === 'open' && !this.scriptClosing) this.closedBy = 'client';
      this.ended = true;
      this.wake();
    });
  }

  private onData(chunk: Buffer) {
    this.receivedBytes += chunk.length;
    if (this.chunkSizes.length < 10_000) this.chunkSizes.push(chunk.length);
    if (this.recorded < this.recordCap) {
      const part = chunk.subarray(0, this.recordCap - this.recorded);
      this.chunks.push(Buffer.from(part));
      this.recorded += part.length;
    }
    // Keep what a step may still read; cap it so a client flood cannot grow us without bound.
    if (this.partsLen < 64 * 1024 * 1024) {
      this.parts.push(chunk);
      this.partsLen += chunk.length;
    }
    this.wake();
  }

  private wake() {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private async waitForData(): Promise<boolean> {
    if (this.parts.length > 0) return true;
    if (this.ended) return false;
    await new Promise<void>((r) => (this.waiter = r));
    return this.parts.length > 0 || !this.ended;
  }

  /** For short things (command lines): `find` sees everything unread and returns where its item ends. */
  private async waitFor(find: (buf: Buffer) => number): Promise<Buffer | undefined> {
    for (;;) {
      if (this.parts.length > 1) this.parts = [Buffer.concat(this.parts)];
      const buf = this.parts[0] ?? Buffer.alloc(0);
      const end = find(buf);
      if (end >= 0) {
        const rest = buf.subarray(end);
        this.parts = rest.length > 0 ? [rest] : [];
        this.partsLen = rest.length;
        return buf.subarray(0, end);
      }
      if (this.ended) return undefined;
      await new Promise<void>((r) => (this.waiter = r));
    }
  }

  private takePart(): Buffer {
    const part = this.parts.shift() as Buffer;
    this.partsLen -= part.length;
    return part;
  }

  private giveBack(rest: Buffer) {
    if (rest.length === 0) return;
    this.parts.unshift(rest);
    this.partsLen += rest.length;
  }

  /**
   * A DATA body up to and including CRLF.CRLF, scanned chunk by chunk (linear time, whatever the size).
   * The body is treated as if preceded by CRLF, so an empty body (".CRLF") ends it too. With `keep` false
   * only the size is kept, so a huge message does not sit in the test process's memory.
   */
  private async readBody(keep: boolean): Promise<{ bytes: number; body: Buffer } | undefined> {
    const kept: Buffer[] = [];
    let bytes = 0;
    let tail = Buffer.from('\r\n');
    for (;;) {
      while (this.parts.length > 0) {
        const part = this.takePart();
        const window = Buffer.concat([tail, part]);
        const i = window.indexOf('\r\n.\r\n');
        if (i >= 0) {
          const used = i + 5 - tail.length;
          bytes += used;
          if (keep) kept.push(part.subarray(0, used));
          this.giveBack(part.subarray(used));
          return { bytes, body: Buffer.concat(kept) };
        }
        bytes += part.length;
        if (keep) kept.push(part);
        tail = Buffer.from(window.subarray(Math.max(0, window.length - 4)));
      }
      if (!(await this.waitForData())) return undefined;
    }
  }

  /** Exactly `size` octets (a BDAT chunk). */
  private async readExact(size: number, keep: boolean): Promise<Buffer | undefined> {
    const kept: Buffer[] = [];
    let left = size;
    while (left > 0) {
      if (this.parts.length === 0 && !(await this.waitForData())) return undefined;
      if (this.parts.length === 0) continue;
      const part = this.takePart();
      const use = part.subarray(0, left);
      this.giveBack(part.subarray(use.length));
      left -= use.length;
      if (keep) kept.push(use);
    }
    return Buffer.concat(kept);
  }

  /** A pause that ends early when the connection closes, leaving no timer behind (invariant C is ours too). */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      void this.closed.then(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private write(data: Uint8Array): Promise<void> {
    if (this.stream.destroyed || this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      const flushed = this.stream.write(data, () => resolve());
      if (!flushed) this.stream.once('drain', () => undefined);
    });
  }

  async play(steps: HostileStep[]): Promise<void> {
    for (const step of steps) {
      if (this.raw.destroyed) return;
      const okay = await this.run(step);
      if (!okay) return;
    }
    this.finished = true;
  }

  private async run(step: HostileStep): Promise<boolean> {
    switch (step.op) {
      case 'send':
        await this.write(step.data);
        return true;
      case 'expect': {
        const line = await this.waitFor((b) => {
          const i = b.indexOf('\r\n');
          return i < 0 ? -1 : i + 2;
        });
        if (line === undefined) {
          this.problems.push(`expected ${step.pattern}, got end of connection`);
          return false;
        }
        const text = line.subarray(0, line.length - 2).toString('latin1');
        this.commands.push(text);
        if (!step.pattern.test(text)) {
          this.problems.push(`expected ${step.pattern}, got ${JSON.stringify(text)}`);
          return false;
        }
        return true;
      }
      case 'expectData': {
        const got = await this.readBody(step.keep);
        if (got === undefined) {
          this.problems.push('expected a DATA body, got end of connection');
          return false;
        }
        this.commands.push(`<body ${got.bytes} bytes>`);
        if (step.keep) this.bodies.push(got.body);
        return true;
      }
      case 'expectBdat': {
        const line = await this.waitFor((b) => {
          const i = b.indexOf('\r\n');
          return i < 0 ? -1 : i + 2;
        });
        const text = line?.subarray(0, line.length - 2).toString('latin1') ?? '';
        const m = /^BDAT (\d+)( LAST)?$/i.exec(text);
        if (line === undefined || !m) {
          this.problems.push(`expected BDAT, got ${line === undefined ? 'end of connection' : JSON.stringify(text)}`);
          return false;
        }
        this.commands.push(text);
        const size = Number(m[1]);
        const chunk = await this.readExact(size, true);
        if (chunk === undefined) {
          this.problems.push(`BDAT chunk cut short (wanted ${size} bytes)`);
          return false;
        }
        this.commands.push(`<bdat ${size} bytes>`);
        this.bodies.push(Buffer.from(chunk));
        return true;
      }
      case 'delay':
        await this.sleep(step.ms);
        return true;
      case 'drip':
        for (const b of step.data) {
          if (this.raw.destroyed || this.ended) return false;
          await this.write(Uint8Array.of(b));
          await this.sleep(step.intervalMs);
        }
        return true;
      case 'flood':
        await this.flood(step.totalBytes, step.line);
        return true;
      case 'close':
        this.scriptClosing = true;
        if (this.closedBy === 'open') this.closedBy = 'server';
        this.stream.end();
        await new Promise<void>((r) => {
          // Give the client a moment to read what was sent and close its side, then make sure.
          const t = setTimeout(r, 200);
          void this.closed.then(() => {
            clearTimeout(t);
            r();
          });
        });
        this.raw.destroy();
        return true;
      case 'reset':
        this.scriptClosing = true;
        if (this.closedBy === 'open') this.closedBy = 'server';
        this.raw.resetAndDestroy();
        return true;
      case 'startTls':
        this.startTls(step);
        return true;
      case 'neverRead':
        this.stream.pause();
        this.raw.pause();
        return true;
    }
  }

  private async flood(total: number, line?: string) {
    const unit = Buffer.from(line ?? 'x'.repeat(64 * 1024));
    const chunk = Buffer.alloc(64 * 1024);
    for (let i = 0; i < chunk.length; i++) chunk[i] = unit[i % unit.length];
    let sent = 0;
    while (sent < total && !this.raw.destroyed && !this.ended) {
      const part = chunk.subarray(0, Math.min(chunk.length, total - sent));
      sent += part.length;
      if (!this.stream.write(part)) {
        await new Promise<void>((r) => {
          const done = () => {
            this.stream.off('drain', done);
            this.raw.off('close', done);
            r();
          };
          this.stream.once('drain', done);
          this.raw.once('close', done);
        });
      }
    }
  }

  private startTls(opts: { cert: string; key: string; minVersion?: SecureVersion; maxVersion?: SecureVersion; ciphers?: string }) {
    // Anything the client sent before the handshake would be plaintext: keep it recorded, drop it from
    // the command buffer (a real server must discard it too, RFC 3207 §4.2 / CVE-2011-0411).
    this.parts = [];
    this.partsLen = 0;
    this.raw.removeAllListeners('data');
    this.raw.removeAllListeners('end');
    const { cert, key, minVersion, maxVersion, ciphers } = opts;
    const secure = new TLSSocket(this.raw, { isServer: true, cert, key, minVersion, maxVersion, ciphers });
    secure.once('secure', () => (this.tlsServername = secure.servername ?? undefined));
    secure.on('error', (e: NodeJS.ErrnoException) => this.problems.push(`tls error: ${e.code ?? e.message}`));
    this.stream = secure;
    this.listen(secure);
  }
}
