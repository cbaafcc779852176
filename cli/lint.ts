/**
 * `kmskit lint <paths...>`: the key policy linter. The linter modules are imported inside the action
 * so other commands do not pay for the engine and its action catalog at start-up.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { RegisterCommand } from './commands.js';
import { CliError, EXIT_USAGE } from './errors.js';
import type { Severity } from '../lint/types.js';

const FORMAT_NAMES = ['text', 'json', 'sarif'] as const;
const SEVERITIES = ['error', 'warning', 'info'] as const;

export interface LintOptions {
  format: string;
  output?: string;
  failOn: string;
  config?: string;
}

/** Writes `text` to `file` through a temporary file in the same folder and a rename. */
export function writeAtomically(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such directory' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    throw new CliError(`cannot write ${file}: ${why}`, EXIT_USAGE);
  }
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new CliError(`${flag} must be one of ${allowed.join(', ')}; got "${value}"`, EXIT_USAGE);
}

export const register: RegisterCommand = (program, ctx) =>
  program
    .command('lint')
    .description('lint KMS key policies: policy .json files, folders, cdktf.out, a stack, cdk.tf.json, Terraform plan JSON')
    .argument('<paths...>', 'files and folders to lint')
    .option('-f, --format <format>', `output format: ${FORMAT_NAMES.join(', ')}`, 'text')
    .option('-o, --output <file>', 'write the report to this file (atomically) instead of stdout')
    .option('--fail-on <severity>', `exit 1 when a finding is at or above: ${SEVERITIES.join(', ')}`, 'error')
    .option('-c, --config <file>', 'config file (default: .kmskitrc.json in the current folder, if present)')
    // Usage errors are one line; the help text would bury them in CI logs.
    .showHelpAfterError(false)
    .action(async (paths: string[], options: LintOptions) => {
      const format = oneOf(options.format, FORMAT_NAMES, '--format');
      const failOn: Severity = oneOf(options.failOn, SEVERITIES, '--fail-on');
      // The programmatic API (kmskit/lint) is the linter; this command only maps it onto flags and streams.
      const { lintPaths, formatReport, LintInputError } = await import('../lint/api.js');
      const cwd = process.cwd();
      let report;
      try {
        report = await lintPaths(paths, { cwd, failOn, ...(options.config !== undefined ? { config: options.config } : {}) });
      } catch (e) {
        if (e instanceof LintInputError) throw new CliError(e.message, EXIT_USAGE);
        throw e;
      }
      for (const w of report.warnings) ctx.io.err(`kmskit: warning: ${w}\n`);
      // Passing on nothing is how a CI job silently stops checking (a wrong path, an empty cdktf.out).
      if (report.sources.length === 0) ctx.io.err(`kmskit: warning: no key policies found in ${paths.join(', ')}\n`);
      const text = formatReport(report, format, { cwd, colour: ctx.io.isTty && options.output === undefined });
      if (options.output !== undefined) writeAtomically(options.output, text);
      else ctx.io.out(text);
      ctx.setExitCode(report.exitCode);
    });
