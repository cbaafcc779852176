/**
 * The `kmskit` commander program. Each command lives in its own file and registers itself here;
 * heavy modules (cdktf, the AWS SDK) are imported inside the command actions so that `kmskit lint`
 * starts fast. Only bin/kmskit.js calls process.exit.
 */
import { Command, CommanderError } from 'commander';
import { CliError, EXIT_OK, EXIT_USAGE } from './errors.js';
import { type Io, processIo } from './io.js';
import { commands } from './commands.js';
import { kmskitVersion } from '../lint/version.js';

/** Sets a command's exit code from inside an action; `run` returns it. */
export interface CommandContext {
  io: Io;
  setExitCode(code: number): void;
}

export function buildProgram(io: Io, ctx: CommandContext): Command {
  const program = new Command('kmskit')
    .description('Run AWS KMS as code: CDKTF stacks, a key policy linter and an offline KMS emulator.')
    .version(kmskitVersion(), '-V, --version')
    .showHelpAfterError('(run kmskit --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  for (const register of commands) {
    const sub = register(program, ctx);
    sub.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  }
  return program;
}

/** Runs the program on process-style argv (node, script, ...args) and resolves to the exit code. */
export async function run(argv: string[], io: Io = processIo): Promise<number> {
  let exitCode = EXIT_OK;
  const ctx: CommandContext = { io, setExitCode: (c) => void (exitCode = c) };
  const program = buildProgram(io, ctx);
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through exitOverride with code 0; usage errors were already printed.
      return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (e instanceof CliError) {
      io.err(`kmskit: ${e.message}\n`);
      return e.exitCode;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.err(`kmskit: unexpected error: ${message}\n`);
    return EXIT_USAGE;
  }
}
