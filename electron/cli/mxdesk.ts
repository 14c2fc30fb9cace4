// Entry point of the `mxdesk` command (bin/mxdesk.js → dist/cli/mxdesk.js). Plain Node: the engine is shared
// with the app, but nothing here may import electron.
import { runAnalyzeCommand } from './analyze-command';
import { USAGE, parseCliArgs } from './args';
import { runCheckCommand } from './check-command';
import { EXIT, processIo, type CliIo } from './io';
import { runMxCommand } from './mx-command';
import { runSendCommand } from './send-command';

export async function main(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] === 'check') return runCheckCommand(argv.slice(1), io, process.stderr.isTTY ? { progress: (l) => process.stderr.write(`\r\x1b[K${l}`) } : {});
  if (argv[0] === 'analyze' || argv[0] === 'analyse') return runAnalyzeCommand(argv.slice(1), io);
  const parsed = parseCliArgs(argv);
  if (!parsed.ok) {
    io.err(`mxdesk: ${parsed.error.field}: ${parsed.error.message}`);
    return EXIT.badInput;
  }
  const { args } = parsed;
  if (args.command === 'help') {
    io.out(USAGE);
    return EXIT.delivered;
  }
  if (args.command === 'mx') return runMxCommand(args, io);
  return runSendCommand(args, io);
}

main(process.argv.slice(2), processIo()).then(
  (code) => {
    // Let stdout drain (it may be a pipe) before leaving; exitCode rather than exit() keeps buffered output.
    process.exitCode = code;
    // Safety net: if anything were left holding the event loop, leave anyway (unref: never delays a clean exit).
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (e: unknown) => {
    process.stderr.write(`mxdesk: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
