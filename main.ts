/**
 * The CDKTF app: `cdktf synth` (and `npm run synth`) run this file. The stacks themselves live in
 * stacks/; this file only wires them together with the configuration.
 */
process.env.CHECKPOINT_DISABLE ??= '1';
