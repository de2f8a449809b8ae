import { Command } from 'commander';
import { commands } from './commands/index.js';
import { CliContext, type CliIO, cliVersion } from './context.js';
import { report } from './errors.js';
import { EXIT, type ExitCode } from './exit-codes.js';

export type { CliIO, TextSink } from './context.js';
export { EXIT, type ExitCode } from './exit-codes.js';

function buildProgram(ctx: CliContext): Command {
  const program = new Command('diffcontract-verify')
    .description('Solve, repair and verify two-period dynamic contracts (see specs/ for the file formats).')
    .version(cliVersion(), '-V, --version')
    .showSuggestionAfterError(true)
    // Settings made before .command() are inherited by every subcommand.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
    })
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 violated, 2 invalid input, 3 unknown, 4 internal error.\nDIFFCONTRACT_DEBUG=1 prints stack traces.',
    );
  for (const define of commands) define(program, ctx);
  return program;
}

/**
 * Runs the CLI on `argv` (the arguments after the program name) and resolves to the exit code.
 * Never throws and never exits the process, so tests call it in-process.
 */
export async function main(argv: readonly string[], io: CliIO): Promise<ExitCode> {
  const ctx = new CliContext(io);
  try {
    await buildProgram(ctx).parseAsync([...argv], { from: 'user' });
    return ctx.exitCode ?? EXIT.ok;
  } catch (error) {
    const { code, message } = report(error, ctx.debug);
    if (message !== '') ctx.stderr.write(`${message}\n`);
    return code;
  }
}
