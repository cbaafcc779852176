/** `kmskit explain <paths...>`: per key policy, who can administer, use, grant, sign and MAC with the key. */
import type { RegisterCommand } from './commands.js';
import { CliError, EXIT_USAGE } from './errors.js';
import type { PolicySource } from '../lint/types.js';
import { accountOption, inputOptions, maxFileSizeOption, raiseHint } from './lint.js';

/**
 * Each reading of a policy is explained: the tolerant reading of one that is not valid JSON, and
 * every branch of a CloudFormation Fn::If (who can do what differs between them).
 */
function readings(source: PolicySource): PolicySource[] {
  if (!source.variants || source.variants.length === 0) return [source];
  const { variants, text, locate: _, ...rest } = source;
  let valid = text === undefined;
  if (text !== undefined) {
    try {
      JSON.parse(text);
      valid = true;
    } catch {
      valid = false;
    }
  }
  const all = [...(valid ? [source] : []), ...variants.map((v) => ({ ...rest, value: v.value }))];
  if (all.length === 1) return [{ ...all[0]!, variants: [] }];
  return all.map((s, i) => ({ ...s, variants: [], ...(s.resource !== undefined ? { resource: `${s.resource}, reading ${i + 1} of ${all.length}` } : {}) }));
}

export const register: RegisterCommand = (program, ctx) =>
  inputOptions(
    program
      .command('explain')
      .description('show, per key policy, which principals get admin, encrypt, decrypt, grant, sign and mac access, and under which conditions')
      .argument('<paths...>', 'the inputs kmskit lint reads: policy JSON, Terraform, CloudFormation, cdk.out'),
  )
    .option('-f, --format <format>', 'output format: text, json', 'text')
    .showHelpAfterError(false)
    .action(async (paths: string[], options: { format: string; account?: string; maxFileSize?: string }) => {
      if (options.format !== 'text' && options.format !== 'json') {
        throw new CliError(`--format must be one of text, json; got "${options.format}"`, EXIT_USAGE);
      }
      const account = accountOption(options.account);
      const maxFileBytes = maxFileSizeOption(options.maxFileSize);
      const [{ readInputs, SourceError, SUPPORTED_INPUTS }, { policySources }, { explainPolicy, formatExplanation }] = await Promise.all([
        import('../iac/load.js'),
        import('../lint/documents.js'),
        import('../lint/explain.js'),
      ]);
      let model;
      try {
        model = await readInputs(paths, { ...(account !== undefined ? { account } : {}), ...(maxFileBytes !== undefined ? { maxFileBytes } : {}), raiseHint });
      } catch (e) {
        if (e instanceof SourceError) throw new CliError(e.message, EXIT_USAGE);
        throw e;
      }
      if (model.units.length === 0 && model.problems.length === 0) throw new CliError(`no supported input in ${paths.join(', ')} (kmskit reads ${SUPPORTED_INPUTS})`, EXIT_USAGE);
      for (const w of [...model.warnings, ...model.notes]) ctx.io.err(`kmskit: warning: ${w}\n`);
      // What cannot be read is an error: an explanation that leaves a key out would mislead.
      for (const p of model.problems) ctx.io.err(`kmskit: error: ${p.at.file}:${p.at.line}:${p.at.column}: ${p.message}\n`);
      if (model.problems.length > 0) ctx.setExitCode(EXIT_USAGE);
      const explanations = policySources(model.units.flatMap((u) => u.resources)).flatMap(readings).map(explainPolicy);
      if (options.format === 'json') ctx.io.out(JSON.stringify({ keys: explanations }, null, 2) + '\n');
      else ctx.io.out(explanations.length === 0 ? 'no key policies found\n' : explanations.map(formatExplanation).join(''));
    });
