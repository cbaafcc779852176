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
  account?: string;
  maxFileSize?: string;
}

/** `--account`: a 12-digit AWS account id. */
export function accountOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{12}$/.test(value)) throw new CliError(`--account must be a 12-digit AWS account id; got "${value}"`, EXIT_USAGE);
  return value;
}

/** `--max-file-size <MB>` → bytes. */
export function maxFileSizeOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const mb = Number(value);
  if (!Number.isFinite(mb) || mb <= 0) throw new CliError(`--max-file-size must be a positive number of megabytes; got "${value}"`, EXIT_USAGE);
  return Math.floor(mb * 1024 * 1024);
}

/** How the size-limit message tells a CLI user to raise it. */
export const raiseHint = (mb: number): string => `raise it with --max-file-size ${mb}`;

/** The options every command that reads infrastructure code takes. */
export function inputOptions<T extends import('commander').Command>(command: T): T {
  return command
    .option('--account <id>', 'the deployment account id (else the provider\'s allowed_account_ids, else "this account, id unknown")')
    .option('--max-file-size <MB>', 'largest input file read, in megabytes', '20');
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
  inputOptions(
    program
      .command('lint')
      .description('lint KMS key policies: policy JSON, Terraform (.tf, cdktf.out, cdk.tf.json, plan, state), CloudFormation templates (JSON, YAML), cdk.out')
      .argument('<paths...>', 'files and folders to lint'),
  )
    .option('-f, --format <format>', `output format: ${FORMAT_NAMES.join(', ')}`, 'text')
    .option('-o, --output <file>', 'write the report to this file (atomically) instead of stdout')
    .option('--fail-on <severity>', `exit 1 when a finding is at or above: ${SEVERITIES.join(', ')}`, 'error')
    .option('-c, --config <file>', 'config file (default: .kmskitrc.json in the current folder, if present)')
    // Usage errors are one line; the help text would bury them in CI logs.
    .showHelpAfterError(false)
    .action(async (paths: string[], options: LintOptions) => {
      const format = oneOf(options.format, FORMAT_NAMES, '--format');
      const failOn: Severity = oneOf(options.failOn, SEVERITIES, '--fail-on');
      const account = accountOption(options.account);
      const maxFileBytes = maxFileSizeOption(options.maxFileSize);
      // The programmatic API (kmskit/lint) is the linter; this command only maps it onto flags and streams.
      const { lintPaths, formatReport, LintInputError } = await import('../lint/api.js');
      const cwd = process.cwd();
      let report;
      try {
        report = await lintPaths(paths, {
          cwd,
          failOn,
          ...(options.config !== undefined ? { config: options.config } : {}),
          ...(account !== undefined ? { account } : {}),
          ...(maxFileBytes !== undefined ? { maxFileBytes } : {}),
          raiseHint,
        });
      } catch (e) {
        if (e instanceof LintInputError) throw new CliError(e.message, EXIT_USAGE);
        throw e;
      }
      for (const w of report.warnings) ctx.io.err(`kmskit: warning: ${w}\n`);
      // No supported input at all is a LintInputError (exit 2); input without key policies is a warning.
      if (report.sources.length === 0 && report.findings.length === 0) ctx.io.err(`kmskit: warning: no key policies found in ${paths.join(', ')}\n`);
      const text = formatReport(report, format, { cwd, colour: ctx.io.isTty && options.output === undefined });
      if (options.output !== undefined) writeAtomically(options.output, text);
      else ctx.io.out(text);
      ctx.setExitCode(report.exitCode);
    });
