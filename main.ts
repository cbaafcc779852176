/**
 * The CDKTF app: `cdktf synth` (and `npm run synth`) run this file. The stacks themselves live in
 * stacks/; this file only builds them and reports configuration errors without a stack trace.
 */
import { buildApp } from './stacks/app.js';
import { prepareKeyPolicyLint } from './stacks/lint-aspect.js';

process.env['CHECKPOINT_DISABLE'] ??= '1';

try {
  // The synth-time lint reads policies written as HCL expressions with a parser that loads asynchronously.
  await prepareKeyPolicyLint();
  buildApp().app.synth();
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`kmskit stacks: ${message}\n`);
  process.exitCode = 1;
}
