// The CLI's contact with the terminal: output lines, Ctrl-C, stdin, and the no-echo password prompt. Kept
// behind a small interface so the commands stay testable.

export const EXIT = {
  delivered: 0,
  notDelivered: 1,
  badInput: 2,
  unknown: 3,
  cancelled: 4,
} as const;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  onInterrupt(fn: () => void): void;
  offInterrupt(fn: () => void): void;
  readStdin(): Promise<Buffer>;
  /** Asks for a secret without echoing it; undefined when there is no terminal to ask on. */
  promptSecret(question: string): Promise<string | undefined>;
  env: Record<string, string | undefined>;
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer | string) => chunks.push(typeof c === 'string' ? Buffer.from(c) : c));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

// Raw mode, so that nothing typed is echoed; backspace and Ctrl-C/Ctrl-D handled by hand.
function promptNoEcho(question: string): Promise<string | undefined> {
  const input = process.stdin;
  if (!input.isTTY || !process.stderr.isTTY) return Promise.resolve(undefined);
  process.stderr.write(question);
  return new Promise((resolve) => {
    let secret = '';
    const finish = (value: string | undefined) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(secret);
        if (ch === '\u0003' || ch === '\u0004') return finish(undefined);
        if (ch === '\u007f' || ch === '\b') secret = secret.slice(0, -1);
        else secret += ch;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}

export function processIo(): CliIo {
  const handlers = new Set<() => void>();
  const onSigint = () => {
    for (const h of handlers) h();
  };
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    onInterrupt(fn) {
      if (handlers.size === 0) process.on('SIGINT', onSigint);
      handlers.add(fn);
    },
    offInterrupt(fn) {
      handlers.delete(fn);
      if (handlers.size === 0) process.off('SIGINT', onSigint);
    },
    readStdin: () => readAll(process.stdin),
    promptSecret: promptNoEcho,
    env: process.env,
  };
}
