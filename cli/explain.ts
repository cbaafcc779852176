/** `kmskit explain <paths...>`: per key policy, who can administer, use, grant, sign and MAC with the key. */
import type { RegisterCommand } from './commands.js';
import { CliError, EXIT_USAGE } from './errors.js';

export const register: RegisterCommand = (program, ctx) =>
  program
    .command('explain')
    .description('show, per key policy, which principals get admin, encrypt, decrypt, grant, sign and mac access, and under which conditions')
    .argument('<paths...>', 'policy files, folders, cdktf.out, a stack, cdk.tf.json, Terraform plan JSON')
    .option('-f, --format <format>', 'output format: text, json', 'text')
    .showHelpAfterError(false)
    .action(async (paths: string[], options: { format: string }) => {
      if (options.format !== 'text' && options.format !== 'json') {
        throw new CliError(`--format must be one of text, json; got "${options.format}"`, EXIT_USAGE);
      }
      const [{ loadSources, SourceError }, { explainPolicy, formatExplanation }] = await Promise.all([import('../iac/load.js'), import('../lint/explain.js')]);
      let loaded;
      try {
        loaded = await loadSources(paths);
      } catch (e) {
        if (e instanceof SourceError) throw new CliError(e.message, EXIT_USAGE);
        throw e;
      }
      for (const w of loaded.warnings) ctx.io.err(`kmskit: warning: ${w}\n`);
      const explanations = loaded.sources.map(explainPolicy);
      if (options.format === 'json') ctx.io.out(JSON.stringify({ keys: explanations }, null, 2) + '\n');
      else ctx.io.out(explanations.length === 0 ? 'no key policies found\n' : explanations.map(formatExplanation).join(''));
    });
