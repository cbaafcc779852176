/** `kmskit demo` (what `npm start` runs): synth → lint → apply → flows on the embedded emulator. */
import { resolve } from 'node:path';
import type { RegisterCommand } from './commands.js';

export const register: RegisterCommand = (program, ctx) =>
  program
    .command('demo')
    .description('synthesize the stacks, lint them, apply them to an in-process emulator and run the KMS flows (what `npm start` runs)')
    .option('--reset', 'delete the .kmskit/ state first')
    .option('--root <dir>', 'project folder holding cdktf.out/ and .kmskit/', '.')
    .action(async (opts: { reset?: boolean; root: string }) => {
      const { runDemo } = await import('../demo/run.js');
      ctx.setExitCode(await runDemo({ io: ctx.io, root: resolve(opts.root), ...(opts.reset ? { reset: true } : {}) }));
    });
