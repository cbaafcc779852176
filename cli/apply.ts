/**
 * `kmskit apply <paths...> (--endpoint URL | --state FILE)`: create the KMS keys, aliases, key
 * policies and grants of cdktf.out, Terraform, CloudFormation or cdk.out in the emulator, then print
 * what it did as a table of address → key ARN or alias. Safe to run again (see apply/apply.ts).
 */
import type { Command } from 'commander';
import type { RegisterCommand } from './commands.js';
import { CliError } from './errors.js';
import type { Io } from './io.js';
import type { ApplyResult } from '../apply/apply.js';

interface ApplyCliOptions {
  maxFileSize?: string;
  endpoint?: string;
  state?: string;
  account?: string;
  region?: string;
  format?: string;
}

export async function applyCommand(paths: string[], opts: ApplyCliOptions, io: Io): Promise<ApplyResult> {
  if (Boolean(opts.endpoint) === Boolean(opts.state)) {
    throw new CliError('apply needs exactly one of --endpoint URL (a running kmskit serve) or --state FILE (apply in-process to a state file)', 2);
  }
  if (opts.format !== undefined && opts.format !== 'text' && opts.format !== 'json') throw new CliError(`--format must be text or json, got ${opts.format}`, 2);
  if (opts.endpoint) {
    try {
      const u = new URL(opts.endpoint);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
    } catch {
      throw new CliError(`--endpoint must be an http(s) URL, got ${opts.endpoint}`, 2);
    }
  }
  const { maxFileSizeOption, accountOption } = await import('./lint.js');
  const maxFileBytes = maxFileSizeOption(opts.maxFileSize);
  accountOption(opts.account);
  const { applyStacks, TerraformInputError } = await import('../apply/apply.js');
  let result: ApplyResult;
  let close: (() => Promise<void>) | undefined;
  try {
    if (opts.endpoint) {
      const creds =
        process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY
          ? { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY }
          : undefined;
      result = await applyStacks({ paths, endpoint: opts.endpoint, ...(creds ? { credentials: creds } : {}), ...(opts.account ? { account: opts.account } : {}), ...(maxFileBytes !== undefined ? { maxFileBytes } : {}) });
    } else {
      const { createEmulator } = await import('../emulator/emulator.js');
      let emulator: Awaited<ReturnType<typeof createEmulator>>;
      try {
        emulator = await createEmulator({
          stateFile: opts.state as string,
          ...(opts.account ? { account: opts.account } : {}),
          ...(opts.region ? { region: opts.region } : {}),
        });
      } catch (e) {
        throw new CliError(e instanceof Error ? e.message : String(e), 2);
      }
      close = async () => {
        await emulator.flush();
        await emulator.close();
      };
      result = await applyStacks({ paths, emulator, ...(maxFileBytes !== undefined ? { maxFileBytes } : {}) });
    }
  } catch (e) {
    if (e instanceof TerraformInputError) throw new CliError(e.message, 2);
    throw e;
  } finally {
    await close?.();
  }
  if (opts.format === 'json') io.out(`${JSON.stringify(result, null, 2)}\n`);
  else io.out(formatTable(result));
  return result;
}

/** `ACTION  ADDRESS  ID` table, one row per KMS resource, then a summary line. */
export function formatTable(result: ApplyResult): string {
  const rows = result.resources.map((r) => [r.action, `${r.stack}/${r.address}`, r.id + (r.notes ? `  (${r.notes.join('; ')})` : '')]);
  const header = ['ACTION', 'ADDRESS', 'KEY ARN / ALIAS'];
  const widths = [0, 1].map((i) => Math.max(header[i]!.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `${cells[0]!.padEnd(widths[0]!)}  ${cells[1]!.padEnd(widths[1]!)}  ${cells[2]}`.trimEnd();
  const skipped = Object.entries(result.skipped)
    .map(([t, n]) => `${n} ${t}`)
    .join(', ');
  return [
    line(header),
    ...rows.map(line),
    '',
    `${result.created.length} created, ${result.updated.length} updated, ${result.unchanged.length} unchanged in account ${result.account}` +
      (skipped ? `; skipped (not KMS): ${skipped}` : ''),
    '',
  ].join('\n');
}

export const register: RegisterCommand = (program: Command, ctx) =>
  program
    .command('apply')
    .description('Create the KMS keys, aliases, key policies and grants of infrastructure code in the emulator (idempotent)')
    .argument('<paths...>', 'cdktf.out, a stack folder or cdk.tf.json, a Terraform folder or .tf file, a CloudFormation template (JSON or YAML), cdk.out')
    .option('--endpoint <url>', 'a running kmskit serve, e.g. http://127.0.0.1:4599')
    .option('--state <file>', 'apply in-process to this emulator state file')
    .option('--account <id>', 'the own account (data.aws_caller_identity, AWS::AccountId) when the endpoint does not say; with --state: the emulator account')
    .option('--max-file-size <MB>', 'largest input file read, in megabytes', '20')
    .option('--region <region>', 'with --state: the emulator default region')
    .option('--format <format>', 'text (a table) or json', 'text')
    .action(async (paths: string[], opts: ApplyCliOptions) => {
      await applyCommand(paths, opts, ctx.io);
    });
